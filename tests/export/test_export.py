"""kgtool export: round trips in every format, determinism, subsets, JSON-LD, frames, no network."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from conftest import FIXTURES, REPO
from kgtool.engine.embedded import EmbeddedStore, load_project
from kgtool.export.jsonld import CONTEXT_URL, RemoteContextRefused, document_loader
from kgtool.export.turtle import canonical_turtle
from kgtool.export.writers import FORMATS, Settings, export
from kgtool.prefixes import PrefixMap

FIXTURE = FIXTURES / "export"
CONTEXT = REPO / "ontology" / "context.jsonld"
PARSERS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML}
KEEPS_GRAPHS = ("nq", "trig")
SC = "https://w3id.org/spacecoop/ontology/"
ID = "https://w3id.org/spacecoop/id/"


def refuse(url, options=None):
    raise AssertionError(f"the exported JSON-LD made the parser load {url}")


def parse_back(fmt: str, data: bytes) -> list[ox.Quad]:
    """Read an export with a parser other than the writer's: pyoxigraph, or PyLD for JSON-LD."""
    if fmt == "json-ld":
        expanded = jsonld.expand(json.loads(data), {"documentLoader": refuse})
        data = jsonld.to_rdf(expanded, {"format": "application/n-quads"}).encode()
        fmt = "nq"
    return list(ox.parse(data, PARSERS[fmt]))


