"""`kgtool validate` on the whole graph: the examples, both engines, the report formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, make_project

BROKEN = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/spacecoop/id/agreement/solo> a sc:BilateralAgreement ;
  rdfs:label "Solo"@en ; sc:hasParti <https://w3id.org/spacecoop/id/nation/sau> .
"""

TWINS = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/spacecoop/id/> .
<https://w3id.org/spacecoop/id/agency/a> a sc:SpaceAgency ; rdfs:label "Twin Agency"@en .
<https://w3id.org/spacecoop/id/agency/b> a sc:SpaceAgency ; rdfs:label "twin agency"@en .
<https://w3id.org/spacecoop/id/company/c> a sc:Company ; rdfs:label "Twin Agency"@en .
<https://w3id.org/spacecoop/id/agency/d> a sc:SpaceAgency ; rdfs:label "Twin Agency"@fr .
"""


def test_the_examples_conform(run) -> None:
    result = run(["--root", REPO, "validate", "--examples"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("Conforms: ")
    assert result.output.splitlines()[-1].endswith(" 0 violations, 0 warnings, 0 infos.")

SAME_IDS = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix id: <https://w3id.org/spacecoop/id/spacecraft/> .
id:a a sc:Satellite ; sc:cosparId "2020-001A" .
id:b a sc:Satellite ; sc:cosparId "2020-001A" ; sc:noradId "45000" .
id:c a sc:Satellite ; sc:noradId "45000" .
id:d a sc:Satellite ; sc:cosparId "2020-002A" ; sc:noradId "45001" .
"""


def test_both_engines_give_the_same_report(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"broken.ttl": BROKEN})
    turbo = run(["--root", root, "validate", "-f", "json"])
    reference = run(["--root", root, "validate", "-f", "json", "--engine", "pyshacl"])
    assert turbo.exit_code == reference.exit_code == 1
    assert json.loads(turbo.output) == json.loads(reference.output)


def test_text_report_groups_by_node_with_label_and_summary(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"broken.ttl": BROKEN})
    lines = run(["--root", root, "validate"]).output.splitlines()
    assert lines[0] == "Solo agreement:solo"
    assert ("  Violation sc:hasStatus: an agreement needs exactly one status: planned, signed, "
            "in-force, completed or expired") in lines
    typo = lines.index("sc:hasParti")
    assert lines[typo + 1] == ("  Violation: A property or class is used in data or shapes but "
                               "declared nowhere")
    assert lines[typo + 2] == "    (check queries/checks/undeclared-terms.rq)"
    assert lines[-1] == "Does not conform: 1 nodes checked, 7 violations, 0 warnings, 0 infos."


def test_turtle_report_is_a_w3c_validation_report(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"broken.ttl": BROKEN})
    result = run(["--root", root, "validate", "-f", "turtle"])
    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    report = next(graph.subjects(rdflib.RDF.type, sh.ValidationReport))
    assert graph.value(report, sh.conforms) == rdflib.Literal(False)
    assert len(list(graph.objects(report, sh.result))) >= 3


def test_examples_option_is_not_for_submissions(run) -> None:
    result = run(["--root", REPO, "validate", "--examples", "x.ttl"])
    assert result.exit_code == 2
    assert "apply to the whole graph" in result.output


def test_duplicate_labels_pairs_nodes_of_one_class_ignoring_case(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"twins.ttl": TWINS})
    report = json.loads(run(["--root", root, "validate", "-f", "json"]).output)
    pairs = sorted((r["focus"].rsplit("/", 1)[-1], r["value"].rsplit("/", 1)[-1][:-1])
                   for r in report["results"] if r["shape"] == "duplicate-labels")
    assert pairs == [("a", "b"), ("b", "a")]


