"""Small hostile inputs and options: each gets one ``Error:`` line and its exit code, never
a traceback, a hang, a forged line or an invalid file; retyping an existing node and shapes
or checks that call out are refused."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import REPO, make_project

KGTOOL = [sys.executable, "-m", "kgtool"]
CONTEXT = "https://w3id.org/spacecoop/ontology/context.jsonld"


def one_error(output: str) -> str:
    """The single ``Error:`` line of an output without a traceback."""
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


def cli(*args: str, stdin=None, timeout: float = 60, root: Path = REPO, **kwargs
        ) -> subprocess.CompletedProcess:
    return subprocess.run([*KGTOOL, "--root", str(root), *args], stdin=stdin,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


# --- submission files ----------------------------------------------------------------------

def test_deeply_nested_jsonld_is_refused_before_anything_recurses(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text(json.dumps({"@context": CONTEXT, "@id": "nation:x"})[:-1]
                    + ', "rdfs:label": ' + "[" * 500 + '"a"' + "]" * 500 + "}", encoding="utf-8")
    assert path.stat().st_size < 1300
    result = cli("validate", str(path))
    assert result.returncode == 3
    assert "nested more than 64" in one_error(result.stderr)


def test_an_inline_jsonld_base_cannot_bring_relative_iris_in(tmp_path: Path) -> None:
    path = tmp_path / "base.jsonld"
    path.write_text(json.dumps({"@context": {"@base": "https://w3id.org/spacecoop/id/"},
                                "@id": "nation/xyz", "@type": "https://w3id.org/spacecoop/"
                                "ontology/Nation"}), encoding="utf-8")
    result = cli("validate", str(path))
    assert result.returncode == 3
    assert "@base is refused" in one_error(result.stderr)


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "facts.ttl"
    os.mkfifo(pipe)
    result = cli("validate", str(pipe), timeout=30)
    assert result.returncode == 3
    assert "not a regular file (a named pipe)" in one_error(result.stderr)


def test_a_symbolic_link_is_refused_and_its_target_never_quoted(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cr3t-token and more\n", encoding="utf-8")
    link = tmp_path / "facts.ttl"
    link.symlink_to(secret)
    for command in (["validate", str(link)], ["ingest", "--dry-run", str(link)]):
        result = cli(*command)
        assert result.returncode == 3
        assert "a symbolic link" in one_error(result.stderr)
        assert "s3cr3t" not in result.stdout + result.stderr


def test_closed_stdin_is_an_error_not_a_traceback() -> None:
    for command in (["validate", "-"], ["query", "-"]):
        result = subprocess.run([*KGTOOL, "--root", str(REPO), *command], capture_output=True,
                                text=True, preexec_fn=lambda: os.close(0), timeout=60)
        assert result.returncode == 3, result.stderr
        assert "standard input is closed" in one_error(result.stderr)


def test_a_huge_max_size_allocates_nothing(tmp_path: Path) -> None:
    kari = REPO / "examples" / "submissions" / "valid" / "kari.ttl"
    result = cli("validate", "--max-size", "9" * 40, str(kari))
    assert result.returncode == 0, result.stderr


# --- options ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0", "abc"])
def test_impossible_timeouts_are_usage_errors(value: str) -> None:
    result = cli("--timeout", value, "query", "oic-members")
    assert result.returncode == 2
    assert "--timeout" in one_error(result.stderr)


@pytest.mark.parametrize("url", ["http://[::1", "http://h:99999/q", "http://h:x/q", "http://",
                                 "ftp://h/q", "http://h/q b", "http://u:p@h/q"])
def test_malformed_endpoint_urls_are_usage_errors(url: str) -> None:
    result = cli("--endpoint", url, "query", "oic-members")
    assert result.returncode == 2
    assert "--endpoint" in one_error(result.stderr)


@pytest.mark.parametrize("term", ["<http://e.org/a b>", 'http://e.org/"x', "nation:a b"])
def test_describe_of_an_invalid_iri_is_a_usage_error(term: str) -> None:
    result = cli("describe", term)
    assert result.returncode == 2
    assert "is not a valid IRI" in one_error(result.stderr)


# --- an endpoint that answers another question ---------------------------------------------

class FakeEndpoint(http.server.BaseHTTPRequestHandler):
    """Answers every query with ``self.server.answer`` (SPARQL JSON results)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps(self.server.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("answer, words", [
    ({"head": {}, "boolean": True}, "answered a SELECT with a boolean"),
    ({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal",
                                                               "value": "1"}}]}},
     "answered with the variables ?x"),
])
def test_an_endpoint_answering_another_question_is_an_error(fake_endpoint, answer, words
                                                            ) -> None:
    fake_endpoint.answer = answer
    url = f"http://127.0.0.1:{fake_endpoint.server_address[1]}/query"
    for command in (["query", "oic-members"], ["stats"]):
        result = cli("--endpoint", url, *command)
        assert result.returncode == 3, result.stdout + result.stderr
        assert words in one_error(result.stderr)


