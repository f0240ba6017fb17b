"""The focused forms of the hygiene checks (queries/checks/focused/) find, for bound ?focus
nodes, the rows that the whole-graph checks find about those nodes."""

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
sc:Control a owl:Class ; rdfs:label "bell\\u0007"@en .
"""
BARE = "\n".join(line for line in TERMS.splitlines()  # no node has an Arabic label
                 if "isDefinedBy" not in line and "@ar" not in line)


def test_each_focused_check_finds_the_whole_graph_rows_for_its_nodes(tmp_path: Path) -> None:
    from kgtool.engine.embedded import EmbeddedStore, load_project
    from kgtool.project import find_project
    from kgtool.validation.checks import check_results, load_checks

    project = find_project(str(make_project(tmp_path / "p", data={"terms.ttl": TERMS})))
    bare = EmbeddedStore()
    bare.load_text(BARE, "data/terms.ttl", part="data")
    checks = {c.name: c for c in load_checks(project) if c.focused}
    assert {"term-annotations", "duplicate-labels"} <= set(checks)
    sc, ident = "https://w3id.org/spacecoop/ontology/", "https://w3id.org/spacecoop/id/"
    nodes = {sc + n for n in ("Bare", "HalfLabelled", "bareProperty", "BareType", "Control",
                              "Missing")} | {ident + "kindBare", ident + "kindFull",
                                             "https://e.org/Outside"}
    for engine, rows in ((load_project(project), 2), (bare, 13)):
        whole = {r for r in check_results(engine, [checks["term-annotations"]])
                 if r.focus in nodes}
        assert len(whole) == rows, sorted((r.focus, r.path, r.value) for r in whole)
        for check in checks.values():
            whole = {r for r in check_results(engine, [check]) if r.focus in nodes}
            for focus in (nodes, {sc + "Bare"}, {ident + "kindBare", sc + "Missing"}):
                assert set(check_results(engine, [check], focus=focus)) == {
                    r for r in whole if r.focus in focus}, (check.name, focus)
