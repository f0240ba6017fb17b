"""A submission's neighbourhood read from an endpoint, so that scoped validation over
``--endpoint`` copies a few thousand triples instead of the whole graph.

The ontology and shapes graphs are copied whole (they are small; once per endpoint). From
the data graphs only what :mod:`kgtool.validation.scoping`, the SPARQL constraints, the
hygiene checks and the curator read is fetched, in batched SELECTs that keep each triple's
graph (so per-file placement, and every report line that names a file, is unchanged):

1. all triples out of the submission's subjects and IRI objects, and into its subjects;
2. the nodes that reach a subject through a predicate the shapes read, ``depth`` steps back
   (an object: ``depth - 1``; see :func:`~kgtool.validation.reach.shape_reach`), and the
   nodes a subject points to through a predicate read inversely: the affected nodes, as
   :func:`~kgtool.validation.scoping.affected_nodes` finds them;
3. the triples of the affected nodes and of the nodes they reach within ``depth`` steps,
   their incoming edges on inversely read predicates (those include every IRI of a SPARQL
   constraint), and those incoming nodes' triples on the same predicates (the constraints
   read ``?signing sc:ofAgreement $this ; sc:signedOn ?d``);
4. rdf:type, labels and owl:deprecated of every node mentioned so far (and of the nodes
   found in 5);
5. the nodes sharing an English label (lower case) or an identifier (ISO codes, Wikidata
   link, COSPAR and NORAD ids) with a subject (the duplicate checks), one use of each
   predicate and class the submission uses (whether the graph uses it yet), and, only
   when a reference under ``/id/`` is unknown, every typed ``/id/`` node's type and labels
   (the curator's "did you mean" hint reads them all).

>>> BATCH
300
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import pyoxigraph as ox

from kgtool.engine.embedded import EmbeddedStore
from kgtool.engine.remote import RemoteEndpoint
from kgtool.validation.curation import IDENTIFIERS
from kgtool.validation.reach import shape_reach
from kgtool.vocab import ID, OWL, RDF_TYPE, RDFS_LABEL, SC, SKOS

BATCH = 300  # IRIs per VALUES list
_DESCRIBING = (RDF_TYPE, RDFS_LABEL, SKOS + "prefLabel", OWL + "deprecated")
_KEYS = (*IDENTIFIERS, SC + "cosparId", SC + "noradId")
#: each endpoint's ontology and shapes, read once (the web app checks many submissions)
_SCHEMA: weakref.WeakKeyDictionary[RemoteEndpoint, list[ox.Quad]] = weakref.WeakKeyDictionary()


class _Reader:
    """Fetches data-graph triples around nodes into ``store``, each node and way once."""

    def __init__(self, endpoint: RemoteEndpoint, store: EmbeddedStore) -> None:
        self.endpoint, self.store = endpoint, store
        graphs = " ".join(f"<{g}>" for g in endpoint.graphs.get("data", []))
        self.graphs = f"VALUES ?g {{ {graphs} }}"
        self.done: set[tuple] = set()

    def fetch(self, where: str, what: str, limit: str = "") -> list[ox.Quad]:
        """Rows of ``SELECT ?g ?s ?p ?o WHERE { where }`` over the data graphs, stored."""
        answer = self.endpoint.query(
            f"SELECT ?g ?s ?p ?o WHERE {{ {self.graphs} {where} }} {limit}",
            parts=("data",), display=what)
        quads = [ox.Quad(s, p, o, g) for g, s, p, o in answer.rows]
        self.store.store.extend(quads)
        return quads

    def around(self, nodes: Iterable, way: str, predicates: Iterable[str] | None = None
               ) -> list[ox.Quad]:
        """The data triples out of (``way="out"``) or into ``nodes`` (IRIs), through
        ``predicates`` (all when None), fetched if not yet read; out of a node, the triples
        of its blank-node objects are fetched too."""
        key = None if predicates is None else frozenset(predicates)
        nodes = {n for n in nodes if isinstance(n, ox.NamedNode)}
        todo = sorted((n for n in nodes if (n, way, key) not in self.done
                       and (n, way, None) not in self.done), key=lambda n: n.value)
        self.done |= {(n, way, key) for n in todo}
        bound = "" if key is None else f"VALUES ?p {{ {' '.join(f'<{p}>' for p in sorted(key))} }}"
        for start in range(0, len(todo) if key is None or key else 0, BATCH):
            values = " ".join(str(n) for n in todo[start:start + BATCH])
            if way == "out":
                where = (f"VALUES ?n {{ {values} }} {bound} {{ GRAPH ?g {{ ?n ?p ?o }} BIND "
                         "(?n AS ?s) } UNION { GRAPH ?g { ?n ?q ?s . ?s ?p ?o "
                         "FILTER (isBLANK(?s)) } }")
            else:
                where = f"VALUES ?o {{ {values} }} {bound} GRAPH ?g {{ ?s ?p ?o }}"
            self.fetch(where, f"reading the neighbourhood ({way})")
        data = set(self.store.default_graph(("data",)))
        return [q for n in nodes for q in self.store.store.quads_for_pattern(
            *((n, None, None) if way == "out" else (None, None, n)))
            if q.graph_name in data and (key is None or q.predicate.value in key)]


def _nodes(quads: Iterable) -> set:
    return {t for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}


def neighbourhood_store(endpoint: RemoteEndpoint, triples: list[ox.Triple]) -> EmbeddedStore:
    """An in-memory store with the endpoint's ontology and shapes and the part of its data
    graphs that validating ``triples`` as a submission reads (see the module docstring)."""
    store = EmbeddedStore(graphs=endpoint.project_graphs(),
                          description=f"neighbourhood in {endpoint.description}")
    if endpoint not in _SCHEMA:
        _SCHEMA[endpoint] = list(endpoint.quads(("ontology", "shapes")))
    store.store.extend(_SCHEMA[endpoint])
    reach, read = shape_reach(store), _Reader(endpoint, store)
    subjects = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
    objects = {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
    read.around(subjects | objects, "out")
    read.around(subjects, "in")
    affected = subjects | objects

    def back(level: set, steps: int) -> None:  # as scoping.affected_nodes walks
        for _ in range(steps):
            level = {q.subject for q in read.around(level, "in", reach.forward)} - affected
            affected.update(level)

    back(subjects, reach.depth)
    back(objects, reach.depth - 1)
    affected |= {q.object for q in read.around(subjects, "out") if q.predicate.value in
                 reach.inverse}
    nodes, level = set(affected), set(affected)
    for _ in range(reach.depth + 1):  # scoping.neighbourhood walks forward as far
        level = _nodes(read.around(level, "out")) - nodes
        nodes |= level
    incoming = {q.subject for q in read.around(affected, "in", reach.inverse)}
    read.around(incoming, "out", reach.inverse)  # what SPARQL constraints read of them
    read.around(_nodes(store.quads(("data",))), "out", _DESCRIBING)
    _similar(read, store, triples, subjects)
    return store


def _similar(read: _Reader, store: EmbeddedStore, triples: list[ox.Triple], subjects) -> None:
    """The nodes the duplicate, undeclared-term and unknown-reference checks compare."""
    own = [t for t in triples if t.subject in subjects] + [
        q.triple for s in subjects for q in store.store.quads_for_pattern(s, None, None)]
    labels = {t.object.value.lower() for t in own if t.predicate.value == RDFS_LABEL
              and isinstance(t.object, ox.Literal) and t.object.language.startswith("en")}
    ids = {(t.predicate.value, t.object.value) for t in own if t.predicate.value in _KEYS}
    found = []
    if labels:
        wanted = ", ".join(str(ox.Literal(k)) for k in sorted(labels))
        found += read.fetch(f"GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ <{RDFS_LABEL}> }} "
                            f'FILTER (LANGMATCHES(LANG(?o), "en") && LCASE(STR(?o)) IN '
                            f"({wanted})) ", "reading nodes with the same labels")
    if ids:
        rows = " ".join(f"(<{p}> {ox.Literal(v)})" for p, v in sorted(ids))
        found += read.fetch(f"VALUES (?p ?v) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }} "
                            "FILTER (STR(?o) = ?v)", "reading nodes with the same identifiers")
    read.around({q.subject for q in found}, "out", _DESCRIBING)
    type_ = ox.NamedNode(RDF_TYPE)
    for predicate in sorted({t.predicate for t in triples}, key=str):
        if not store.contains(predicate=predicate, parts=("data",)):
            read.fetch(f"GRAPH ?g {{ ?s {predicate} ?o }} BIND ({predicate} AS ?p)",
                       "reading a use of a predicate", "LIMIT 1")
    for cls in sorted({t.object for t in triples if t.predicate == type_
                       and isinstance(t.object, ox.NamedNode)}, key=str):
        if not store.contains(None, type_, cls, parts=("data",)):
            read.fetch(f"GRAPH ?g {{ ?s a {cls} }} BIND (<{RDF_TYPE}> AS ?p) BIND "
                       f"({cls} AS ?o)", "reading a use of a class", "LIMIT 1")
    typed = {t.subject for t in triples if t.predicate == type_}
    refs = {n for n in subjects | {t.object for t in triples}
            if isinstance(n, ox.NamedNode) and n.value.startswith(ID) and n not in typed}
    if any(not store.contains(n, type_) for n in refs):
        read.fetch(f"GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ <{RDF_TYPE}> <{RDFS_LABEL}> }} "
                   f'FILTER (STRSTARTS(STR(?s), "{ID}"))', "reading the typed nodes")
