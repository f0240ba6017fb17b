"""The edges around a submission: the graph's, read from its store, and the submission's
own, from its triples in memory.

A lookup in an on-disk store opens a RocksDB iterator, 25-50 µs each, and a submission's
neighbourhood takes a few hundred. The nodes a submission reaches (its nations, agencies,
companies, launch vehicles) are much the same from one submission to the next, and an
on-disk store never changes while it is open, so the edges read from one are kept with its
engine for the next submission (up to :data:`_KEPT` nodes each way).

>>> store = EmbeddedStore()
>>> store.load_text("<https://e.org/a> <https://e.org/p> <https://e.org/b> .", "data/a.nt",
...                 part="data")
>>> new = ox.Triple(ox.NamedNode("https://e.org/c"), ox.NamedNode("https://e.org/p"),
...                 ox.NamedNode("https://e.org/b"))
>>> edges = neighbours(store, [new])
>>> sorted(q.subject.value for q in edges.into(ox.NamedNode("https://e.org/b"),
...                                            frozenset({"https://e.org/p"})))
['https://e.org/a', 'https://e.org/c']
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from weakref import WeakKeyDictionary

import pyoxigraph as ox

from kgtool.engine.base import SUBMISSION_GRAPH
from kgtool.engine.embedded import EmbeddedStore, type_closure

_FEW = 64  # incoming edges read at once, unless a node has more
_KEPT = 10_000  # nodes whose edges a graph keeps each way (tens of MB at most: a hub's
#                incoming edges can be thousands); past it, it starts again
_KEPT_BY: WeakKeyDictionary = WeakKeyDictionary()  # an on-disk engine -> its GraphEdges


class GraphEdges:
    """Edges of the ontology and data graphs of an engine's store (not the shapes), each
    node's read once."""

    def __init__(self, engine: EmbeddedStore) -> None:
        self.store = engine.store
        self.graphs = set(engine.default_graph(("ontology", "data")))
        self._out: dict[object, list[ox.Quad]] = {}
        self._into: dict[tuple, list[ox.Quad]] = {}

    def out(self, node) -> list[ox.Quad]:
        """Every edge out of ``node``."""
        found = self._out.get(node)
        if found is None:
            if len(self._out) >= _KEPT:
                self._out.clear()
            found = self._out[node] = [q for q in self.store.quads_for_pattern(node, None, None)
                                       if q.graph_name in self.graphs]
        return found

    def into(self, node, predicates: frozenset[str]) -> list[ox.Quad]:
        """Edges into ``node`` through ``predicates``: all its incoming edges read at once
        when they are few, else predicate by predicate (a node such as a nation has many
        incoming edges, few of them through these)."""
        key = (node, predicates)
        found = self._into.get(key)
        if found is None:
            if len(self._into) >= _KEPT:
                self._into.clear()
            found = self._into[key] = self._read_into(node, predicates)
        return found

    def _read_into(self, node, predicates: frozenset[str]) -> list[ox.Quad]:
        few = list(islice(self.store.quads_for_pattern(None, None, node), _FEW + 1))
        if len(few) <= _FEW:
            return [q for q in few if q.graph_name in self.graphs
                    and q.predicate.value in predicates]
        return [q for p in sorted(predicates) for q in self.store.quads_for_pattern(
            None, ox.NamedNode(p), node) if q.graph_name in self.graphs]


def graph_edges(engine: EmbeddedStore) -> GraphEdges:
    """The edges of ``engine``'s graph: kept with an on-disk store (its graphs never
    change), read afresh for an in-memory one.

    >>> graph_edges(EmbeddedStore()).out(ox.NamedNode("https://e.org/a"))
    []
    """
    if getattr(engine, "location", None) is None:
        return GraphEdges(engine)
    kept = _KEPT_BY.get(engine)
    if kept is None:
        kept = _KEPT_BY[engine] = GraphEdges(engine)
    return kept


class Neighbours:
    """The edges of a graph (:class:`GraphEdges`) with a submission's ``triples`` added."""

    def __init__(self, graph: GraphEdges, triples: Iterable[ox.Triple]) -> None:
        self.graph = graph
        self._out: dict[object, list[ox.Quad]] = {}
        self._in: dict[object, list[ox.Quad]] = {}
        for t in triples:
            quad = ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(SUBMISSION_GRAPH))
            self._out.setdefault(t.subject, []).append(quad)
            self._in.setdefault(t.object, []).append(quad)

    def out(self, node, predicates: frozenset[str] | None = None) -> list[ox.Quad]:
        """Edges out of ``node`` (through ``predicates``)."""
        edges = self.graph.out(node) + self._out.get(node, [])
        return edges if predicates is None else [q for q in edges
                                                 if q.predicate.value in predicates]

    def into(self, node, predicates: frozenset[str]) -> list[ox.Quad]:
        """Edges into ``node`` through ``predicates``."""
        if not predicates:
            return []
        return self.graph.into(node, predicates) + [
            q for q in self._in.get(node, []) if q.predicate.value in predicates]

    def classes_of(self, nodes: Iterable) -> dict[str, set[str]]:
        """The classes (rdf:type/rdfs:subClassOf*) of each IRI among ``nodes``, as
        :meth:`EmbeddedStore.classes_of` finds them in the graph with the submission."""
        return type_closure(nodes, lambda node, predicate: {
            q.object for q in self.out(node) if q.predicate == predicate})


def neighbours(engine: EmbeddedStore, triples: Iterable[ox.Triple] = ()) -> Neighbours:
    """The edges of ``engine``'s ontology and data with ``triples`` (a submission) added."""
    return Neighbours(graph_edges(engine), triples)
