"""A remote SPARQL 1.1 endpoint behind the engine interface, and pushing the graph into one.

Queries go out as ``POST application/sparql-query`` (SPARQL 1.1 Protocol); answers are read
completely, within ``--timeout`` in total, and parsed by pyoxigraph before anything is
returned: a timeout, a connection cut mid-answer, a short body or an answer that does not
parse is a :class:`~kgtool.errors.LimitError` (exit 4), never a partial result.

Parts map to graphs the way ``kgtool load`` writes them: one named graph per file,
``https://w3id.org/spacecoop/graph/<path>``. The graphs of the asked parts go on each request
as ``default-graph-uri`` parameters (all per-file graphs as ``named-graph-uri``), so the query
text is sent as written (parameters bound by a VALUES block). An endpoint that holds none of
these graphs (loaded some other way, or by ``kgtool load --graph``) is queried on its own
default graph.

http.client is used rather than urllib.request: it can cap the whole exchange with one
deadline, and it never follows a redirect (which would forward credentials elsewhere).
Credentials come only from the environment: ``KGTOOL_ENDPOINT_USER`` and
``KGTOOL_ENDPOINT_PASSWORD`` (HTTP Basic) or ``KGTOOL_ENDPOINT_TOKEN`` (Bearer); they are sent
over https, or over http only to this machine.

>>> RemoteEndpoint("http://127.0.0.1:7878/query").description
'SPARQL endpoint http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import base64
import http.client
import os
import ssl
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool import __version__
from kgtool.bindings import with_values
from kgtool.errors import InputError, LimitError, UsageError
from kgtool.sparql_lexer import analyse, projection, refuse_unsafe
from kgtool.store import (
    QUERYABLE_PARTS,
    Boolean,
    QueryResult,
    Solutions,
    Term,
    Triples,
    graph_iri,
    graph_part,
    rdf_format,
    syntax_error,
    to_result,
)

ENV_USER = "KGTOOL_ENDPOINT_USER"
ENV_PASSWORD = "KGTOOL_ENDPOINT_PASSWORD"
ENV_TOKEN = "KGTOOL_ENDPOINT_TOKEN"
MAX_RESPONSE_BYTES = 1 << 30
_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES,
                "text/plain": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class EndpointError(InputError):
    """The endpoint could not be reached, refused the request or failed (exit 3)."""


@dataclass(frozen=True)
class Response:
    """A complete HTTP answer."""

    status: int
    content_type: str
    body: bytes
    location: str = ""

    @property
    def text(self) -> str:
        """The start of the body, for error messages."""
        return self.body[:300].decode("utf-8", "replace").strip()


def check_url(url: str, option: str = "--endpoint") -> urllib.parse.SplitResult:
    """Accept only http(s) URLs without credentials in them.

    >>> check_url("file:///etc/passwd")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    kgtool.errors.UsageError: --endpoint file:///etc/passwd is not an http(s) URL
    """
    bad = UsageError(f"{option} {url} is not an http(s) URL",
                     hint="give the endpoint's URL, e.g. http://127.0.0.1:7878/query")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(
            ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise bad
    if parts.username or parts.password:
        raise UsageError(f"{option} must not carry credentials in the URL",
                         hint=f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
    return parts


def auth_headers(url: str, env: Mapping[str, str]) -> dict[str, str]:
    """The Authorization header from the environment, if any.

    >>> auth_headers("https://e.org/q", {"KGTOOL_ENDPOINT_TOKEN": "t"})
    {'Authorization': 'Bearer t'}
    """
    token, user = env.get(ENV_TOKEN), env.get(ENV_USER)
    if not token and not user:
        return {}
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        raise UsageError(f"credentials would cross the network in clear text to {parts.hostname}",
                         hint=f"use an https URL, or unset {ENV_USER}/{ENV_TOKEN}")
    if token:
        return {"Authorization": f"Bearer {token}"}
    pair = f"{user}:{env.get(ENV_PASSWORD, '')}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


class Http:
    """One HTTP exchange at a time, each capped by ``timeout`` seconds in total."""

    def __init__(self, timeout: float, env: Mapping[str, str] | None = None) -> None:
        self.timeout = timeout
        self.env = os.environ if env is None else env

    def send(self, method: str, url: str, *, body: bytes | None = None,
             headers: Mapping[str, str] | None = None, what: str = "the request") -> Response:
        """Send a request and read the whole answer, or raise a KgtoolError."""
        parts = check_url(url)
        deadline = time.monotonic() + self.timeout
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout,
                context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = False
        try:
            conn.request(method, target, body=body, headers={
                "User-Agent": f"kgtool/{__version__}", **(headers or {}),
                **auth_headers(url, self.env)})
            sent = True
            sock = conn.sock
            assert sock is not None
            sock.settimeout(_remaining(deadline))
            answer = conn.getresponse()
            data = _read(answer, sock, deadline)
        except TimeoutError:
            raise LimitError(f"{what}: no complete answer from {parts.hostname} within "
                             f"{self.timeout:g} s", hint="raise --timeout, or ask for less"
                             ) from None
        except (http.client.HTTPException, ConnectionError) as error:
            if not sent:
                raise _unreachable(url, error) from None
            raise LimitError(f"{what}: the answer from {parts.hostname} was cut off "
                             f"({type(error).__name__})", hint="retry, raise --timeout, or "
                             "raise the endpoint's own time limit") from None
        except OSError as error:
            raise _unreachable(url, error) from None
        finally:
            conn.close()
        return Response(answer.status, answer.getheader("Content-Type", ""), data,
                        answer.getheader("Location", ""))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read(answer: http.client.HTTPResponse, sock, deadline: float) -> bytes:
    """The whole body; IncompleteRead when it is shorter than announced."""
    chunks, size = [], 0
    while True:
        sock.settimeout(_remaining(deadline))
        chunk = answer.read1(1 << 16)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise LimitError(f"the answer is larger than {MAX_RESPONSE_BYTES >> 20} MB",
                             hint="add LIMIT to the query")
        chunks.append(chunk)
    if answer.length:  # Content-Length promised more than arrived
        raise http.client.IncompleteRead(b"", answer.length)
    return b"".join(chunks)


def _unreachable(url: str, error: OSError) -> EndpointError:
    return EndpointError(f"cannot reach {url}: {error.strerror or error}",
                         hint="check the URL and that the server is running")


def check_status(response: Response, url: str, what: str) -> None:
    """Map an HTTP error status to the matching KgtoolError."""
    status = response.status
    if status < 300:
        return
    if status < 400:
        raise EndpointError(f"{url} redirects to {response.location or '(nowhere)'}",
                            hint="use the URL it redirects to; kgtool does not follow redirects")
    if status in (401, 403):
        raise EndpointError(f"{url} refused access (HTTP {status})",
                            hint=f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
    if status == 404:
        raise EndpointError(f"no endpoint at {url} (HTTP 404)", hint="check the URL")
    if status in (408, 413, 503, 504) or "timeout" in response.text.lower() \
            or "timed out" in response.text.lower():
        raise LimitError(f"{what}: the endpoint gave up (HTTP {status}: {response.text})",
                         hint="raise the endpoint's limits, or ask for less")
    if status == 400:
        raise InputError(f"{what}: the endpoint rejected it (HTTP 400: {response.text})",
                         hint="fix the request; the message above comes from the endpoint")
    raise EndpointError(f"{what}: the endpoint failed (HTTP {status}: {response.text})",
                        hint="see the endpoint's logs")


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint that holds the project's graphs (see ``kgtool load``)."""

    def __init__(self, url: str, *, timeout: float = 30.0,
                 env: Mapping[str, str] | None = None) -> None:
        check_url(url)
        self.url = url
        self.http = Http(timeout, env)
        self.description = f"SPARQL endpoint {url}"
        self._graphs: dict[str, list[str]] | None = None

    @property
    def graphs(self) -> dict[str, list[str]]:
        """The per-file graphs the endpoint holds, by part (asked once)."""
        if self._graphs is None:
            answer = self._send("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", [], [],
                                "listing the graphs")
            found: dict[str, list[str]] = {}
            for (graph,) in sorted(answer.rows, key=lambda row: row[0].value):
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
            construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
            answer = self._send(construct, [], [graph], f"reading {graph}")
            for triple in answer.triples:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    @property
    def store(self):
        """There is no local store behind an endpoint: commands that need one say so."""
        raise self._no_store()

    def extended(self, work, *, parts=(), triples=()):
        """Validation adds the shapes and a submission to the embedded store, not to a
        remote one: refused, as ``store`` is."""
        raise self._no_store()

    def _no_store(self) -> UsageError:
        return UsageError(f"this command reads the embedded store, not {self.description}",
                          hint="leave out --endpoint (and KGTOOL_ENDPOINT)")

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
            answer = self._send("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                [], graphs, "counting triples")
        else:
            answer = self._send("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [], [],
                                "counting triples")
        return int(answer.rows[0][0].value)

    def _send(self, sparql: str, default: list[ox.NamedNode], named: list[ox.NamedNode],
              what: str):
        params = [("default-graph-uri", g.value) for g in default] + \
            [("named-graph-uri", g.value) for g in named]
        url = self.url + ("&" if "?" in self.url else "?") + urllib.parse.urlencode(params) \
            if params else self.url
        form = analyse(sparql).form
        accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_JSON
        response = self.http.send("POST", url, body=sparql.encode("utf-8"), what=what, headers={
            "Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
        check_status(response, self.url, what)
        return check_answer(parse_answer(response, what), sparql, what)


def parse_answer(response: Response, what: str) -> QueryResult:
    """Parse a complete answer; one that does not parse counts as cut off (LimitError)."""
    media = response.content_type.split(";")[0].strip().lower()
    try:
        if media == _RESULTS_JSON:
            return to_result(ox.parse_query_results(input=response.body,
                                                    format=ox.QueryResultsFormat.JSON))
        if media in _GRAPH_TYPES:
            return Triples([quad.triple for quad in
                            ox.parse(input=response.body, format=_GRAPH_TYPES[media])])
    except SyntaxError as error:
        raise LimitError(f"{what}: the answer is incomplete or malformed ({error}); "
                         "nothing of it was used",
                         hint="retry, raise --timeout, or raise the endpoint's own time limit"
                         ) from None
    raise EndpointError(f"{what}: the endpoint answered with {media or 'no content type'}",
                        hint=f"kgtool reads {_RESULTS_JSON} and application/n-triples")


def check_answer(result: QueryResult, sparql: str, what: str) -> QueryResult:
    """The answer, if it is of the kind the query asks for (rows for a SELECT, with the
    variables it projects; a boolean for an ASK; triples for a CONSTRUCT), else
    EndpointError: a store that answers another question must not pass for an answer.

    >>> check_answer(Boolean(True), "SELECT ?s { ?s ?p ?o }", "q")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kgtool.remote.EndpointError: q: the endpoint answered a SELECT with a boolean...
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


BATCH_TRIPLES = 50_000


def store_url(endpoint: str) -> str:
    """The Graph Store endpoint beside a query endpoint, as Oxigraph lays them out.

    >>> store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    parts = check_url(endpoint)
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
