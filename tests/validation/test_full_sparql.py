"""SPARQL constraints run once over the whole graph give exactly pyshacl-turbo's results (it
runs them per focus node): on the bundled graph and examples, and on small graphs with odd
literals, blank nodes, focus nodes of several target classes, deactivated shapes and
constraints that only turbo may run."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from conftest import REPO
from kgtool.engine.embedded import EmbeddedStore, load_project
from kgtool.project import find_project
from kgtool.validation.components import SPARQL_COMPONENT
from kgtool.validation.full_sparql import full_results, plan, runnable
from kgtool.validation.shacl import (
    graph_texts,
    memory_copy,
    parts_ntriples,
    shacl_results,
    shape_results,
)

PROLOGUE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://e.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DATA = PROLOGUE + """
ex:a a ex:C ; ex:p "tab\\there\\nnew line", "x"^^xsd:string, "01"^^xsd:integer, "w"@en-GB,
    "2020-1-5"^^xsd:date, ex:b, ex:b2 .
ex:b a ex:D, ex:E ; ex:p "b" . ex:D rdfs:subClassOf ex:C . ex:E rdfs:subClassOf ex:C .
_:n a ex:C ; ex:p "blank" .
ex:f a ex:F ; ex:p "f" .
"""
SHAPES = PROLOGUE + """
ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "https://e.org/"^^xsd:anyURI ] .
ex:S a sh:NodeShape ; sh:targetClass ex:C, ex:D ; sh:severity sh:Warning ;
  sh:sparql ex:values, ex:types, ex:literalPath, ex:emptyMessage, ex:optional, ex:off .
ex:values sh:message "value"@en ; sh:prefixes ex:decl ;
  sh:select "SELECT $this ?value WHERE { $this ex:p ?value }" .
ex:types sh:message "types" ; sh:prefixes ex:decl ;
  sh:select "SELECT $this ?path WHERE { $this a ?t . BIND (ex:q AS ?path) }" .
ex:literalPath sh:message "lit" ;
  sh:select '''SELECT $this ?path WHERE { { BIND ("ar" AS ?path) } UNION { BIND (1 AS ?path) }
    FILTER NOT EXISTS { $this <https://e.org/none> ?x } }''' .
ex:emptyMessage sh:message "" ;
  sh:select "SELECT $this WHERE { FILTER NOT EXISTS { ?s <https://e.org/p> $this } }" .
ex:optional sh:message "optional" ;
  sh:select "SELECT $this ?value WHERE { OPTIONAL { $this <https://e.org/p> ?value } }" .
ex:off sh:message "off" ; sh:deactivated true ; sh:select "SELECT $this WHERE { }" .
ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:sparql ex:values .
ex:Nodes a sh:NodeShape ; sh:targetNode ex:f ; sh:sparql ex:types .
ex:Template a sh:NodeShape ; sh:targetClass ex:F ; sh:sparql [ sh:message "{$this} is odd" ;
  sh:select "SELECT $this WHERE { $this <https://e.org/p> ?v }" ] .
