"""Submissions: the examples give exactly their expected results; scoped validation finds what
a full validation finds; every input format reads; only results about the submission show.

The fixture project has the real ontology and, as data, ``ontology/examples/*.ttl``; each
``examples/submissions/invalid/*.ttl`` declares ``# expect: focus | path | severity | message``
lines for it and for the bundled graph (``# expect on the fixture:`` and ``# expect on the
bundled graph:`` lines for one of them; a blank-node focus is written ``[]``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO, make_project
from kgtool.engine.embedded import load_project
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.validation.checks import load_checks
from kgtool.validation.neighbours import neighbours
from kgtool.validation.reading import Submission, parse_bytes, read_submission
from kgtool.validation.render import render_report
from kgtool.validation.report import focus_key
from kgtool.validation.scoping import affected_nodes, check_focus, shape_reach, validate_submission
from kgtool.validation.shacl import shape_results, validate_engine

EXAMPLES = REPO / "examples" / "submissions"
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")
CONTEXT = json.loads((REPO / "ontology" / "context.jsonld").read_text())["@context"]


def examples_project(root: Path) -> Path:
    """A project whose data/ is ontology/examples/*.ttl (which conforms)."""
    return make_project(root, {p.name: p.read_text(encoding="utf-8")
                               for p in (REPO / "ontology" / "examples").glob("*.ttl")})


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    """(project, engine, checks) of the examples project, loaded once."""
    project = find_project(str(examples_project(tmp_path_factory.mktemp("sub") / "p")))
    return project, load_project(project), load_checks(project)


def submission(path: Path) -> Submission:
    return parse_bytes(path.read_bytes(), path.relative_to(REPO).as_posix(), "turtle")


def expected(path: Path, where: str = "fixture") -> set[tuple[str, str, str, str]]:
    """The results an example declares: ``# expect:`` lines hold on both graphs, ``# expect on
    the bundled graph:`` and ``# expect on the fixture:`` lines on one of them."""
    graph = "bundled graph" if where == "bundled" else "fixture"
    heads = ("# expect:", f"# expect on the {graph}:")
    return {tuple(part.strip() for part in line.split(":", 1)[1].split("|"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(heads)}


def shown(report, sub: Submission) -> set[tuple[str, str, str, str]]:
    blanks = {"_:" + term.value for t in sub.triples for term in (t.subject, t.object)
              if isinstance(term, ox.BlankNode)}
    return {("[]" if r.focus in blanks else PREFIXES.shorten(r.focus),
             PREFIXES.shorten_n3(r.path), r.severity, r.message) for r in report.results}


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_examples_conform(fixture, path: Path) -> None:
    _, engine, checks = fixture
    report = validate_submission(engine, submission(path), checks, prefixes=PREFIXES)
    assert report.results == []
    assert report.passes()


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_examples_give_exactly_their_expected_results(fixture, path: Path) -> None:
    _, engine, checks = fixture
    sub = submission(path)
    want = expected(path)
    assert want, f"{path.name} declares no expected result"
    assert shown(validate_submission(engine, sub, checks, prefixes=PREFIXES), sub) == want


# --- scoped validation finds what a full validation finds ----------------------------------

TTL = PREFIXES.turtle_prologue()
# Synthetic edits (not facts) that reach focus nodes in each way the shapes read the graph.
EDITS = {
    # a later opening date for an agreement: its existing signings now come before it
    "agreement-date": 'agreement:artemis-accords sc:signedOn "2022-08-01"^^xsd:date ; '
                      "dcterms:source <https://wikimili.com/en/Artemis_Accords> .",
    # a crew member without the status flown, on an existing flight
    "crew": 'flight:soyuz-ms-15 sc:hasCrewMember person:x . person:x a sc:Person ; '
            'rdfs:label "X"@en ; dcterms:source <https://tass.com/science/1079762> .',
    # an OIC membership for a nation without Arabic and French labels (a warning)
    "membership": "membership:oic-kor a sc:Membership ; rdfs:label \"Korea in the OIC\"@en ;"
                  " sc:hasMember nation:kor ; sc:inOrganization body:oic ; "
                  "dcterms:source <https://www.oic-oci.org/> .",
    # a second organisation for an existing membership: forward through sc:hasMember
    "membership-org": "membership:isnet-sau sc:inOrganization body:oic .",
    # a second type for a node that other nodes link to (sh:class, followed back)
    "retype": "vehicle:dnepr a sc:Nation .",
}


def full_results(engine, sub) -> tuple[set, set[str]]:
    """Full validation of the graph with ``sub`` added, and the nodes ``sub`` affects."""
    return engine.extended(lambda union: (
        set(shape_results(union)),
        {focus_key(n) for n in affected_nodes(
        neighbours(engine, sub.triples), sub.triples, shape_reach(union))}),
        parts=("shapes",), triples=sub.triples)


def parity_cases():
    cases = [(p.stem, p.read_bytes()) for p in VALID + INVALID]
    cases += [(name, (TTL + text).encode()) for name, text in EDITS.items()]
    return cases


@pytest.mark.parametrize("name,data", parity_cases(), ids=[c[0] for c in parity_cases()])
def test_scoped_validation_finds_what_full_validation_finds(fixture, name, data) -> None:
    _, engine, _ = fixture
    sub = parse_bytes(data, name, "turtle")
    before = set(shape_results(engine))
    after, affected = full_results(engine, sub)
    assert set(shape_results(engine)) == before, "the engine never sees the submission"
    scoped = set(validate_submission(engine, sub, curate=False, new_only=False).results)
    assert scoped == {r for r in after if r.focus in affected}
    assert after - before <= scoped


@pytest.mark.parametrize("removed,edit,revalidated", [
    # the base graph lacks dnepr's type; the submission adds it: the launch linking to it
    # (sh:class, one step back) must lose its violation
    ("vehicle:dnepr a sc:LaunchVehicle", "vehicle:dnepr a sc:LaunchVehicle .",
     "launch:2009-07-29-dnepr"),
    # the base graph lacks the crew member's status; planning the flight changes a SPARQL
    # constraint of the person (one step forward, through sc:hasCrewMember)
    ("person:hazza-al-mansouri sc:hasAstronautStatus astronaut-status:flown",
     "flight:soyuz-ms-15 sc:hasMissionStatus mission-status:planned .",
     "person:hazza-al-mansouri"),
], ids=["type-added", "status-changed"])
def test_results_of_linked_nodes_follow_the_submission(fixture, removed, edit, revalidated):
    project, _, _ = fixture
    engine = load_project(project)
    s, p, o = (ox.NamedNode(PREFIXES.expand(t)) if ":" in t else ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") for t in removed.split())
    for quad in list(engine.store.quads_for_pattern(s, p, o)):
        engine.store.remove(quad)
    sub = parse_bytes((TTL + edit).encode(), "edit.ttl", "turtle")
    focus = PREFIXES.expand(revalidated)
    before = {r for r in shape_results(engine) if r.focus == focus}
    results, affected = full_results(engine, sub)
    after = {r for r in results if r.focus == focus}
    assert before != after
    assert focus in affected
    scoped = {r for r in validate_submission(engine, sub, curate=False, new_only=False).results
              if r.focus == focus}
    assert scoped == after


def test_scoped_validation_equals_full_validation_on_the_bundled_graph(project) -> None:
    engine = load_project(project)
    for path in (VALID[0], INVALID[-1]):
        sub = submission(path)
        results, affected = full_results(engine, sub)
        scoped = set(validate_submission(engine, sub, curate=False, new_only=False).results)
        assert scoped == {r for r in results if r.focus in affected}


@pytest.fixture(scope="module")
def bundled(project):
    return load_project(project), load_checks(project)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_examples_fail_on_the_bundled_graph_as_declared(bundled, path: Path) -> None:
    engine, checks = bundled
    sub = submission(path)
    report = validate_submission(engine, sub, checks, prefixes=PREFIXES)
    assert not report.passes()
    assert shown(report, sub) == expected(path, "bundled")


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_examples_add_new_facts_to_the_bundled_graph(bundled, path: Path) -> None:
    engine, checks = bundled
    sub = submission(path)
    report = validate_submission(engine, sub, checks, prefixes=PREFIXES)
    assert report.results == []
    assert [t for t in sub.triples if not engine.contains(t.subject, t.predicate, t.object)]


@pytest.mark.parametrize("path", VALID + INVALID, ids=[p.stem for p in VALID + INVALID])
def test_results_already_in_the_graph_are_left_out_and_counted(bundled, path: Path) -> None:
    engine, checks = bundled
    sub = submission(path)
    every = set(validate_submission(engine, sub, checks, prefixes=PREFIXES,
                                    new_only=False).results)
    report = validate_submission(engine, sub, checks, prefixes=PREFIXES)
    graph = {replace(r, focus_label="") for r in validate_engine(engine, checks).results}
    assert set(report.results) <= every
    assert report.known == len(every - set(report.results))
    assert {replace(r, focus_label="") for r in every - set(report.results)} <= graph
    assert not {replace(r, focus_label="") for r in report.results} & graph


# Khalifa University, with its sources, and a link to it that the graph already holds: the
# university's satellites (DhabiSat, MYSAT-1) have warnings of their own in the graph.
KHALIFA = TTL + """institute:khalifa-university a sc:ResearchInstitute ;
    rdfs:label "Khalifa University of Science and Technology"@en ;
    skos:altLabel "Khalifa University", "KU" ; sc:belongsToNation nation:are ;
    sc:foundedOn "2017-02"^^xsd:gYearMonth ;
    dcterms:source <https://wam.ae/en/details/1395302598855> .
mission:emirates-mission-to-the-asteroid-belt sc:hasPartner institute:khalifa-university .
"""


@pytest.mark.parametrize("text,old", [
    (KHALIFA, True), ((EXAMPLES / "invalid" / "unsourced-fact.ttl").read_text(encoding="utf-8"),
                      False)], ids=["khalifa", "unsourced-fact"])
def test_a_submission_does_not_repeat_old_warnings_as_new(bundled, text: str, old: bool) -> None:
    engine, checks = bundled
    report = validate_submission(engine, parse_bytes(text.encode(), "s.ttl", "turtle"), checks,
                                 prefixes=PREFIXES)
    shown = render_report(report, "text", "violation")
    assert "DhabiSat" not in shown and "MYSAT-1" not in shown
    if report.known:
        assert shown.splitlines()[-1].endswith(
            f"; {report.known} result{'s' * (report.known != 1)} already in the graph before "
            "this submission not shown.")
    assert (report.known >= 1) == old


def test_only_results_about_the_submission_are_reported(tmp_path: Path, run) -> None:
    root = examples_project(tmp_path / "p")
    (root / "data" / "broken.ttl").write_text(
        TTL + 'agency:broken a sc:SpaceAgency ; rdfs:label "Broken"@en .', encoding="utf-8")
    assert run(["--root", root, "validate"]).exit_code == 1
    result = run(["--root", root, "validate", VALID[0]])
    assert result.exit_code == 0, result.output
    assert "broken" not in result.output


def test_the_project_engine_is_left_untouched(fixture) -> None:
    _, engine, _ = fixture
    before = len(engine.store)
    validate_submission(engine, submission(VALID[0]), prefixes=PREFIXES)
    assert len(engine.store) == before


def test_a_submission_cannot_switch_a_shape_off(fixture) -> None:
    _, engine, _ = fixture
    text = TTL + ('scsh:NationShape-iso3166Alpha2 sh:deactivated true . '
                  'nation:xx a sc:Nation ; rdfs:label "X"@en ; sc:iso3166Alpha2 "xx" ; '
                  'sc:iso3166Alpha3 "XXX" ; dcterms:source <https://www.iso.org/> .')
    report = validate_submission(engine, parse_bytes(text.encode(), "s.ttl", "turtle"),
                                 prefixes=PREFIXES)
    shapes = {r.shape.removeprefix("https://w3id.org/spacecoop/shapes/") for r in report.results}
    assert {"NationShape-iso3166Alpha2", "Curation-ontologyTerm"} <= shapes


# --- input formats -------------------------------------------------------------------------

def kari_triples() -> set[ox.Triple]:
    return set(submission(EXAMPLES / "valid" / "kari.ttl").triples)


def test_every_input_format_reads_the_same_triples(tmp_path: Path) -> None:
    triples = sorted(kari_triples(), key=str)
    files = {
        "kari.nt": ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
        "kari.trig": ox.serialize([ox.Quad(t.subject, t.predicate, t.object,
                                           ox.NamedNode("https://e.org/g")) for t in triples],
                                  format=ox.RdfFormat.TRIG),
        "kari.rdf": ox.serialize(triples, format=ox.RdfFormat.RDF_XML),
        "kari.jsonld": ox.serialize(triples, format=ox.RdfFormat.JSON_LD),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert set(read_submission(str(tmp_path / name)).triples) == set(triples), name


def test_jsonld_may_name_the_project_context_which_is_used_locally(tmp_path: Path) -> None:
    doc = {"@context": "https://w3id.org/spacecoop/ontology/context.jsonld",
           "@id": "agency:kari", "@type": "sc:SpaceAgency",
           "rdfs:label": {"en": "Korea Aerospace Research Institute"},
           "sc:belongsToNation": "nation:kor"}
    path = tmp_path / "kari.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    triples = read_submission(str(path), context=CONTEXT).triples
    assert ox.Triple(ox.NamedNode("https://w3id.org/spacecoop/id/agency/kari"),
                     ox.NamedNode("https://w3id.org/spacecoop/ontology/belongsToNation"),
                     ox.NamedNode("https://w3id.org/spacecoop/id/nation/kor")) in triples


def test_rdfxml_in_utf16_reads(tmp_path: Path) -> None:
    text = ox.serialize(sorted(kari_triples(), key=str), format=ox.RdfFormat.RDF_XML).decode()
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"') if "encoding" in text else text
    path = tmp_path / "kari.rdf"
    path.write_bytes(text.encode("utf-16"))
    assert set(read_submission(str(path)).triples) == kari_triples()


def test_stdin_and_input_format(fixture, run) -> None:
    project, _, _ = fixture
    data = (EXAMPLES / "valid" / "kari.ttl").read_bytes()
    result = run(["--root", project.root, "validate", "-"], input=data)
    assert result.exit_code == 0, result.output
    nt = ox.serialize(sorted(kari_triples(), key=str), format=ox.RdfFormat.N_TRIPLES)
    result = run(["--root", project.root, "validate", "--input-format", "ntriples", "-"],
                 input=nt)
    assert result.exit_code == 0, result.output


def test_unknown_extension_is_a_usage_error(tmp_path: Path, run) -> None:
    path = tmp_path / "facts.txt"
    path.write_text("", encoding="utf-8")
    result = run(["validate", path])
    assert result.exit_code == 2
    assert "cannot tell the RDF format from the extension .txt" in result.output


# --- reports -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "turtle", "markdown"])
def test_every_report_format(fixture, run, fmt: str) -> None:
    project, _, _ = fixture
    result = run(["--root", project.root, "validate", "-f", fmt,
                  EXAMPLES / "invalid" / "typo-in-reference.ttl"])
    assert result.exit_code == 1
    assert "did you mean vehicle:dnepr (Dnepr)?" in result.output
    if fmt == "json":
        document = json.loads(result.output)
        assert document["counts"]["Violation"] == 3
        assert document["nodesChecked"] > 0


def test_fail_on_and_no_checks(fixture, run) -> None:
    project, _, _ = fixture
    args = ["--root", project.root, "validate"]
    warning = TTL + ('nation:omn a sc:Nation ; rdfs:label "Oman"@en ; sc:iso3166Alpha2 "OM" ; '
                     'sc:iso3166Alpha3 "OMN" ; dcterms:source <https://www.iso.org/> . '
                     'membership:oic-omn a sc:Membership ; rdfs:label "Oman in the OIC"@en ; '
                     'sc:hasMember nation:omn ; sc:inOrganization body:oic ; '
                     'dcterms:source <https://www.oic-oci.org/> .')
    result = run([*args, "-"], input=warning)
    assert result.exit_code == 0 and "2 warnings" in result.output, result.output
    assert run([*args, "--fail-on", "warning", "-"], input=warning).exit_code == 1
    person = (EXAMPLES / "invalid" / "duplicate-person.ttl").read_bytes()
    assert "duplicate-labels" in run([*args, "-"], input=person).output
    assert "duplicate-labels" not in run([*args, "--no-checks", "-"], input=person).output


def test_a_new_node_with_a_known_wikidata_link_is_a_duplicate(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"people.ttl": TTL + (
        'person:hazza-al-mansouri a sc:Person ; rdfs:label "Hazza Al Mansouri"@en ; '
        "owl:sameAs wd:Q123 .")})
    engine = load_project(find_project(str(root)))
    text = TTL + 'person:hazzaa a sc:Person ; rdfs:label "Hazzaa AlMansoori"@en ; ' \
                 "owl:sameAs wd:Q123 ."
    report = validate_submission(engine, parse_bytes(text.encode(), "s.ttl", "turtle"),
                                 prefixes=PREFIXES)
    assert ("likely a duplicate of person:hazza-al-mansouri (Hazza Al Mansouri), the same "
            "Wikidata link wd:Q123: describe person:hazza-al-mansouri instead of a new node"
            ) in {r.message for r in report.results}


def test_checks_look_at_the_subjects_and_the_terms_new_to_the_graph(project) -> None:
    engine = load_project(project)
    sub = parse_bytes((TTL + 'agency:solo a sc:SpaceAgency ; rdfs:label "Solo"@en ; '
                             "sc:hasParti nation:sau .").encode(), "typo.ttl", "turtle")
    agency, typo = PREFIXES.expand("agency:solo"), PREFIXES.expand("sc:hasParti")
    assert check_focus(engine, sub.triples) == {agency, typo}
    report = validate_submission(engine, sub, load_checks(project), prefixes=PREFIXES)
    assert (typo, "undeclared-terms") in {(r.focus, r.shape) for r in report.results}