# --- output that could be forged or unreadable ---------------------------------------------

FORGED = ("@prefix sc: <https://w3id.org/spacecoop/ontology/> .\n"
          "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
          "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
          "<https://w3id.org/spacecoop/id/agency/x> a sc:Company ;\n"
          '  rdfs:label "X"@en ;\n'
          '  dcterms:description "A company.\\n  sc:hasPartner: agency:nasa (NASA)\\n'
          'Sources:\\n  https://forged.example/"@en ;\n'
          "  dcterms:source <https://e.org/x> .\n")


def test_describe_escapes_newlines_so_no_line_can_be_forged(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"x.ttl": FORGED})
    result = cli("describe", "agency:x", root=root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("Sources:")] == ["Sources:"]
    assert not any(line.strip().startswith("sc:hasPartner") for line in lines)
    assert "A company.\\n  sc:hasPartner" in result.stdout


CONTROL = FORGED.replace("A company.\\n", "A company.\\u001b]0;pwned\\u0007\\u000c")


@pytest.mark.parametrize("command", [["export", "-f", "xml"], ["query", "-f", "xml", "-"]])
def test_xml_output_refuses_characters_xml_forbids(tmp_path: Path, command) -> None:
    root = make_project(tmp_path / "p", {"x.ttl": CONTROL})
    out = tmp_path / "out.rdf"
    args = [*command, "-o", str(out)] if command[0] == "export" else command
    result = cli(*args, root=root, input="SELECT ?d { ?s <http://purl.org/dc/terms/"
                 "description> ?d }" if "-" in command else None)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "XML 1.0 forbids" in one_error(result.stderr)
    assert not out.exists() and not result.stdout


def test_validation_refuses_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text(CONTROL, encoding="utf-8")
    result = cli("validate", str(path))
    assert result.returncode == 1
    assert "control character that XML 1.0 and terminals cannot carry" in result.stdout


# --- retyping, and project checks and shapes that call out ----------------------------------

def test_an_existing_node_cannot_be_retyped_to_a_disjoint_class(tmp_path: Path) -> None:
    path = tmp_path / "retype.ttl"
    path.write_text("@prefix sc: <https://w3id.org/spacecoop/ontology/> .\n"
                    "@prefix nation: <https://w3id.org/spacecoop/id/nation/> .\n"
                    "nation:sau a sc:SpaceAgency ; sc:belongsToNation nation:sau ;\n"
                    "  <http://purl.org/dc/terms/source> <https://ssa.gov.sa/> .\n",
                    encoding="utf-8")
    result = cli("validate", str(path))
    assert result.returncode == 1
    assert "two types that the ontology declares disjoint" in result.stdout
    assert "Does not conform" in result.stdout


@pytest.fixture
def listener_url():
    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.server.hits += 1
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    server.hits = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_a_check_with_service_is_refused(tmp_path: Path, listener_url) -> None:
    server, url = listener_url
    root = make_project(tmp_path / "p")
    (root / "queries" / "checks" / "evil.rq").write_text(
        "#+ summary: evil\nSELECT ?focus WHERE { SERVICE <" + url + "> { ?focus ?p ?o } }\n",
        encoding="utf-8")
    result = cli("validate", root=root)
    assert result.returncode == 2
    assert "SERVICE would make the engine call another server" in one_error(result.stderr)
    assert server.hits == 0


def test_a_shape_with_service_is_refused(tmp_path: Path, listener_url) -> None:
    server, url = listener_url
    root = make_project(tmp_path / "p")
    with open(root / "ontology" / "shapes" / "core.ttl", "a", encoding="utf-8") as shapes:
        shapes.write('\nscsh:Evil a sh:NodeShape ; sh:targetClass sc:Nation ; sh:sparql [ '
                     'sh:select "SELECT $this WHERE { SERVICE <' + url + '> { $this ?p ?o } }" '
                     '] .\n')
    result = cli("validate", root=root)
    assert result.returncode == 3
    assert "SERVICE would make the engine call another server" in one_error(result.stderr)
    assert server.hits == 0


def test_a_broken_shape_is_one_error_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    with open(root / "ontology" / "shapes" / "core.ttl", "a", encoding="utf-8") as shapes:
        shapes.write('\nscsh:Broken a sh:NodeShape ; sh:targetClass sc:Nation ; sh:sparql '
                     '[ sh:select "SELECT $this WHERE { $this ?p " ] .\n')
    result = cli("validate", root=root)
    assert result.returncode == 3
    assert "the shapes could not be applied" in one_error(result.stderr)