"""


def nt(turtle: str) -> bytes:
    return ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE),
                        format=ox.RdfFormat.N_TRIPLES)


def engine_of(data: str, shapes: str) -> EmbeddedStore:
    engine = EmbeddedStore()
    engine.load_text(data, "data/d.ttl", part="data")
    engine.load_text(shapes, "ontology/shapes/s.ttl", part="shapes")
    return engine


def turbo_alone(engine: EmbeddedStore) -> Counter:
    """Every result as pyshacl-turbo gives it with all the shapes, SPARQL constraints too."""
    return Counter(engine.extended(lambda full: shacl_results(
        parts_ntriples(full, ("ontology", "data")), parts_ntriples(full, ("shapes",))),
        parts=("shapes",)))


def test_crafted_graph_gives_turbo_results_exactly() -> None:
    engine = engine_of(DATA, SHAPES)
    constraints, shapes = plan(engine)
    assert {c.message for c in constraints} == {"value", "types", "lit", "does not conform"}
    kept = {(q.subject.value, q.object.value) for q in shapes if q.predicate.value.endswith(
        "#sparql") and isinstance(q.object, ox.NamedNode)}
    assert kept == {("https://e.org/S", "https://e.org/optional"),
                    ("https://e.org/S", "https://e.org/off"),
                    ("https://e.org/Off", "https://e.org/values"),
                    ("https://e.org/Nodes", "https://e.org/types")}
    ours = Counter(full_results(engine, constraints))
    assert ours and all(n == 1 for n in ours.values())
    values = {r.value for r in ours if r.message == "value"}
    assert {'"""tab\there\nnew line"""', '"x"', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"w"@en-gb', '"2020-1-5"^^<http://www.w3.org/2001/XMLSchema#date>'} <= values
    assert {r.focus for r in ours if r.message == "types"} == {
        "https://e.org/a", "https://e.org/b", next(r.focus for r in ours if "_:" in r.focus)}
    assert Counter(shape_results(engine)) == turbo_alone(engine)
    assert ours == Counter(r for r in turbo_alone(engine) if r.component == SPARQL_COMPONENT
                           and r.message in {"value", "types", "lit", "does not conform"}
                           and r.shape == "https://e.org/S")


@pytest.mark.parametrize("parts", [("ontology", "examples", "shapes"),
                                   ("ontology", "data", "shapes")])
def test_bundled_graph_gives_turbo_results_exactly(parts) -> None:
    engine = load_project(find_project(str(REPO)), parts=parts)
    constraints, shapes = engine.extended(plan, parts=("shapes",))
    assert len(constraints) == 20, "every constraint of ontology/shapes/ runs over the graph"
    assert not any(q.predicate.value.endswith("#sparql") for q in shapes)
    assert Counter(shape_results(engine)) == turbo_alone(engine)


def test_shape_cases_give_turbo_results_exactly() -> None:
    from kgtool.prefixes import PrefixMap

    prologue = PrefixMap.from_context(REPO / "ontology" / "context.jsonld").turtle_prologue()
    fired = set()
    for case in sorted((REPO / "tests" / "graph" / "shape-cases").glob("*.ttl")):
        engine = load_project(find_project(str(REPO)), parts=("ontology", "shapes"))
        engine.load_text(prologue + case.read_text(encoding="utf-8"), f"tests/{case.name}",
                         part="data")
        turbo = turbo_alone(engine)
        assert Counter(shape_results(engine)) == turbo, case.name
        fired |= {r.shape for r in turbo if r.component == SPARQL_COMPONENT}
    assert len(fired) >= 10, "the cases make most shapes with SPARQL constraints fire"


def test_the_memory_copy_holds_the_same_graphs() -> None:
    engine = engine_of(DATA, SHAPES)
    texts = graph_texts(engine, ("ontology", "data", "shapes"))
    assert b"".join(texts[:1]) == parts_ntriples(engine, ("ontology", "data"))
    copy = memory_copy(engine, texts)
    assert copy.graphs == engine.graphs and not texts
    assert set(copy.store) == set(engine.store), "blank node ids are kept"


@pytest.mark.parametrize(("select", "ok"), [
    ("SELECT $this ?value WHERE { $this ex:p ?value FILTER NOT EXISTS { $this ex:q ?value } }",
     True),
    ("SELECT $this WHERE { { BIND (1 AS ?v) } UNION { BIND (2 AS ?v) } $this ex:p ?v }", True),
    ("SELECT ?x WHERE { $this ex:p ?x }", False),
    ("SELECT $this WHERE { { $this ex:p ?x } UNION { $this ex:q ?x } }", False),
    ("SELECT $this WHERE { { ?x ex:p ?y FILTER NOT EXISTS { $this ex:q ?x } } }", False),
    ("SELECT $this WHERE { $this ex:p ?x } LIMIT 1", False),
    ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x } GROUP BY $this", False),
    ("SELECT $this WHERE { $this ex:p ?x { SELECT ?x WHERE { ?x ex:q ?y } } }", False),
    ("SELECT $this ?message WHERE { $this ex:p ?message }", False),
    ("SELECT $this WHERE { BIND (ex:a AS $this) }", False),
])
def test_runnable(select: str, ok: bool) -> None:
    assert runnable(select) is ok


BLANK = """
[] a sc:Signing ; rdfs:label "An early signing"@en ; sc:ofAgreement agreement:late ;
  sc:onBehalfOf nation:usa ; sc:hasSignatory nation:usa ; sc:signedOn "2001-01-01"^^xsd:date ;
  dcterms:source <https://example.org/late> .
agreement:late a sc:MultilateralAgreement ; rdfs:label "A late\\tcharter\\n"@en ;
  sc:signedOn "2010-03-19"^^xsd:date ; sc:hasAgreementType agreement-type:accords ;
  sc:hasStatus agreement-status:signed ; sc:yieldsBenefit benefit:promoting-peace ;
  dcterms:source <https://example.org/late> .
"""


def test_an_on_disk_store_gives_the_report_it_gave_before(tmp_path, monkeypatch) -> None:
    """The old way, turbo with every shape on the store itself, gives the same report, blank
    node focus ids included."""
    from conftest import make_project
    from kgtool.engine.select import open_engine
    from kgtool.prefixes import PrefixMap
    from kgtool.validation.checks import check_results, load_checks
    from kgtool.validation.report import ValidationReport
    from kgtool.validation.shacl import count_focus_candidates, label_results, validate_engine

    prologue = PrefixMap.from_context(REPO / "ontology" / "context.jsonld").turtle_prologue()
    root = make_project(tmp_path / "p")
    (root / "data" / "blank.ttl").write_text(prologue + BLANK, encoding="utf-8")
    monkeypatch.setenv("KGTOOL_STORE", "disk")
    project = find_project(str(root))
    engine, checks = open_engine(project), load_checks(project)
    assert engine.description.startswith("on-disk")

    def before(full: EmbeddedStore) -> ValidationReport:
        results = list(turbo_alone(full)) + check_results(full, checks)
        return ValidationReport(label_results(full, results), checked=count_focus_candidates(full))

    after = validate_engine(engine, checks)
    assert any(r.focus.startswith("_:") and r.component == SPARQL_COMPONENT
               for r in after.results)
    assert after.as_dict() == engine.extended(before, parts=("shapes",)).as_dict()
