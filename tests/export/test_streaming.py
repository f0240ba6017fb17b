"""The streaming exports equal the in-memory ones: canonical Turtle read subject by subject
from the store is the text ``canonical_turtle`` gives for the same triples."""

from __future__ import annotations

import io

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from kgtool.engine.embedded import EmbeddedStore, load_project
from kgtool.export.turtle import canonical_turtle
from kgtool.export.writers import export
from kgtool.prefixes import PrefixMap
from kgtool.vocab import RDF, RDF_TYPE

CONTEXT = REPO / "ontology" / "context.jsonld"
PREFIXES = PrefixMap.from_context(CONTEXT)
SC = "https://w3id.org/spacecoop/ontology/"
EX = "https://example.org/"


def turtle_export(store: EmbeddedStore, part: str = "data") -> bytes:
    out = io.BytesIO()
    export(store, "turtle", out, part=part, context_path=CONTEXT)
    return out.getvalue()


def test_the_project_graph_streams_to_the_canonical_text(project) -> None:
    store = load_project(project, parts=("ontology", "data"))
    for part in ("data", "ontology"):
        triples = [q.triple for q in store.quads((part,))]
        text = turtle_export(store, part).decode()
        assert text == canonical_turtle(triples, PREFIXES)
        assert text.count("\n## ") > 5


blank = st.sampled_from([ox.BlankNode(f"b{i}") for i in range(5)])
iri = st.sampled_from([ox.NamedNode(SC + "Nation"), ox.NamedNode(SC + "Launch"),
                       ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b"),
                       ox.NamedNode("https://w3id.org/spacecoop/id/nation/sau"),
                       ox.NamedNode("urn:x:weird"), ox.NamedNode(RDF + "nil")])
literal = st.builds(ox.Literal, st.text(max_size=8)) | st.builds(
    lambda v: ox.Literal(v, language="ar"), st.text(max_size=5)) | st.sampled_from(
    [ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
     ox.Literal("two\nlines"), ox.Literal("x" * 120)])
predicate = st.sampled_from([ox.NamedNode(p) for p in (
    RDF_TYPE, RDF + "first", RDF + "rest", "http://www.w3.org/2000/01/rdf-schema#label",
    SC + "hasPartner", EX + "p")])
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
