"""A remote SPARQL 1.1 endpoint behind the engine interface.

Queries go out as form-encoded POST (SPARQL 1.1 Protocol; Virtuoso never answers a POST of
``application/sparql-query``); answers are read completely, within ``--timeout`` in total and
``--max-bytes``, and parsed by pyoxigraph before anything is returned: a timeout, a
connection cut mid-answer, a short body or an answer that does not parse is a
:class:`~kgtool.errors.LimitError` (exit 4), never a partial result.

Parts map to graphs the way ``kgtool load`` writes them: one named graph per file,
``https://w3id.org/spacecoop/graph/<path>``. The graphs of the asked parts go on each request
as ``default-graph-uri`` parameters (all per-file graphs as ``named-graph-uri``), so the query
text is sent as written (parameters bound by a VALUES block). An endpoint that holds none of
these graphs (loaded some other way, or by ``kgtool load --graph``) is queried on its own
default graph. The store is told by its ``Server`` header, and its quirks handled by
:mod:`kgtool.engine.dialect` (Virtuoso: property paths rewritten, results read as XML).

>>> RemoteEndpoint("http://127.0.0.1:7878/query").description
'SPARQL endpoint http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import dataclasses
import sys
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kgtool.engine.base import (
    GRAPH_BASE,
    QUERYABLE_PARTS,
    Boolean,
    QueryResult,
    Solutions,
    Term,
    Triples,
    graph_iri,
    graph_part,
    to_result,
)
from kgtool.engine.bindings import with_values
from kgtool.engine.dialect import Dialect, detect
from kgtool.engine.embedded import EmbeddedStore
from kgtool.engine.http import (
    MAX_RESPONSE_BYTES,
    EndpointError,
    Http,
    Response,
    check_status,
    check_url,
)
from kgtool.engine.sparql import analyse, projection, refuse_unsafe
from kgtool.errors import LimitError, UsageError

_RESULTS_JSON = "application/sparql-results+json"
_RESULTS_XML = "application/sparql-results+xml"
_LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
#: Virtuoso answers this in 0.1 s, and without the FILTER in 20 s.
_LIST_GRAPHS_VIRTUOSO = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                         f"FILTER (STRSTARTS(STR(?g), \"{GRAPH_BASE}\")) }}")
_GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES,
                "text/plain": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}

class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint that holds the project's graphs (see ``kgtool load``)."""

    def __init__(self, url: str, *, timeout: float = 30.0,
                 env: Mapping[str, str] | None = None,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> None:
        check_url(url)
        self.url = url
        self.http = Http(timeout, env, max_bytes=max_bytes)
        self.description = f"SPARQL endpoint {url}"
        self._graphs: dict[str, list[str]] | None = None
        self._dialect: Dialect | None = None
        self._closures: dict[tuple[str, bool], list] = {}
        self._mirror: EmbeddedStore | None = None

    @property
    def dialect(self) -> Dialect:
        """The store's dialect, told by the Server header of its first answer."""
        if self._dialect is None:
            self.graphs  # noqa: B018 (the first request tells the store)
        assert self._dialect is not None
        return self._dialect

    @property
    def graphs(self) -> dict[str, list[str]]:
        """The per-file graphs the endpoint holds, by part (asked once)."""
        if self._graphs is None:
            answer = self._send(_LIST_GRAPHS, [], [], "listing the graphs")
            if self.dialect.name == "virtuoso":  # GRAPH ?g {} lists nothing there
                answer = self._send(_LIST_GRAPHS_VIRTUOSO, [], [], "listing the graphs")
            found: dict[str, list[str]] = {}
            rows = [row for row in answer.rows if row[0] is not None]  # Virtuoso: one empty
            for (graph,) in sorted(rows, key=lambda row: row[0].value):
                part = graph_part(graph.value)
                if part:
                    found.setdefault(part, []).append(graph.value)
            self._graphs = found
        return self._graphs

    def default_graph(self, parts: Iterable[str] = QUERYABLE_PARTS) -> list[ox.NamedNode]:
        """The graphs of ``parts``; none when the endpoint has no per-file graphs."""
        if not self.graphs:
            return []
        return [ox.NamedNode(g) for part in parts for g in self.graphs.get(part, [])] or [
            ox.NamedNode(graph_iri("none"))]  # a graph that does not exist: empty

    def quads(self, parts: Iterable[str] = QUERYABLE_PARTS) -> Iterator[ox.Quad]:
        """Every quad of the graphs of ``parts``, one CONSTRUCT per graph."""
        for graph in self.default_graph(parts):
            yield from self._graph_quads(graph)

    def project_graphs(self) -> dict[str, list[str]]:
        """The endpoint's per-file graphs of the ontology, the data and the shapes, by part;
        a usage error when it holds none of them (nothing was loaded)."""
        graphs = {part: list(iris) for part, iris in self.graphs.items()
                  if part in ("ontology", "data", "shapes")}
        if not graphs:
            raise UsageError(f"{self.description} holds none of the project's graphs",
                             hint="push them first: kgtool --endpoint URL load")
        return graphs

    def mirror(self) -> EmbeddedStore:
        """The endpoint's per-file graphs (ontology, data and shapes) copied into an
        in-memory store, one CONSTRUCT per graph, asked once: what whole-graph ``validate``
        and ``export`` read (a submission reads less: kgtool.validation.remote_scope). On a
        terminal, stderr shows how far the copy is."""
        if self._mirror is None:
            graphs = self.project_graphs()
            mirror = EmbeddedStore(graphs=graphs, description=f"copy of {self.description}")
            names = [g for iris in graphs.values() for g in iris]
            shown = sys.stderr.isatty()
            for done, graph in enumerate(names, 1):
                if shown:
                    print(f"\rReading the graphs of {self.url}: {done}/{len(names)}",
                          end="", file=sys.stderr, flush=True)
                mirror.store.extend(self._graph_quads(ox.NamedNode(graph)))
            if shown:
                print(file=sys.stderr)
            self._mirror = mirror
        return self._mirror

    def _graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        answer = self._send(construct, [], [graph], f"reading {graph}")
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in answer.triples]

    @property
    def store(self) -> ox.Store:
        """The store of :meth:`mirror`, for the readers that walk triples."""
        return self.mirror().store

    def extended(self, work, *, parts=(), triples=()):
        """``work(view)`` on :meth:`mirror` (with a submission's ``triples``), as embedded."""
        return self.mirror().extended(work, parts=parts, triples=triples)

    def contains(self, subject=None, predicate=None, obj=None, parts=QUERYABLE_PARTS) -> bool:
        """Whether the graphs of ``parts`` hold a triple of this pattern, in :meth:`mirror`."""
        return self.mirror().contains(subject, predicate, obj, parts=parts)

    def classes_of(self, nodes, parts=QUERYABLE_PARTS) -> dict[str, set[str]]:
        """The classes of each IRI among ``nodes``, from :meth:`mirror`."""
        return self.mirror().classes_of(nodes, parts=parts)

    def query(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None,
        parts: Iterable[str] = QUERYABLE_PARTS, display: str = "query",
        allow_service: bool = False,
    ) -> QueryResult:
        """Run SPARQL at the endpoint over the graphs of ``parts``; variables bound by VALUES.
        Updates, SERVICE and FROM are refused unless ``allow_service``, as embedded."""
        refuse_unsafe(sparql, display, allow_service=allow_service)
        named = [ox.NamedNode(g) for part_graphs in self.graphs.values() for g in part_graphs]
        return self._send(with_values(sparql, substitutions or {}),
                          self.default_graph(parts), named, display)

    def triple_count(self) -> int:
        """Triples in the ontology and data graphs, counted per graph."""
        graphs = self.default_graph()
        if graphs:
            answer = self._send("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                f"VALUES ?g {{ {' '.join(map(str, graphs))} }} }}", [], [],
                                "counting triples")
        else:
            answer = self._send("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [], [],
                                "counting triples")
        return int(answer.rows[0][0].value)

    def _closure(self, step: str, inverse: bool) -> list:
        """The edges of one property-path step, asked once (for a path rewrite)."""
        key = (step, inverse)
        if key not in self._closures:
            answer = self._send(f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{step}> ?b }}",
                                self.default_graph(), [], f"reading the edges of <{step}>")
            self._closures[key] = [(b, a) if inverse else (a, b) for a, b in answer.rows]
        return self._closures[key]

    def _send(self, sparql: str, default: list[ox.NamedNode], named: list[ox.NamedNode],
              what: str):
        dialect = self._dialect
        text = sparql if dialect is None else dialect.rewrite(sparql, self._closure)
        params = [("query", text)] + [("default-graph-uri", g.value) for g in default] + \
            [("named-graph-uri", g.value) for g in named]
        form = analyse(sparql).form
        accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else \
            (dialect.results_type if dialect else _RESULTS_JSON)
        response = self.http.send("POST", self.url, what=what,
                                  body=urllib.parse.urlencode(params).encode("ascii"), headers={
                                      "Content-Type": "application/x-www-form-urlencoded",
                                      "Accept": accept})
        if self._dialect is None:
            self._dialect = detect(response.server)
        check_status(response, self.url, what)
        response = dataclasses.replace(response, stream=self._dialect.clean(response.stream))
        result = self._dialect.normalise(parse_answer(response, what), form or "SELECT")
        return check_answer(result, sparql, what)


