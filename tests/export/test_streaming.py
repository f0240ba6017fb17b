"""The streaming exports equal the in-memory ones: canonical Turtle read subject by subject
from the store is the text ``canonical_turtle`` gives for the same triples, and the
streaming JSON-LD compactor gives, once PyLD expands it, the graph of PyLD's own compaction."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from kgtool.engine.embedded import EmbeddedStore, load_project
from kgtool.errors import InputError
from kgtool.export.blanks import blank_labels, relabel
from kgtool.export.compact import Compactor
from kgtool.export.jsonld import to_jsonld
from kgtool.export.turtle import canonical_turtle
from kgtool.export.writers import export
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.vocab import RDF, RDF_TYPE

CONTEXT = REPO / "ontology" / "context.jsonld"
PREFIXES = PrefixMap.from_context(CONTEXT)
SC = "https://w3id.org/spacecoop/ontology/"
EX = "https://example.org/"


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTEXT_DOC = json.loads(CONTEXT.read_text(encoding="utf-8"))


def turtle_export(store: EmbeddedStore, part: str = "data") -> bytes:
    return run_export(store, "turtle", part)


def run_export(store: EmbeddedStore, fmt: str, part: str = "data") -> bytes:
    out = io.BytesIO()
    export(store, fmt, out, part=part, context_path=CONTEXT)
    return out.getvalue()


def refuse(url, options=None):
    raise AssertionError(f"the JSON-LD made PyLD load {url}")


def graph_of(document: dict) -> list[str]:
    """PyLD's expansion of a JSON-LD document, as a canonical list of N-Quads lines."""
    from pyld import jsonld

    expanded = jsonld.expand(document, {"documentLoader": refuse})
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    dataset = ox.Dataset(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def pyld_compaction(triples: list[ox.Triple]) -> dict:
    """The reference: every triple handed to PyLD's compaction, blank nodes relabelled."""
    labels = blank_labels(triples)
    return to_jsonld(sorted({relabel(t, labels) for t in triples}, key=str), CONTEXT_DOC)


def pyld_compaction_of_expanded(triples: list[ox.Triple]) -> dict:
    """PyLD's compaction of the expanded form of ``triples``, built here: PyLD's own
    fromRdf fails (KeyError) on some lists that are not well formed."""
    from pyld import jsonld

    nodes: dict[str, dict] = {}
    for t in set(triples):
        node = nodes.setdefault(ref(t.subject), {"@id": ref(t.subject)})
        if t.predicate.value == RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(ref(t.object))
            continue
        if isinstance(t.object, ox.Literal):
            value = {"@value": t.object.value}
            if t.object.language:
                value["@language"] = t.object.language
            elif t.object.datatype.value != XSD_STRING:
                value["@type"] = t.object.datatype.value
        else:
            value = {"@id": ref(t.object)}
        node.setdefault(t.predicate.value, []).append(value)
    return jsonld.compact(list(nodes.values()), CONTEXT_DOC,
                          {"documentLoader": refuse, "graph": True})


def ref(term: ox.NamedNode | ox.BlankNode) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def assert_same_json_ld(store: EmbeddedStore, part: str = "data", *,
                        reference=pyld_compaction) -> dict:
    streamed = json.loads(run_export(store, "json-ld", part))
    reference = reference([q.triple for q in store.quads((part,))])
    assert streamed["@context"] == reference["@context"] == CONTEXT_DOC["@context"]
    assert graph_of(streamed) == graph_of(reference)
    return streamed


def test_the_project_graph_streams_to_the_canonical_text(project) -> None:
    store = load_project(project, parts=("ontology", "data"))
    for part in ("data", "ontology"):
        triples = [q.triple for q in store.quads((part,))]
        text = turtle_export(store, part).decode()
        assert text == canonical_turtle(triples, PREFIXES)
        assert text.count("\n## ") > 5


@pytest.mark.parametrize("part", ["data", "ontology"])
def test_the_project_graph_compacts_as_pyld_does(project, part) -> None:
    store = load_project(project, parts=("ontology", "data"))
    streamed = assert_same_json_ld(store, part)
    assert len(streamed["@graph"]) > 100


def test_a_generated_graph_compacts_as_pyld_does(tmp_path) -> None:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples",
                    "3000", "--out", str(tmp_path / "g")], check=True, capture_output=True)
    store = load_project(find_project(str(tmp_path / "g")), parts=("ontology", "data"))
    streamed = assert_same_json_ld(store)
    assert len(streamed["@graph"]) > 200


