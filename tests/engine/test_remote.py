"""--endpoint and kgtool load against a real `oxigraph serve`, and against misbehaving listeners.

The server and every listener run on 127.0.0.1 and a free port, started by the tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest

from conftest import REPO
from kgtool.engine.base import PROJECT_PARTS, Solutions, Triples
from kgtool.engine.bindings import with_values
from kgtool.engine.embedded import load_project
from kgtool.engine.graphstore import store_url
from kgtool.engine.http import auth_headers
from kgtool.engine.remote import RemoteEndpoint
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.query.catalogue import bindings, catalogue
from stores import free_port, load, running_oxigraph

PROJECT = find_project(str(REPO))
QUERIES = catalogue(PROJECT)
PREFIXES = PrefixMap.from_context(PROJECT.context_path)
_CONCAT = re.compile(r"GROUP_CONCAT\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)", re.IGNORECASE)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """A fresh `oxigraph serve` on 127.0.0.1 holding the bundled graph; its query URL."""
    with running_oxigraph(tmp_path_factory.mktemp("oxi")) as url:
        load(url)
        yield url


@pytest.fixture(scope="module")
def embedded():
    """The same files as ``kgtool load`` pushes: ontology, data and shapes."""
    return load_project(PROJECT, PROJECT_PARTS)


def normalised(query, result: Solutions) -> list[tuple]:
    """Rows as sorted text; GROUP_CONCAT cells sorted too (SPARQL leaves their order open)."""
    concat = set(_CONCAT.findall(query.text))
    rows = []
    for row in result.rows:
        cells = []
        for name, term in zip(result.variables, row, strict=True):
            if name in concat and term is not None:
                cells.append(" ".join(sorted(term.value.split(" "))))
            else:
                cells.append("" if term is None else "_:b" if isinstance(term, ox.BlankNode)
                             else str(term))
        rows.append(tuple(cells))
    return sorted(rows)


def test_load_reports_what_it_sent(server: str, run) -> None:
    result = run(["--root", REPO, "load", "--endpoint", server, "--replace"])
    assert result.exit_code == 0, result.output
    files = len(PROJECT.ontology_files() + PROJECT.shape_files() + PROJECT.data_files())
    assert re.fullmatch(rf"Loaded \d+ triples from {files} files into {files} graphs at "
                        rf"{store_url(server)} in \d+\.\d s\.\n", result.output)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_named_query_answers_the_same_remotely(server: str, embedded, query) -> None:
    subs = bindings(query, [], PREFIXES)
    local = embedded.query(query.text, substitutions=subs, display=query.display)
    remote = RemoteEndpoint(server).query(query.text, substitutions=subs, display=query.display)
    assert isinstance(remote, Solutions) and remote.variables == local.variables
    assert normalised(query, remote) == normalised(query, local)
    assert remote.rows or query.expect == "empty"


def test_parts_map_to_the_graphs_of_their_files(server: str, embedded) -> None:
    endpoint = RemoteEndpoint(server)
    assert endpoint.triple_count() == embedded.triple_count()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for parts in (("ontology",), ("data",), ("shapes",), ("ontology", "data", "shapes")):
        assert endpoint.query(count, parts=parts).rows == embedded.query(count, parts=parts).rows


def test_construct_and_ask_answer_as_embedded(server: str, embedded) -> None:
    construct = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (isIRI(?s) && !isBLANK(?o)) }"
                 " ORDER BY ?s ?p ?o LIMIT 500")
    remote = RemoteEndpoint(server).query(construct)
    assert isinstance(remote, Triples)
    assert set(map(str, remote.triples)) == set(map(str, embedded.query(construct).triples))
    sau = {"n": ox.NamedNode("https://w3id.org/spacecoop/id/nation/sau")}
    assert RemoteEndpoint(server).query("ASK { ?n a ?c }", substitutions=sau).value is True


@pytest.mark.parametrize("args", [["stats", "-f", "json"], ["queries", "-f", "json"],
                                  ["query", "artemis-signatories", "-f", "csv"],
                                  ["query", "agencies-founded-after", "-p", "since", "1990-01-01",
                                   "-f", "tsv"]])
def test_read_commands_print_the_same_remotely(server: str, run, args) -> None:
    local = run(["--root", REPO, *args])
    remote = run(["--root", REPO, "--endpoint", server, *args])
    assert local.exit_code == remote.exit_code == 0, remote.output
    if args[0] == "stats":
        assert json.loads(remote.output) == json.loads(local.output)
    else:
        assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())


def test_describe_prints_the_same_remotely(server: str, run) -> None:
    local = run(["--root", REPO, "describe", "Saudi Space Agency"])
    remote = run(["--root", REPO, "--endpoint", server, "describe", "Saudi Space Agency"])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())
    triples = [run(["--root", REPO, *where, "describe", "nation:sau", "-f", "turtle"]).stdout_bytes
               for where in ([], ["--endpoint", server])]
    local_set, remote_set = ({str(q) for q in ox.parse(t, format=ox.RdfFormat.TURTLE)}
                             for t in triples)
    assert remote_set == local_set and local_set


def test_replace_twice_keeps_one_copy(server: str, run, embedded) -> None:
    result = run(["--root", REPO, "load", "--endpoint", server, "--replace", "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert RemoteEndpoint(server).triple_count() == embedded.triple_count()


def test_graph_option_loads_everything_into_one_graph(server: str, run) -> None:
    iri = "https://example.org/spacecoop-all"
    result = run(["--root", REPO, "load", "--endpoint", server, "--graph", iri, "--replace"])
    assert result.exit_code == 0, result.output
    assert " into 1 graph at " in result.output
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    with urllib.request.urlopen(urllib.request.Request(
            server, data=count.encode(), headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
    ) as answer:
        n = int(json.load(answer)["results"]["bindings"][0]["n"]["value"])
    assert n > 10_000
    urllib.request.urlopen(urllib.request.Request(f"{store_url(server)}?graph={iri}",
                                                  method="DELETE")).read()


def test_a_syntax_error_stops_the_load_before_anything_is_sent(run, tmp_path) -> None:
    from conftest import make_project

    root = make_project(tmp_path / "p", data={"bad.ttl": "<https://e.org/a> <https://e.org/p> ."})
    with Listener(lambda conn, request: None) as listener:
        result = run(["--root", root, "load", "--endpoint", listener.url])
    assert result.exit_code == 3
    assert result.output.startswith("Error: data/bad.ttl:1:")
    assert listener.requests == []


# -- misbehaving endpoints ---------------------------------------------------------------

class Listener:
    """A one-thread HTTP listener on 127.0.0.1 that records requests and answers by ``reply``."""

    def __init__(self, reply: Callable[[socket.socket, bytes], None]) -> None:
        self.reply, self.requests = reply, []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/query"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
                while length and len(body) < int(length[1]):
                    body += conn.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + body)
                with contextlib.suppress(OSError):
                    self.reply(conn, head)


def silent(conn: socket.socket, request: bytes) -> None:
    time.sleep(5)


def dribble(conn: socket.socket, request: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 1000\r\n\r\n")
    for _ in range(50):
        conn.sendall(b" ")
        time.sleep(0.1)


def answer(body: bytes, *, status: str = "200 OK", length: int | None = None,
           content_type: str = "application/sparql-results+json", extra: str = ""):
    def reply(conn: socket.socket, request: bytes) -> None:
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}"
                     f"Content-Length: {len(body) if length is None else length}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
    return reply


def chunked_cut(conn: socket.socket, request: bytes) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n10\r\n{\"head\":{\"vars\":")


RESULT = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"7"}}]}}'


@pytest.mark.parametrize(("reply", "words"), [
    (silent, "no complete answer from 127.0.0.1 within 1 s"),
    (dribble, "no complete answer from 127.0.0.1 within 1 s"),
    (answer(RESULT[:40], length=len(RESULT)), "was cut off"),
    (chunked_cut, "was cut off"),
    (answer(RESULT[:40]), "the answer is incomplete or malformed"),
    (answer(b"query timed out", status="500 Internal Server Error", content_type="text/plain"),
     "the endpoint gave up"),
])
def test_a_slow_or_cut_answer_is_a_limit_never_a_partial_result(run, reply, words) -> None:
    with Listener(reply) as listener:
        started = time.monotonic()
        result = run(["--root", REPO, "--endpoint", listener.url, "--timeout", "1", "stats"])
        assert time.monotonic() - started < 4
    assert result.exit_code == 4, result.output
    assert words in result.output.splitlines()[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("reply", "code", "words"), [
    (answer(b"", status="302 Found", extra="Location: http://127.0.0.1:9/elsewhere\r\n"), 3,
     "redirects to http://127.0.0.1:9/elsewhere"),
    (answer(b"no", status="401 Unauthorized", content_type="text/plain"), 3, "refused access"),
    (answer(b"<html/>", content_type="text/html"), 3, "answered with text/html"),
])
def test_refusals_are_errors_with_hints(run, reply, code: int, words: str) -> None:
    with Listener(reply) as listener:
        result = run(["--root", REPO, "--endpoint", listener.url, "stats"])
    assert result.exit_code == code, result.output
    assert words in result.output and "Hint: " in result.output


def test_credentials_come_from_the_environment_only(monkeypatch) -> None:
    graphs = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'  # the listing, and the query
    with Listener(answer(graphs)) as listener:
        RemoteEndpoint(listener.url, env={}).query("SELECT ?g {}")
        monkeypatch.setenv("KGTOOL_ENDPOINT_USER", "ana")
        monkeypatch.setenv("KGTOOL_ENDPOINT_PASSWORD", "s3cret")
        RemoteEndpoint(listener.url).query("SELECT ?g {}")
    # without credentials: graphs, then the query; with them, a GET first asks which scheme
    plain, (probe, *basic) = listener.requests[:2], listener.requests[2:]
    assert len(basic) == 2 and all(b"authorization" not in r.lower() for r in [*plain, probe])
    assert probe.startswith(b"GET /query")
    assert all(b"Authorization: Basic YW5hOnMzY3JldA==" in r for r in basic)  # ana:s3cret
    assert b"application/x-www-form-urlencoded" in basic[1] and basic[1].startswith(b"POST /query")
    assert auth_headers("http://127.0.0.1/q", {"KGTOOL_ENDPOINT_TOKEN": "t"}) == {
        "Authorization": "Bearer t"}
    with pytest.raises(Exception, match="clear text"):
        auth_headers("http://example.org/q", {"KGTOOL_ENDPOINT_TOKEN": "t"})
    with pytest.raises(Exception, match="must not carry credentials"):
        RemoteEndpoint("https://ana:s3cret@example.org/q")


def test_unreachable_endpoint_is_exit_3(run) -> None:
    result = run(["--root", REPO, "--endpoint", f"http://127.0.0.1:{free_port()}/query",
                  "stats"])
    assert result.exit_code == 3
    assert "Error: cannot reach http://127.0.0.1:" in result.output


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT ?n WHERE { ?s ?p ?n }", "SELECT ?n WHERE { VALUES (?s) { (<https://e.org/a>) } "
                                     "?s ?p ?n }"),
    ("SELECT (EXISTS { ?x ?y ?z } AS ?e) # {\n{ ?s ?p ?o }",
     "SELECT (EXISTS { ?x ?y ?z } AS ?e) # {\n{ VALUES (?s) { (<https://e.org/a>) } ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<https://e.org/a>) } ?s ?p ?o }"),
    ("CONSTRUCT WHERE { ?s ?p ?o }",
     "CONSTRUCT WHERE { ?s ?p ?o }\nVALUES (?s) { (<https://e.org/a>) }"),
    ("DESCRIBE ?s", "DESCRIBE ?s\nVALUES (?s) { (<https://e.org/a>) }"),
])
def test_values_bind_parameters_where_the_where_group_opens(query: str, expected: str) -> None:
    bound = with_values(query, {"s": ox.NamedNode("https://e.org/a")})
    assert bound == expected
    ox.Store().query(bound)  # still parses


def test_load_shows_a_progress_bar_on_a_terminal(server: str) -> None:
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "kgtool", "--root", str(REPO), "load",
                           "--endpoint", server, "--replace", "--batch-size", "500"],
                          stdout=follower, stderr=subprocess.PIPE, timeout=60, check=False)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.returncode == 0, proc.stderr
    assert b"Loading" in shown and b"100%" in shown and b"Loaded " in shown


def test_quads_read_the_same_graphs(server: str, embedded) -> None:
    remote = list(RemoteEndpoint(server).quads(("shapes", "data")))
    local = list(embedded.quads(("shapes", "data")))
    assert len(remote) == len(local)
    named = {str(q) for q in local if not isinstance(q.subject, ox.BlankNode | ox.Triple)
             and not isinstance(q.object, ox.BlankNode)}
    assert named <= {str(q) for q in remote}