def parse_answer(response: Response, what: str) -> QueryResult:
    """Parse a complete answer; one that does not parse counts as cut off (LimitError)."""
    media = response.content_type.split(";")[0].strip().lower()
    try:
        if media in (_RESULTS_JSON, _RESULTS_XML):
            return to_result(ox.parse_query_results(
                input=response.stream, format=ox.QueryResultsFormat.JSON
                if media == _RESULTS_JSON else ox.QueryResultsFormat.XML))
        if media in _GRAPH_TYPES:
            return Triples([quad.triple for quad in
                            ox.parse(input=response.stream, format=_GRAPH_TYPES[media])])
    except SyntaxError as error:
        raise LimitError(f"{what}: the answer is incomplete or malformed ({error}); "
                         "nothing of it was used",
                         hint="retry, raise --timeout, or raise the endpoint's own time limit"
                         ) from None
    raise EndpointError(f"{what}: the endpoint answered with {media or 'no content type'}",
                        hint=f"kgtool reads {_RESULTS_JSON}, {_RESULTS_XML} and "
                        "application/n-triples")


def check_answer(result: QueryResult, sparql: str, what: str) -> QueryResult:
    """The answer, if it is of the kind the query asks for (rows for a SELECT, with the
    variables it projects; a boolean for an ASK; triples for a CONSTRUCT), else
    EndpointError: a store that answers another question must not pass for an answer.

    >>> check_answer(Boolean(True), "SELECT ?s { ?s ?p ?o }", "q")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kgtool.engine.http.EndpointError: q: the endpoint answered a SELECT with a boolean...
    """
    form = analyse(sparql).form or "SELECT"
    kinds = {"SELECT": Solutions, "ASK": Boolean, "CONSTRUCT": Triples, "DESCRIBE": Triples}
    names = {Solutions: "rows", Boolean: "a boolean", Triples: "triples"}
    if not isinstance(result, kinds[form]):
        raise EndpointError(f"{what}: the endpoint answered a {form} with "
                            f"{names[type(result)]}", hint="check that the URL is a SPARQL "
                            "endpoint, and its version")
    wanted = projection(sparql) if form == "SELECT" else None
    if wanted is not None and isinstance(result, Solutions) and \
            tuple(result.variables) != wanted:
        raise EndpointError(f"{what}: the endpoint answered with the variables "
                            f"{', '.join('?' + v for v in result.variables) or '(none)'}, not "
                            f"{', '.join('?' + v for v in wanted)}",
                            hint="check that the URL is a SPARQL endpoint, and its version")
    return result

