"""Every kgtool report read by an independent consumer: rdflib parses the W3C report and
pySHACL validates it against the shapes of a SHACL validation report (report-shapes.ttl):
``sh:conforms`` true only without results, one ``sh:sourceConstraintComponent`` per result,
blank-node focus nodes as blank nodes. The JSON report states the same facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, make_project
from kgtool.engine.embedded import load_project
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.validation import render_report, validate
from kgtool.validation.components import VOCABULARY
from kgtool.validation.shacl import validate_engine

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SHAPES = rdflib.Graph().parse(Path(__file__).with_name("report-shapes.ttl"))
CASES = sorted((REPO / "tests" / "graph" / "shape-cases").glob("*.ttl"))
SUBMISSIONS = sorted((REPO / "examples" / "submissions").glob("*/*.ttl"))
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")


def declared_components() -> set[str]:
    """The constraint components of SHACL (pySHACL's copy of the vocabulary) and kgtool's."""
    import pyshacl

    graph = rdflib.Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl.ttl")
    graph.parse(VOCABULARY)
    return {str(c) for c in graph.subjects(rdflib.RDF.type, SH.ConstraintComponent)}


COMPONENTS = declared_components()


def read_report(report) -> rdflib.Graph:
    """The report as Turtle, parsed by rdflib and checked against report-shapes.ttl; its
    JSON twin states the same verdict and components."""
    from pyshacl import validate as pyshacl_validate

    graph = rdflib.Graph().parse(data=render_report(report, "turtle", "violation"),
                                 format="turtle")
    conforms, _, text = pyshacl_validate(graph, shacl_graph=SHAPES, advanced=True)
    assert conforms, text
    root = next(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    results = list(graph.objects(root, SH.result))
    components = sorted(str(graph.value(r, SH.sourceConstraintComponent)) for r in results)
    assert set(components) <= COMPONENTS, set(components) - COMPONENTS
    twin = json.loads(render_report(report, "json", "violation"))
    assert twin["conforms"] == graph.value(root, SH.conforms).toPython() == (not results)
    assert sorted(r["component"] for r in twin["results"]) == components
    return graph


@pytest.fixture(scope="module")
def bundled():
    project = find_project(str(REPO))
    return project, load_project(project)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    examples = (REPO / "ontology" / "examples").glob("*.ttl")
    root = make_project(tmp_path_factory.mktemp("w3c") / "p",
                        {p.name: p.read_text(encoding="utf-8") for p in examples})
    project = find_project(str(root))
    return project, load_project(project)


def test_the_bundled_graph_report_has_warnings_so_it_does_not_conform(bundled) -> None:
    project, engine = bundled
    report = validate(project, engine)
    graph = read_report(report)
    assert report.results and report.passes()
    assert graph.value(next(graph.subjects(rdflib.RDF.type, SH.ValidationReport)),
                       SH.conforms) == rdflib.Literal(False)
    assert report.summary().startswith("Passes, with warnings or notes (sh:conforms false): ")


def test_the_examples_report_conforms(bundled) -> None:
    project, _ = bundled
    report = validate(project, None, examples=True)
    graph = read_report(report)
    assert not report.results and report.summary().startswith("Conforms: ")
    assert (None, SH.conforms, rdflib.Literal(True)) in graph


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_shape_case_report(case: Path) -> None:
    engine = load_project(find_project(str(REPO)), parts=("ontology", "shapes"))
    engine.load_text(PREFIXES.turtle_prologue() + case.read_text(encoding="utf-8"),
                     f"tests/{case.name}", part="data")
    report = validate_engine(engine)
    graph = read_report(report)
    shacl_components = {str(o) for o in graph.objects(None, SH.sourceConstraintComponent)}
    assert shacl_components and all(c.startswith(str(SH)) for c in shacl_components)


@pytest.mark.parametrize("where", ["bundled", "fixture"])
@pytest.mark.parametrize("path", SUBMISSIONS,
                         ids=[f"{p.parent.name}/{p.stem}" for p in SUBMISSIONS])
def test_each_submission_report(request, where: str, path: Path) -> None:
    project, engine = request.getfixturevalue(where)
    report = validate(project, engine, [str(path)])
    graph = read_report(report)
    if path.stem == "blank-node" and where == "fixture":
        focus = set(graph.objects(None, SH.focusNode))
        assert any(isinstance(f, rdflib.BNode) for f in focus), focus
        assert all(isinstance(f, rdflib.BNode) or str(f).startswith("https://") for f in focus)


def test_every_kgtool_component_is_described() -> None:
    graph = rdflib.Graph().parse(VOCABULARY)
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    components = set(graph.subjects(rdflib.RDF.type, SH.ConstraintComponent))
    assert len(components) >= 9
    for component in components:
        assert graph.value(component, rdflib.RDFS.label), component
        assert str(graph.value(component, skos.definition)).startswith("A constraint component")
