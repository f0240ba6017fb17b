"""Push the project into a triplestore over the SPARQL 1.1 Graph Store Protocol, in batches,
one named graph per file (``kgtool load``).

>>> store_url("http://127.0.0.1:7878/query")
'http://127.0.0.1:7878/store'
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.engine.base import PROJECT_PARTS, graph_iri, rdf_format, syntax_error
from kgtool.engine.embedded import project_files
from kgtool.engine.http import Http, check_status, check_url
from kgtool.errors import InputError, UsageError
from kgtool.project import Project

BATCH_TRIPLES = 50_000


def store_url(endpoint: str, dialect: str = "standard") -> str:
    """The Graph Store endpoint beside a query endpoint, as Oxigraph lays them out (or
    Virtuoso: ``/sparql-graph-crud-auth``, which asks for HTTP Digest).

    >>> store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> store_url("http://127.0.0.1:8890/sparql", "virtuoso")
    'http://127.0.0.1:8890/sparql-graph-crud-auth'
    """
    parts = check_url(endpoint)
    if dialect == "virtuoso":
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc,
                                        parts.path.rstrip("/") + "-graph-crud-auth", "", ""))
    head, _, tail = parts.path.rstrip("/").rpartition("/")
    if tail not in ("query", "sparql", ""):
        raise UsageError(f"cannot tell the Graph Store endpoint of {endpoint}",
                         hint="pass --store URL (Fuseki: .../DATASET/data; GraphDB: "
                              ".../repositories/ID/rdf-graphs/service)")
    path = (head if tail else parts.path.rstrip("/")) + "/store"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass(frozen=True)
class Batch:
    """Triples of one file bound for one graph, sent in one request."""

    graph: str
    display: str
    triples: list[ox.Triple]


def _triples(path, display: str):
    try:
        for quad in ox.parse(path=str(path), format=rdf_format(display)):
            yield quad.triple
    except SyntaxError as error:
        raise syntax_error(display, error) from None
    except OSError as error:
        raise InputError(f"{display}: cannot read file ({error.strerror or error})",
                         hint="check that the file exists and is readable") from None


def batches(files: list[tuple[str, object]], graph: str | None, size: int):
    """At least one batch per file; a file's triples with blank nodes go in its last batch,
    together, because blank node labels are scoped to one request."""
    for display, path in files:
        target = graph or graph_iri(display)
        plain: list[ox.Triple] = []
        blank: list[ox.Triple] = []
        for triple in _triples(path, display):
            if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
                blank.append(triple)
                continue
            plain.append(triple)
            if len(plain) == size:
                yield Batch(target, display, plain)
                plain = []
        yield Batch(target, display, plain + blank)


class Loader:
    """Send (display, path) files to a Graph Store endpoint, in batches.

    Every file is parsed when the loader is made (``total`` counts the triples), so a
    syntax error stops the load before anything is sent. With ``replace`` a graph's first
    request is a PUT (which replaces it), else every request is a POST (which adds to it).
    """

    def __init__(self, files: list[tuple[str, object]], url: str, *, graph: str | None = None,
                 replace: bool = False, size: int = BATCH_TRIPLES, timeout: float = 30.0,
                 env: Mapping[str, str] | None = None) -> None:
        check_url(url, "--store")
        self.files, self.url, self.graph, self.replace, self.size = files, url, graph, \
            replace, size
        self.http = Http(timeout, env)
        self.total = sum(1 for display, path in files for _ in _triples(path, display))

    def run(self, progress=None) -> tuple[int, int]:
        """Send every batch; ``progress(n)`` after each. Returns (triples, graphs)."""
        started: set[str] = set()
        sent = 0
        for batch in batches(self.files, self.graph, self.size):
            method = "PUT" if self.replace and batch.graph not in started else "POST"
            started.add(batch.graph)
            what = f"loading {batch.display} into <{batch.graph}>"
            response = self.http.send(
                method, f"{self.url}?{urllib.parse.urlencode({'graph': batch.graph})}",
                body=ox.serialize(batch.triples, format=ox.RdfFormat.N_TRIPLES), what=what,
                headers={"Content-Type": "application/n-triples"})
            check_status(response, self.url, what)
            sent += len(batch.triples)
            if progress is not None:
                progress(len(batch.triples))
        return sent, len(started)


def project_loader(project: Project, endpoint: str | None, store: str | None, *,
                   graph: str | None = None, replace: bool = False, size: int = BATCH_TRIPLES,
                   timeout: float = 30.0) -> Loader:
    """``kgtool load``: a Loader of the project's ontology, shapes and data files, bound for
    ``store`` or the Graph Store endpoint beside ``endpoint`` (into ``graph``, if given)."""
    if not (endpoint or store):
        raise UsageError("kgtool load needs a triplestore",
                         hint="pass --endpoint URL (or --store URL for its Graph Store endpoint)")
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise UsageError(f"--graph {graph!r} is not an IRI",
                             hint="give an absolute IRI, e.g. https://example.org/spacecoop"
                             ) from None
    files = [(project.relative(path), path) for _, path in project_files(project, PROJECT_PARTS)]
    loader = Loader(files, store or store_url(endpoint), graph=graph, replace=replace,
                    size=size, timeout=timeout)  # parses every file before anything is sent
    if not store:
        from kgtool.engine.remote import RemoteEndpoint

        loader.url = store_url(endpoint, RemoteEndpoint(endpoint, timeout=timeout).dialect.name)
    return loader