def canonical(quads, graphs: bool) -> list[str]:
    """A graph (or dataset) in a form where isomorphic inputs are equal strings."""
    store = ox.Store()  # the store normalises literals, as the exported store did
    store.extend(q if graphs else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def fixture_store() -> EmbeddedStore:
    store = EmbeddedStore()
    for path in sorted(FIXTURE.glob("*.ttl")):
        store.load_file(path, f"data/{path.name}", part="data")
    return store


def run_export(source, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    export(source, fmt, out, context_path=CONTEXT, **options)
    return out.getvalue()


def nodes(document: dict) -> dict[str, dict]:
    return {node["@id"]: node for node in document["@graph"]}


@pytest.fixture(scope="module")
def graph_quads(project) -> list[ox.Quad]:
    """The quads of ontology + data, loaded the way kgtool loads them."""
    store = load_project(project, parts=("ontology", "data"))
    return [q for g in store.default_graph() for q in
            store.store.quads_for_pattern(None, None, None, g)]


# Round trips ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", tuple(FORMATS))
def test_the_whole_project_graph_round_trips(run, project, graph_quads, fmt) -> None:
    result = run(["--root", project.root, "export", "-f", fmt, "--part", "ontology",
                  "--part", "data"])
    assert result.exit_code == 0, result.output
    graphs = fmt in KEEPS_GRAPHS
    assert canonical(parse_back(fmt, result.stdout_bytes), graphs) == canonical(graph_quads, graphs)


@pytest.mark.parametrize("fmt", tuple(FORMATS))
def test_the_fixture_graph_round_trips(fmt) -> None:
    store = fixture_store()
    graphs = fmt in KEEPS_GRAPHS
    assert canonical(parse_back(fmt, run_export(store, fmt)), graphs) == canonical(
        list(store.store), graphs)


# Determinism ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", tuple(FORMATS))
def test_two_exports_are_byte_identical(run, project, fmt) -> None:
    first, second = (run(["--root", project.root, "export", "-f", fmt, "--part", "all"])
                     for _ in range(2))
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_the_shapes_part_exports_the_shape_files(run, project, monkeypatch, mode) -> None:
    """The project store holds no shapes: export adds them from ontology/shapes/."""
    monkeypatch.setenv("KGTOOL_STORE", mode)
    out = run(["--root", project.root, "export", "-f", "nq", "--part", "shapes"])
    assert out.exit_code == 0
    exported = list(ox.parse(out.stdout_bytes, format=ox.RdfFormat.N_QUADS))
    files = list(load_project(project, parts=("shapes",)).quads(("shapes",)))

    def ground(quads) -> set:  # blank nodes are relabelled on export
        return {q for q in quads if not isinstance(q.subject, ox.BlankNode)
                and not isinstance(q.object, ox.BlankNode)}

    assert len(exported) == len(files) > 0
    assert ground(exported) == ground(files)
    assert any(q.object.value.endswith("#NodeShape") for q in exported)


def load_lines(lines: list[str]) -> EmbeddedStore:
    store = EmbeddedStore()
    store.load_text("\n".join(lines), "data/lines.nt", part="data")
    return store


FIXTURE_LINES = [str(q.triple) + " ." for q in fixture_store().store]
BASELINE = {fmt: run_export(load_lines(FIXTURE_LINES), fmt) for fmt in tuple(FORMATS)}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(FIXTURE_LINES), salt=st.integers(0, 10**6))
def test_shuffled_loading_gives_the_same_export(order, salt) -> None:
    store = load_lines([line.replace("_:", f"_:s{salt}x") for line in order])
    for fmt in tuple(FORMATS):
        data = run_export(store, fmt)
        if fmt in ("nt", "nq"):  # streamed in store order: the same lines
            assert sorted(data.splitlines()) == sorted(BASELINE[fmt].splitlines()), fmt
        else:
            assert data == BASELINE[fmt], fmt


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


def test_adding_a_triple_changes_only_the_lines_about_its_subject() -> None:
    prefixes = PrefixMap.from_context(CONTEXT)
    triples = [q.triple for q in fixture_store().store]
    added = ox.Triple(ox.NamedNode(ID + "nation/sau"), ox.NamedNode(SC + "iso3166Alpha2"),
                      ox.Literal("SA-extra"))
    before = blocks(canonical_turtle(triples, prefixes))
    after = blocks(canonical_turtle([*triples, added], prefixes))
    changed = [b for b in after if b not in before]
    assert len(changed) == 1 and changed[0].startswith("nation:sau a sc:Nation ;")
    assert [b for b in before if not b.startswith("nation:sau ")] == [
        b for b in after if not b.startswith("nation:sau ")]


def test_blank_node_labels_survive_unrelated_edits() -> None:
    prefixes = PrefixMap.from_context(CONTEXT)
    triples = [q.triple for q in fixture_store().store]
    shared, p = ox.BlankNode(), ox.NamedNode("https://example.org/ns/p")
    extra = [ox.Triple(ox.NamedNode("https://example.org/ns/new1"), p, shared),
             ox.Triple(ox.NamedNode("https://example.org/ns/new2"), p, shared)]
    before = canonical_turtle(triples, prefixes)
    after = canonical_turtle([*triples, *extra], prefixes)
    labels = {w for w in before.split() if w.startswith("_:")}
    assert labels and labels < {w for w in after.split() if w.startswith("_:")}


def test_ntriples_are_written_while_the_quads_still_come() -> None:
    out, p, passes = io.BytesIO(), ox.NamedNode("https://e.org/p"), []

    def quads():  # a pass for blank node labels, then the pass that writes
        passes.append(out.tell())
        for i in range(20000):
            if len(passes) == 2 and i == 19999:
                assert out.tell() > 0, "nothing written before the last quad"
            yield ox.Quad(ox.NamedNode(f"https://e.org/s{i}"), p, ox.Literal(str(i)))

    written = FORMATS["nt"](quads, out, Settings(PrefixMap({}), {"@context": {}}))
    assert written == 20000 and out.getvalue().count(b"\n") == 20000 and passes == [0, 0]


# Subsets -------------------------------------------------------------------------------

def subjects(data: bytes) -> set[str]:
    return {q.subject.value for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)
            if isinstance(q.subject, ox.NamedNode)}


def test_class_subset_takes_subclass_instances() -> None:
    data = run_export(fixture_store(), "nt", classes=["sc:Organization"])
    assert subjects(data) == {ID + "agency/saudi-space-agency", ID + "agency/uaesa",
                              ID + "agency/saudi-space-commission", ID + "body/oic"}


def test_class_subset_brings_the_blank_nodes_it_reaches() -> None:
    data = run_export(fixture_store(), "turtle", classes=["rdfs:Datatype"])
    assert data.decode().endswith(
        "sc:DateValue a rdfs:Datatype ;\n"
        '    rdfs:label "date value"@en, "قيمة تاريخ"@ar ;\n'
        "    owl:equivalentClass [ a rdfs:Datatype ; "
        "owl:unionOf ( xsd:date xsd:gYearMonth xsd:gYear ) ] .\n")


