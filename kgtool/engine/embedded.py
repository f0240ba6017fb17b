"""The embedded engine: a pyoxigraph store with one named graph per project file.

The project store holds the ontology and the data, and queries read the union of its graphs
as their default graph (one index lookup per pattern, not one per file). The shapes are
kept apart: :meth:`EmbeddedStore.extended` adds them, and a submission, to a scratch view
for validation and export.

>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/a> <https://e.org/p> "x" .', "data/a.nt", part="data")
>>> store.query('SELECT ?o WHERE { ?s ?p ?o }').rows[0][0].value
'x'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from kgtool.engine.base import (
    QUERYABLE_PARTS,
    SUBMISSION_GRAPH,
    QueryResult,
    SolutionStream,
    Term,
    graph_iri,
    query_syntax_error,
    rdf_format,
    syntax_error,
    to_result,
)
from kgtool.engine.bindings import with_values
from kgtool.engine.sparql import refuse_unsafe
from kgtool.errors import InputError
from kgtool.vocab import RDF_TYPE, RDFS

if TYPE_CHECKING:
    from kgtool.project import Project

_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
T = TypeVar("T")


class EmbeddedStore:
    """A pyoxigraph store with one named graph per loaded file: in memory, or opened from disk.

    ``graphs`` maps each part (ontology, data, shapes) to its graph IRIs in load order;
    ``apart`` lists the (part, display, path) of project files not loaded, which
    :meth:`extended` adds on demand (the shapes); ``bulk`` loads with pyoxigraph's bulk
    loader (for building an on-disk store).
    """

    def __init__(self, store: ox.Store | None = None, graphs: dict[str, list[str]] | None = None,
                 *, description: str = "embedded pyoxigraph store", bulk: bool = False,
                 apart: Iterable[tuple[str, str, Path]] = (), fixed: bool = False) -> None:
        self.store = ox.Store() if store is None else store
        self.graphs: dict[str, list[str]] = {} if graphs is None else graphs
        self.description = description
        self.bulk = bulk
        self.apart = list(apart)
        self.fixed = fixed
        self._all: tuple[frozenset, bool] | None = None  # the store's graphs, when fixed

    def load_text(self, text: str | bytes, display: str, *, part: str) -> None:
        """Load RDF text under the graph of ``display``."""
        self._load(display, part, input=text)

    def load_file(self, path: Path, display: str, *, part: str) -> None:
        """Load one file into its graph, or raise InputError with file:line:col."""
        try:
            self._load(display, part, path=str(path))
        except OSError as error:
            raise InputError(
                f"{display}: cannot read file ({error.strerror or error})",
                hint="check that the file exists and is readable",
            ) from None

    def _load(self, display: str, part: str, **source: object) -> None:
        graph = ox.NamedNode(graph_iri(display))
        load = self.store.bulk_load if self.bulk else self.store.load
        try:
            load(format=rdf_format(display), to_graph=graph, **source)
        except SyntaxError as error:
            raise syntax_error(display, error) from None
        self.graphs.setdefault(part, []).append(graph.value)

    def _count(self, graphs: list[ox.NamedNode]) -> int:
        if not graphs:
            return 0
        (row,) = self.store.query(_COUNT, named_graphs=graphs)
        return int(row[0].value)

    def default_graph(self, parts: Iterable[str] = QUERYABLE_PARTS) -> list[ox.NamedNode]:
        """The named graphs of the given parts, which queries see as their default graph."""
        return [ox.NamedNode(g) for part in parts for g in self.graphs.get(part, [])]

    def quads(self, parts: Iterable[str] = QUERYABLE_PARTS) -> Iterator[ox.Quad]:
        """Every quad of the graphs of ``parts``, graph by graph."""
        for graph in self.default_graph(parts):
            yield from self.store.quads_for_pattern(None, None, None, graph)

    def query(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None,
        parts: Iterable[str] = QUERYABLE_PARTS, display: str = "query",
        allow_service: bool = False, lazy: bool = False,
    ) -> QueryResult | SolutionStream:
        """Run SPARQL over the graphs of ``parts``; variables pre-bound by ``substitutions``;
        with ``lazy``, a SELECT's rows come as the engine finds them (a SolutionStream).

        Updates, SERVICE and FROM are refused (:func:`refuse_unsafe`) unless
        ``allow_service``. pyoxigraph pre-binds projected variables (SEP-0007); a variable
        that the SELECT clause does not project is bound by a VALUES block instead
        (:func:`with_values`).
        """
        refuse_unsafe(sparql, display, allow_service=allow_service)
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        dataset = self._dataset(parts)
        try:
            try:
                result = self.store.query(sparql, substitutions=subs or None, **dataset)
            except RuntimeError as error:
                if "SELECT projection" not in str(error):
                    raise
                result = self.store.query(with_values(sparql, substitutions or {}), **dataset)
            return to_result(result, lazy)
        except SyntaxError as error:
            raise query_syntax_error(display, error) from None
        except OSError as error:
            raise InputError(f"{display}: the store could not be read ({error})",
                             hint="delete .kgtool/store/ to rebuild it, or set "
                                  "KGTOOL_STORE=memory") from None

    def contains(self, subject=None, predicate=None, obj=None,
                 parts: Iterable[str] = QUERYABLE_PARTS) -> bool:
        """Whether a graph of ``parts`` holds a triple of this pattern (None: any term): one
        lookup across the graphs when the subject is given (it has few triples), else one
        per graph."""
        graphs = self.default_graph(parts)
        if subject is not None:
            wanted = set(graphs)
            return any(q.graph_name in wanted
                       for q in self.store.quads_for_pattern(subject, predicate, obj))
        return any(True for g in graphs
                   for _ in self.store.quads_for_pattern(subject, predicate, obj, g))

    def classes_of(self, nodes: Iterable[Term], parts: Iterable[str] = QUERYABLE_PARTS
                   ) -> dict[str, set[str]]:
        """The classes (rdf:type/rdfs:subClassOf*) of each IRI among ``nodes``, by index
        lookups (each class's superclasses looked up once).

        >>> store = EmbeddedStore()
        >>> store.load_text("<https://e.org/a> a <https://e.org/C> . <https://e.org/C> "
        ...     f"<{RDFS}subClassOf> <https://e.org/D> .", "data/a.ttl", part="data")
        >>> sorted(store.classes_of([ox.NamedNode("https://e.org/a")])["https://e.org/a"])
        ['https://e.org/C', 'https://e.org/D']
        """
        graphs = set(self.default_graph(parts))

        def objects(node: Term, predicate: ox.NamedNode) -> set[Term]:
            return {q.object for q in self.store.quads_for_pattern(node, predicate, None)
                    if q.graph_name in graphs}

        return type_closure(nodes, objects)

    def extended(self, work: Callable[[EmbeddedStore], T], *, parts: Iterable[str] = (),
                 triples: Iterable[ox.Triple] = ()) -> T:
        """``work(view)``: ``view`` sees this store's graphs, the files of ``parts`` held
        apart (the shapes), and ``triples`` as one more data graph (a submission).

        Nothing is copied triple by triple: an in-memory store gets the graphs for the call
        and loses them after (write only to graphs that ``graphs`` does not list);
        :class:`kgtool.engine.cache.CachedStore` keeps a writable checkpoint instead. This
        store's own queries never see them.

        >>> store = EmbeddedStore()
        >>> t = ox.Triple(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p"),
        ...               ox.Literal("x"))
        >>> store.extended(lambda view: view.triple_count(), triples=[t]), store.triple_count()
        (1, 0)
        """
        files = [f for f in self.apart if f[0] in set(parts)]
        triples = list(triples)
        if not files and not triples:
            return work(self)
        graphs = {part: list(iris) for part, iris in self.graphs.items()}
        added: list[str] = []
        view = EmbeddedStore(self.store, graphs, description=self.description)
        try:
            for part, display, path in files:
                added.append(graph_iri(display))
                view.load_file(path, display, part=part)
            if triples:
                added.append(SUBMISSION_GRAPH)
                graph = ox.NamedNode(SUBMISSION_GRAPH)
                self.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                                  for t in triples)
                graphs.setdefault("data", []).append(SUBMISSION_GRAPH)
            return work(view)
        finally:
            for iri in added:
                self.store.remove_graph(ox.NamedNode(iri))

    def triple_count(self) -> int:
        """Triples in the queryable graph (ontology and data), counted per file."""
        return self._count(self.default_graph())

    def _dataset(self, parts: Iterable[str]) -> dict[str, object]:
        """The query's default graph: the graphs of ``parts``.

        pyoxigraph looks a pattern up in each graph of a list in turn (5x slower with 11
        graphs than one lookup, on a million triples), so when the parts hold every graph of
        the store, as the project store's ontology and data do, the union of all graphs is
        used instead.
        """
        graphs = self.default_graph(parts)
        if not graphs:
            return {"default_graph": ox.DefaultGraph()}
        found = self._all or (frozenset(self.store.named_graphs()), not any(
            True for _ in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        if self.fixed:
            self._all = found
        if set(graphs) == found[0] and found[1]:
            return {"use_default_graph_as_union": True}
        return {"default_graph": graphs}



def project_files(project: Project, parts: Iterable[str] = QUERYABLE_PARTS,
                  ) -> list[tuple[str, Path]]:
    """The (part, path) of every file of ``parts``, in load order; examples count as data.

    >>> from kgtool.project import find_project
    >>> project_files(find_project(), ("ontology",))[0][0]
    'ontology'
    """
    files = {"ontology": project.ontology_files, "data": project.data_files,
             "shapes": project.shape_files, "examples": project.example_files}
    return [("data" if part == "examples" else part, path)
            for part in parts for path in files[part]()]


def load_project(project: Project, parts: Iterable[str] = QUERYABLE_PARTS) -> EmbeddedStore:
    """Load the project's files into a new in-memory store, each into its own graph; the
    shapes, unless loaded, are held apart (see :meth:`EmbeddedStore.extended`).

    >>> from kgtool.project import find_project
    >>> load_project(find_project(), parts=("ontology",)).triple_count() > 0
    True
    """
    parts = tuple(parts)
    engine = EmbeddedStore(apart=[] if "shapes" in parts else shapes_apart(project))
    for part, path in project_files(project, parts):
        engine.load_file(path, project.relative(path), part=part)
    return engine


def shapes_apart(project: Project) -> list[tuple[str, str, Path]]:
    """The shape files as (part, display, path), for a store that holds them apart."""
    return [(part, project.relative(path), path)
            for part, path in project_files(project, ("shapes",))]


def type_closure(nodes: Iterable[Term], objects: Callable[[Term, ox.NamedNode], set[Term]]
                 ) -> dict[str, set[str]]:
    """The classes (rdf:type/rdfs:subClassOf*) of each IRI among ``nodes``, where
    ``objects(node, predicate)`` looks up a node's objects (each class's superclasses are
    looked up once).

    >>> sub = {"https://e.org/C": {ox.NamedNode("https://e.org/D")}}
    >>> def objects(node, predicate):
    ...     if predicate.value == RDF_TYPE:
    ...         return {ox.NamedNode("https://e.org/C")} if node.value.endswith("/a") else set()
    ...     return sub.get(node.value, set())
    >>> found = type_closure([ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/b")],
    ...                      objects)
    >>> list(found), sorted(found["https://e.org/a"])
    (['https://e.org/a'], ['https://e.org/C', 'https://e.org/D'])
    """
    type_, sub = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS + "subClassOf")
    supers: dict[Term, set[Term]] = {}

    def closure(cls: Term) -> set[Term]:  # cls and every class it reaches by subClassOf
        if cls not in supers:
            seen, todo = {cls}, [cls]
            while todo:
                for up in objects(todo.pop(), sub):
                    if up not in seen:
                        seen.add(up)
                        if not isinstance(up, ox.Literal):  # a literal has no triples
                            todo.append(up)
            supers[cls] = seen
        return supers[cls]

    out: dict[str, set[str]] = {}
    for node in {n for n in nodes if isinstance(n, ox.NamedNode)}:
        found = {c.value for t in objects(node, type_) for c in (
            {t} if isinstance(t, ox.Literal) else closure(t))}
        if found:
            out[node.value] = found
    return out
