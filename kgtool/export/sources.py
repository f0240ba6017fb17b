"""Where the canonical writers read a graph from, one subject at a time.

A source gives runs of triples that share a subject (a subject may come back in a later
run, when several files speak of it) and, on demand, all the triples of one subject
without duplicates. A store source keeps nothing: it reads the store's indexes.

>>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
>>> index = TripleIndex([ox.Triple(a, p, ox.Literal("x")), ox.Triple(a, p, ox.Literal("x"))])
>>> [(str(s), len(ts)) for s, ts in index.runs()], len(index.describe(a))
([('<https://e.org/a>', 1)], 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

import pyoxigraph as ox

from kgtool.vocab import RDF_TYPE

Subject = ox.NamedNode | ox.BlankNode
Statement = ox.Triple | ox.Quad
_TYPE = ox.NamedNode(RDF_TYPE)


class TripleIndex:
    """The unique triples of ``statements`` (quads are read as triples), by subject."""

    def __init__(self, statements: Iterable[Statement]) -> None:
        self.by_subject: dict[Subject, set[ox.Triple]] = {}
        for st in statements:
            t = st.triple if isinstance(st, ox.Quad) else st
            self.by_subject.setdefault(t.subject, set()).add(t)

    def runs(self) -> Iterator[tuple[Subject, Iterable[ox.Triple]]]:
        return iter(self.by_subject.items())

    def describe(self, subject: Subject) -> set[ox.Triple]:
        return self.by_subject[subject]


@dataclass(frozen=True)
class StoreGraphs:
    """The named ``graphs`` of ``store``; calling it gives a fresh pass over their quads,
    graph by graph (each graph's in subject order, so a subject's quads come as one run).

    >>> store = ox.Store()
    >>> a, c, g = (ox.NamedNode("https://e.org/" + n) for n in "aCg")
    >>> store.add(ox.Quad(a, _TYPE, c, g))
    >>> [(str(s), len(quads)) for s, quads in StoreGraphs(store, (g,)).runs()]
    [('<https://e.org/a>', 1)]
    """

    store: ox.Store
    graphs: tuple[ox.NamedNode, ...]

    def __call__(self) -> Iterator[ox.Quad]:
        return (q for g in self.graphs for q in self.store.quads_for_pattern(None, None, None, g))

    def runs(self) -> Iterator[tuple[Subject, list[ox.Quad]]]:
        for graph in self.graphs:
            for subject, quads in groupby(self.store.quads_for_pattern(None, None, None, graph),
                                          key=attrgetter("subject")):
                yield subject, list(quads)

    def describe(self, subject: Subject) -> set[ox.Triple]:
        graphs = set(self.graphs)
        return {q.triple for q in self.store.quads_for_pattern(subject, None, None, None)
                if q.graph_name in graphs}


def whole_subjects(source: TripleIndex | StoreGraphs
                   ) -> Iterator[tuple[Subject, Iterable[Statement]]]:
    """(subject, its triples) for every subject of ``source``, run by run; a subject that
    comes back in a later run is given once more at the end with all of its triples, to
    replace what was made of its first run.

    >>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
    >>> g1, g2 = ox.NamedNode("https://e.org/g1"), ox.NamedNode("https://e.org/g2")
    >>> store = ox.Store()
    >>> store.extend([ox.Quad(a, p, ox.Literal("1"), g1), ox.Quad(a, p, ox.Literal("2"), g2)])
    >>> [len(list(ts)) for _, ts in whole_subjects(StoreGraphs(store, (g1, g2)))]
    [1, 2]
    """
    seen: set[Subject] = set()
    again: dict[Subject, None] = {}
    for subject, triples in source.runs():
        if subject in seen:
            again[subject] = None
        else:
            seen.add(subject)
            yield subject, triples
    del seen
    for subject in again:
        yield subject, source.describe(subject)