def test_a_focused_check_finds_what_the_whole_graph_check_finds(tmp_path: Path) -> None:
    from kgtool.engine.embedded import load_project
    from kgtool.project import find_project
    from kgtool.validation.checks import check_results, load_checks, same_label_nodes

    root = make_project(tmp_path / "p", data={"twins.ttl": TWINS})
    project = find_project(str(root))
    engine = load_project(project)
    focused = [c for c in load_checks(project) if c.name == "duplicate-labels"]
    assert focused[0].focused  # the other focused forms: tests/validation/test_term_annotations.py
    nodes = {f"https://w3id.org/spacecoop/id/{n}" for n in (
        "agency/a", "agency/b", "company/c", "agency/d", "nation/sau")}
    for check in focused:
        whole = {r for r in check_results(engine, [check]) if r.focus in nodes}
        assert whole, "the twins are found"
        for focus in ({*nodes}, {"https://w3id.org/spacecoop/id/agency/a"}):
            wanted = {r for r in whole if r.focus in focus}
            assert set(check_results(engine, [check], focus=focus)) == wanted
            same = {check.name: same_label_nodes(engine, engine, focus, [])}  # as a submission's
            assert set(check_results(engine, [check], focus=focus, candidates=same)) == wanted


DEPRECATED = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/spacecoop/id/spacecraft/> .
sc:OldThing a owl:Class ; owl:deprecated true ; dcterms:isReplacedBy sc:Satellite .
sc:oldProp a owl:DatatypeProperty ; owl:deprecated true .
id:old a sc:Satellite ; owl:deprecated true ; dcterms:isReplacedBy id:a ; sc:oldProp "y" .
id:a a sc:OldThing ; sc:oldProp "x" .
id:b a sc:Satellite ; rdfs:seeAlso id:old .
id:c a sc:Satellite ; rdfs:seeAlso id:a .
"""
TYPE = "22-rdf-syntax-ns#type"


@pytest.mark.parametrize(("name", "data", "rows"), [
    ("duplicate-identifiers", SAME_IDS, {("a", "cosparId", "b"), ("b", "cosparId", "a"),
                                         ("b", "noradId", "c"), ("c", "noradId", "b")}),
    ("deprecated-in-use", DEPRECATED, {("a", TYPE, "OldThing"), ("a", "oldProp", "oldProp"),
                                       ("b", "rdf-schema#seeAlso", "old")}),
])
def test_a_focused_form_finds_the_whole_graph_rows(tmp_path: Path, name, data, rows) -> None:
    from kgtool.engine.embedded import load_project
    from kgtool.project import find_project
    from kgtool.validation.checks import check_results, load_checks

    project = find_project(str(make_project(tmp_path / "p", data={"x.ttl": data})))
    engine = load_project(project)
    (check,) = [c for c in load_checks(project) if c.name == name]
    assert check.focused
    sat = "https://w3id.org/spacecoop/id/spacecraft/"

    def found(results) -> set:  # (focus, path, value) by local name, for the nodes above
        return {tuple(t.strip("<>").rsplit("/", 1)[1] for t in (r.focus, r.path, r.value))
                for r in results if r.focus.startswith(sat)}

    assert found(check_results(engine, [check])) == rows
    for names in (("a", "b", "c", "d"), ("b",), ("c", "d"), ("d",), ("old", "a")):
        focus = {sat + n for n in names}
        bound = found(check_results(engine, [check], focus=focus))
        assert bound == {row for row in rows if sat + row[0] in focus}, names


def test_summary_counts_results_by_rule(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"broken.ttl": BROKEN})
    full = run(["--root", root, "validate"])
    summary = run(["--root", root, "validate", "--summary"])
    assert summary.exit_code == full.exit_code == 1
    lines = summary.output.splitlines()
    assert lines[0] == "Results by rule:"
    assert lines[-1] == full.output.splitlines()[-1]
    counted = [line for line in lines[1:-1] if not line.lstrip().startswith("(")]
    assert sum(int(line.split()[0]) for line in counted) == 7
    assert "    (check queries/checks/undeclared-terms.rq)" in summary.output
    assert "Solo agreement:solo" not in summary.output


def test_summary_is_a_text_report(run) -> None:
    result = run(["--root", REPO, "validate", "--summary", "-f", "json"])
    assert result.exit_code == 2
    assert "--summary is a text report" in result.output
