"""SHACL Core on a submission's neighbourhood reads, of the ontology, only its class
hierarchy (kgtool.validation.scoping.ontology_ntriples): what it finds stays what a full
validation finds, through subclasses more steps above a value's class than it reaches."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from tests.conftest import make_project

LAUNCH = """
@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix launch: <https://w3id.org/spacecoop/id/launch/> .
@prefix craft: <https://w3id.org/spacecoop/id/spacecraft/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
launch:sub2 a sc:Launch ; rdfs:label "Sub2 launch"@en ;
    sc:hasPayload craft:sub2-cube, craft:sub2-wrong .
craft:sub2-cube a sc:Sub2Cube ; rdfs:label "Sub2 cube"@en .
craft:sub2-wrong a sc:Nation ; rdfs:label "Sub2 wrong"@en .
"""
HIERARCHY = """
@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
sc:Sub2Cube rdfs:subClassOf sc:Sub2Small . sc:Sub2Small rdfs:subClassOf sc:Sub2Tiny .
sc:Sub2Tiny rdfs:subClassOf sc:CubeSat .
"""


def test_the_ontology_part_is_its_class_hierarchy(tmp_path: Path) -> None:
    from kgtool.engine.embedded import load_project
    from kgtool.project import find_project
    from kgtool.validation.scoping import ontology_ntriples

    engine = load_project(find_project(str(make_project(tmp_path / "p"))))
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(
        ontology_ntriples(engine), format=ox.RdfFormat.N_TRIPLES)}
    subclass = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    assert triples == {ox.Triple(q.subject, q.predicate, q.object) for q in engine.quads(
        ("ontology",)) if q.predicate == subclass}
    assert len(triples) > 10


def test_scoped_results_through_subclasses_equal_full_validation(tmp_path: Path) -> None:
    from kgtool.engine.embedded import load_project
    from kgtool.project import find_project
    from kgtool.validation.neighbours import neighbours
    from kgtool.validation.reading import parse_bytes
    from kgtool.validation.report import focus_key
    from kgtool.validation.scoping import affected_nodes, shape_reach, validate_submission
    from kgtool.validation.shacl import shape_results

    root = make_project(tmp_path / "p")
    (root / "ontology" / "sub2.ttl").write_text(HIERARCHY, encoding="utf-8")
    engine = load_project(find_project(str(root)))
    sub = parse_bytes(LAUNCH.encode(), "sub2.ttl", "turtle")
    full, affected = engine.extended(lambda union: (set(shape_results(union)), {
        focus_key(n) for n in affected_nodes(
        neighbours(engine, sub.triples), sub.triples, shape_reach(union))}),
        parts=("shapes",), triples=sub.triples)
    scoped = set(validate_submission(engine, sub, curate=False, new_only=False).results)
    assert scoped == {r for r in full if r.focus in affected}
    payload = {r.value for r in scoped if r.focus.endswith("launch/sub2")
               and "hasPayload" in r.path}
    assert payload == {"<https://w3id.org/spacecoop/id/spacecraft/sub2-wrong>"}