def test_entity_subset_takes_its_fact_nodes_only() -> None:
    data = run_export(fixture_store(), "nt", entities=["nation:are"])
    assert subjects(data) == {ID + "nation/are", ID + "membership/oic-are",
                              ID + "signing/artemis-accords-are"}
    assert b"<http://purl.org/dc/terms/source> <https://oic-oci.org/states/?lan=fr>" in data
    launch = run_export(fixture_store(), "nt", entities=[ID + "spacecraft/dubaisat-1"])
    assert subjects(launch) == {ID + "spacecraft/dubaisat-1", ID + "launch/2009-07-29-dnepr"}


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--class", "sc:Nothing", "Error: --class sc:Nothing: no such class in the graph"),
    ("--entity", "nation:xxx", "Error: --entity nation:xxx: nothing is said about it"),
    ("--class", "nope:Thing", "Error: 'nope:Thing' is neither an IRI nor a CURIE"),
])
def test_unknown_subset_is_a_usage_error(run, project, option, value, message) -> None:
    result = run(["--root", project.root, "export", option, value])
    assert result.exit_code == 2
    assert message in result.output and "Hint:" in result.output


def test_query_subset_takes_what_construct_builds(run, project, tmp_path) -> None:
    query = tmp_path / "arabic.rq"
    query.write_text("PREFIX sc: <https://w3id.org/spacecoop/ontology/>\n"
                     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                     "CONSTRUCT { ?n rdfs:label ?l } WHERE { ?n a sc:Nation ; rdfs:label ?l "
                     'FILTER(lang(?l) = "ar") }\n')
    result = run(["--root", project.root, "export", "--query", query, "-f", "nt"])
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(result.stdout_bytes, ox.RdfFormat.N_TRIPLES))
    assert len(triples) > 50 and {t.object.language for t in triples} == {"ar"}


def listener() -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.3)
    return server


def assert_nothing_connected(server: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT * WHERE { ?s ?p ?o }", "export --query needs a CONSTRUCT query, not SELECT"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
     "SERVICE would make the engine call another server"),
    ("CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:{port}/g> WHERE { ?s ?p ?o }",
     "FROM clauses are refused"),
])
def test_query_subset_refuses_other_forms_and_remote_access(run, project, tmp_path, text,
                                                             message) -> None:
    server = listener()
    query = tmp_path / "q.rq"
    query.write_text(text.replace("{port}", str(server.getsockname()[1])))
    result = run(["--root", project.root, "export", "--query", query])
    assert result.exit_code == 2 and message in result.output
    assert_nothing_connected(server)


