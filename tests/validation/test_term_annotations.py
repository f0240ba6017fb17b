"""The ``term-annotations`` check finds each missing annotation on the term itself, over the
whole graph and with ``?focus`` bound (a submission's nodes); the focused forms of the other
checks (queries/checks/focused/) find, for bound nodes, the rows the whole-graph form finds."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_project

TERMS = """
@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix id: <https://w3id.org/spacecoop/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
sc:Bare a owl:Class .
sc:HalfLabelled a owl:Class, owl:ObjectProperty ; rdfs:label "Half"@en, "Half"@en-GB .
sc:HalfLabelled rdfs:isDefinedBy sc: .
sc:bareProperty a owl:DatatypeProperty ; skos:definition "a property"@en .
sc:bareProperty rdfs:label "bare"@ar .
sc:BareType a rdfs:Datatype ; rdfs:label "t"@en ; skos:definition "t"@en .
sc:BareType rdfs:label "t"@ar .
id:kindBare a skos:Concept, owl:Class ; skos:prefLabel "Bare"@en .
id:kindFull a skos:Concept ; skos:prefLabel "Full"@en ; skos:definition "d"@en .
id:kindFull skos:prefLabel "Full"@ar .
<https://e.org/Outside> a owl:Class .
"""
SC, ID = "https://w3id.org/spacecoop/ontology/", "https://w3id.org/spacecoop/id/"
RDFS, SKOS = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2004/02/skos/core#"
LABEL, DEFINED_BY = f"<{RDFS}label>", f"<{RDFS}isDefinedBy>"  # a result's path, in N3
DEFINITION, PREF = f"<{SKOS}definition>", f"<{SKOS}prefLabel>"
# what each node lacks, though other nodes of the graph have every annotation
MISSING = {
    (SC + "Bare", LABEL, '"en"'), (SC + "Bare", LABEL, '"ar"'),
    (SC + "Bare", DEFINITION, '"en"'), (SC + "Bare", DEFINED_BY, ""),
    (SC + "HalfLabelled", LABEL, '"ar"'), (SC + "HalfLabelled", DEFINITION, '"en"'),
    (SC + "bareProperty", LABEL, '"en"'), (SC + "bareProperty", DEFINED_BY, ""),
    (SC + "BareType", DEFINED_BY, ""),
    (ID + "kindBare", PREF, '"ar"'), (ID + "kindBare", DEFINITION, '"en"'),
}
NODES = {node for node, _, _ in MISSING} | {ID + "kindFull", "https://e.org/Outside"}


def test_term_annotations_finds_what_each_term_lacks(tmp_path: Path) -> None:
    from kgtool.engine.embedded import load_project
    from kgtool.project import find_project
    from kgtool.validation.checks import check_results, load_checks

    project = find_project(str(make_project(tmp_path / "p", data={"terms.ttl": TERMS})))
    engine = load_project(project)
    check = next(c for c in load_checks(project) if c.name == "term-annotations")
    whole = {(r.focus, r.path, r.value) for r in check_results(engine, [check])
             if r.focus in NODES}
    assert whole == MISSING
    for focus in (NODES, {SC + "Bare"}, {ID + "kindBare", SC + "Missing"}):
        bound = {(r.focus, r.path, r.value) for r in check_results(engine, [check], focus=focus)}
        assert bound == {row for row in MISSING if row[0] in focus}, focus


def test_each_focused_check_finds_the_whole_graph_rows_for_its_nodes(tmp_path: Path) -> None:
    from kgtool.engine.embedded import load_project
    from kgtool.project import find_project
    from kgtool.validation.checks import check_results, load_checks

    project = find_project(str(make_project(tmp_path / "p", data={"terms.ttl": TERMS})))
    engine = load_project(project)
    focused = [c for c in load_checks(project) if c.focused]
    assert focused
    for check in focused:
        whole = {r for r in check_results(engine, [check]) if r.focus in NODES}
        for focus in (NODES, {SC + "Bare"}, {ID + "kindBare", SC + "Missing"}):
            assert set(check_results(engine, [check], focus=focus)) == {
                r for r in whole if r.focus in focus}, (check.name, focus)