blank = st.sampled_from([ox.BlankNode(f"b{i}") for i in range(5)])
iri = st.sampled_from([ox.NamedNode(SC + "Nation"), ox.NamedNode(SC + "Launch"),
                       ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b"),
                       ox.NamedNode("https://w3id.org/spacecoop/id/nation/sau"),
                       ox.NamedNode("urn:x:weird"), ox.NamedNode(RDF + "nil")])
literal = st.builds(ox.Literal, st.text(max_size=8)) | st.builds(
    lambda v: ox.Literal(v, language="ar"), st.text(max_size=5)) | st.sampled_from(
    [ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
     ox.Literal("2022-07-14", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
     ox.Literal("v", datatype=ox.NamedNode(EX + "type")), ox.Literal("two\nlines"),
     ox.Literal("x" * 120)])
predicate = st.sampled_from([ox.NamedNode(p) for p in (
    RDF_TYPE, RDF + "first", RDF + "rest", "http://www.w3.org/2000/01/rdf-schema#label",
    SC + "hasPartner", SC + "signedOn", EX + "p")])
quad = st.builds(lambda s, p, o, g: ox.Quad(s, p, o, ox.NamedNode(f"{EX}graph/{g}")),
                 iri | blank, predicate, iri | blank | literal, st.integers(0, 2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quad, max_size=40))
def test_any_graph_over_several_files_streams_to_the_canonical_text(quads) -> None:
    """Subjects in more than one file, blank nodes shared or nested, lists, long lines."""
    store = EmbeddedStore()
    store.store.extend(quads)
    store.graphs["data"] = sorted({q.graph_name.value for q in quads})
    assert turtle_export(store).decode() == canonical_turtle(quads, PREFIXES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quad, max_size=30))
def test_any_graph_compacts_as_pyld_does(quads) -> None:
    """Language maps with other values beside them, coerced IRIs next to literals, dates,
    blank nodes shared, nested and in lists, subjects in several files."""
    store = EmbeddedStore()
    store.store.extend(quads)
    store.graphs["data"] = sorted({q.graph_name.value for q in quads})
    assert_same_json_ld(store, reference=pyld_compaction_of_expanded)


def test_an_iri_that_would_read_as_a_curie_is_refused() -> None:
    store = EmbeddedStore()
    store.load_text("<nation:x> <https://example.org/p> <https://example.org/o> .",
                    "data/a.nt", part="data")
    with pytest.raises(InputError, match=r"cannot write the IRI <nation:x> in JSON-LD"):
        run_export(store, "json-ld")


@pytest.mark.parametrize("context", [
    {"@vocab": EX}, {"ex": EX, "ex:p": {"@type": "@id", "@container": "@set"}},
    {"ex": EX, "p": {"@id": EX + "p"}}, {"ex": EX, "@language": "en"},
])
def test_a_context_beyond_the_compactor_goes_to_pyld(tmp_path, context) -> None:
    assert Compactor.of({"@context": context}) is None
    path = tmp_path / "context.jsonld"
    path.write_text(json.dumps({"@context": context}), encoding="utf-8")
    store = EmbeddedStore()
    store.load_text(f"<{EX}a> <{EX}p> <{EX}b> .", "data/a.nt", part="data")
    out = io.BytesIO()
    export(store, "json-ld", out, context_path=path)
    assert graph_of(json.loads(out.getvalue())) == [f"<{EX}a> <{EX}p> <{EX}b>"]