def test_output_file_is_replaced_only_on_success(run, project, tmp_path) -> None:
    target = tmp_path / "out.ttl"
    assert run(["--root", project.root, "export", "--class", "sc:Nation", "-o", target]
               ).exit_code == 0
    good = target.read_bytes()
    assert b"nation:sau a sc:Nation" in good
    assert run(["--root", project.root, "export", "--class", "sc:Nope", "-o", target]
               ).exit_code == 2
    assert target.read_bytes() == good and [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_frame_needs_json_ld(run, project) -> None:
    result = run(["--root", project.root, "export", "-f", "turtle", "--frame", "nation"])
    assert result.exit_code == 2 and "--frame works with -f json-ld only" in result.output


# JSON-LD -------------------------------------------------------------------------------

def test_json_ld_uses_the_project_context() -> None:
    document = json.loads(run_export(fixture_store(), "json-ld"))
    assert document["@context"] == json.loads(CONTEXT.read_text())["@context"]
    agency = nodes(document)["agency:uaesa"]
    assert agency["@type"] == "sc:SpaceAgency"
    assert agency["rdfs:label"] == {"en": "UAE Space Agency", "ar": "وكالة الإمارات للفضاء"}
    assert agency["sc:belongsToNation"] == "nation:are"
    assert agency["foaf:homepage"] == "https://space.gov.ae/"
    assert agency["sc:foundedOn"] == {"@type": "xsd:gYearMonth", "@value": "2014-07"}
    assert nodes(document)["signing:artemis-accords-sau"]["sc:signedOn"] == {
        "@type": "xsd:date", "@value": "2022-07-14"}


def test_the_context_covers_every_object_and_date_property(graph_quads) -> None:
    context = json.loads(CONTEXT.read_text())["@context"]
    types = {(q.subject.value, q.object.value) for q in graph_quads
             if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    ranges = {q.subject.value: q.object.value for q in graph_quads
              if q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#range"}
    for iri, kind in types:
        if not iri.startswith(SC):
            continue
        term = "sc:" + iri[len(SC):]
        if kind.endswith("#ObjectProperty"):
            assert context.get(term) == {"@type": "@id"}, term
        if ranges.get(iri) == SC + "DateValue":
            assert context.get(term) == {"@type": "@none"}, term


def test_nation_frame_nests_the_organisations_of_each_nation() -> None:
    document = json.loads(run_export(fixture_store(), "json-ld", frame="nation"))
    graph = nodes(document)
    assert set(graph) == {"nation:are", "nation:sau", "nation:usa"}
    agencies = graph["nation:sau"]["@reverse"]["sc:belongsToNation"]
    assert [a["@id"] for a in agencies] == ["agency:saudi-space-agency",
                                            "agency:saudi-space-commission"]
    assert agencies[0]["rdfs:label"]["en"] == "Saudi Space Agency"
    assert agencies[0]["sc:succeeds"] == "agency:saudi-space-commission"
    assert "@reverse" not in graph["nation:usa"]  # a launch vehicle is not an organisation


def test_agreement_frame_nests_parties_and_signings() -> None:
    document = json.loads(run_export(fixture_store(), "json-ld", frame="agreement"))
    (accords,) = document["@graph"]
    assert accords["@id"] == "agreement:artemis-accords"
    parties = {p["@id"]: p for p in accords["sc:hasParty"]}
    assert set(parties) == {"nation:are", "nation:sau", "nation:usa"}
    assert parties["nation:sau"]["rdfs:label"]["ar"] == "السعودية"
    signings = accords["@reverse"]["sc:ofAgreement"]
    assert [s["@id"] for s in signings] == ["signing:artemis-accords-are",
                                            "signing:artemis-accords-sau"]
    assert signings[1]["sc:hasSignatory"] == "agency:saudi-space-commission"
    assert signings[1]["sc:signerName"] == "Mohammed bin Saud Al-Tamimi"


def test_built_in_frame_on_the_real_graph(run, project) -> None:
    result = run(["--root", project.root, "export", "-f", "json-ld", "--frame", "nation"])
    assert result.exit_code == 0, result.output
    sau = nodes(json.loads(result.stdout_bytes))["nation:sau"]
    assert "agency:saudi-space-agency" in {a["@id"] for a in
                                          sau["@reverse"]["sc:belongsToNation"]}


def test_frame_file_may_name_the_project_context_url(tmp_path) -> None:
    frame = tmp_path / "signings.json"
    frame.write_text(json.dumps({"@context": CONTEXT_URL, "@type": "sc:Signing"}))
    document = json.loads(run_export(fixture_store(), "json-ld", frame=str(frame)))
    assert document["@context"] == CONTEXT_URL
    assert set(nodes(document)) == {"signing:artemis-accords-are", "signing:artemis-accords-sau"}


# No network ----------------------------------------------------------------------------

@pytest.mark.parametrize("context", [
    "http://127.0.0.1:{port}/context.jsonld",
    ["http://127.0.0.1:{port}/context.jsonld"],
    {"@import": "http://127.0.0.1:{port}/context.jsonld"},
    {"sc:Nation": {"@context": "http://127.0.0.1:{port}/scoped.jsonld"}},
])
def test_remote_context_in_a_frame_is_refused(run, project, tmp_path, context) -> None:
    server = listener()
    port = str(server.getsockname()[1])
    frame = tmp_path / "frame.json"
    frame.write_text(json.dumps({"@context": context, "@type": "sc:Nation"})
                     .replace("{port}", port))
    result = run(["--root", project.root, "export", "-f", "json-ld", "--frame", frame])
    assert result.exit_code == 3
    assert f"Error: JSON-LD wanted to load http://127.0.0.1:{port}/" in result.output
    assert "kgtool never fetches documents" in result.output and "Hint:" in result.output
    assert_nothing_connected(server)


def test_document_loader_serves_only_a_copy_of_the_project_context() -> None:
    context = {"@context": {"sc": SC}}
    load = document_loader(context)
    served = load(CONTEXT_URL, {})["document"]
    assert served == context and served is not context
    for url in ("https://w3id.org/spacecoop/ontology/other.jsonld", "file:///etc/passwd",
                "/dev/zero", "context.jsonld"):
        with pytest.raises(RemoteContextRefused):
            load(url, {})


def test_export_command_module_imports_no_rdf_library() -> None:
    code = ("import sys, kgtool.cli.export\n"
            "print([m for m in ('rdflib', 'pyoxigraph', 'pyld') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
