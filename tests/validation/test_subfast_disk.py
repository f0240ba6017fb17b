"""The fast submission path of an on-disk store gives what the in-memory store gives: its
writable copy, its index of English labels, its ontology written at build time, the shapes'
analysis kept for the next process, and the SPARQL constraints run once for all their nodes."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO
from kgtool.engine import load_project, open_engine
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.validation import scoping
from kgtool.validation.checks import english_labels, load_checks
from kgtool.validation.reading import parse_bytes
from kgtool.validation.sparql_constraints import constraint_results

EXAMPLES = sorted((REPO / "examples" / "submissions").glob("*/*.ttl"))
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")


def report(engine, project, sub) -> list[dict]:
    found = scoping.validate_submission(engine, sub, load_checks(project), prefixes=PREFIXES)
    return [*sorted((asdict(r) for r in found.results), key=str), {"known": found.known}]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """(project, in memory, on disk), for the mini project."""
    from conftest import make_project

    project = find_project(str(make_project(tmp_path_factory.mktemp("disk") / "mini")))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KGTOOL_STORE", "disk")
        yield project, load_project(project), open_engine(project)


def open_cached(project):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KGTOOL_STORE", "disk")
        return open_engine(project)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_an_example_gives_the_same_report_from_disk_and_memory(engines, path: Path) -> None:
    project, memory, disk = engines
    sub = parse_bytes(path.read_bytes(), path.name, "turtle")
    want = report(memory, project, sub)
    assert report(disk, project, sub) == want
    scoping._BY_SHAPES.clear()  # the next engine reads the analysis kept on disk
    again = open_cached(project)
    assert report(again, project, sub) == want
    again.close()


def test_the_label_index_holds_every_english_label(engines) -> None:
    _, memory, disk = engines
    labels = english_labels(memory)
    assert disk.labels.nodes([*labels, "no such label"]) == labels


def test_a_constraint_run_for_all_nodes_finds_what_one_run_per_node_finds(engines) -> None:
    _, memory, _ = engines

    def results(union) -> tuple[set, set]:
        _, constraints, _, _ = scoping._shape_analysis(memory, union, None)
        nodes = {q.subject for q in union.quads(("data",)) if isinstance(q.subject, ox.NamedNode)}
        together = set(constraint_results(union, constraints, focus=nodes))
        alone = {r for n in nodes for r in constraint_results(union, constraints, focus={n})}
        return together, alone

    triples = [t for p in EXAMPLES for t in parse_bytes(p.read_bytes(), p.name, "turtle").triples]
    together, alone = memory.extended(results, parts=("shapes",), triples=triples)
    assert together == alone and together


SATELLITE = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/spacecoop/id/spacecraft/kept-sat> a sc:Satellite ;
  rdfs:label "Kept satellite"@en ; dcterms:source <https://space.gov.ae/> ;
  sc:operatedBy <https://w3id.org/spacecoop/id/agency/uaesa> .
"""
DISSOLVED = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/spacecoop/id/agency/uaesa> sc:foundedOn "2014-07-16"^^xsd:date ;
  sc:dissolvedOn "2000-01-01"^^xsd:date .
"""


def test_edges_kept_from_one_submission_meet_the_next_ones_triples(engines) -> None:
    """The on-disk engine keeps the agency's edges from the first submission; the second
    adds dates to that agency, and its report is still the in-memory store's."""
    project, memory, disk = engines
    first = parse_bytes(SATELLITE.encode(), "kept.ttl", "turtle")
    assert report(disk, project, first) == report(memory, project, first)
    second = parse_bytes(DISSOLVED.encode(), "dissolved.ttl", "turtle")
    want = report(memory, project, second)
    assert any(r.get("path", "").endswith("dissolvedOn>") for r in want[:-1])
    assert report(disk, project, second) == want
