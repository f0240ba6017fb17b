"""Queries are read-only and reach no network; values are bound as terms, never pasted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import write_query
from kgtool.engine.sparql import analyse

SERVICE_FORMS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", SERVICE_FORMS)
def test_service_is_refused_before_anything_runs(run, mini: Path, listener, template) -> None:
    port, seen = listener
    result = run(["--root", mini, "query", "-"], input=template.replace("{port}", str(port)))
    assert result.exit_code == 2
    assert "SERVICE would make the engine call another server" in result.output
    time.sleep(0.3)
    assert seen == []


@pytest.mark.parametrize("update", [
    "DROP ALL", "INSERT DATA { <https://e.org/a> <https://e.org/b> 1 }",
    "DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:9/x.ttl>", "CLEAR DEFAULT",
    "PREFIX ex: <https://e.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(run, mini: Path, update: str) -> None:
    result = run(["--root", mini, "query", "-"], input=update)
    assert result.exit_code == 2
    assert "SPARQL Update" in result.output and "read-only" in result.output


def test_from_is_refused(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-"],
                 input="SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "FROM clauses are refused" in result.output


@pytest.mark.parametrize("text", [
    'SELECT ?s WHERE { ?s ?p "SERVICE" }',
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX ex: <https://e.org/> SELECT * WHERE { ?s ex:SERVICE ?o } # SERVICE <http://x/>",
    'SELECT * WHERE { ?s ?p """ multi\n SERVICE <http://x/> { } """ }',
    "SELECT * WHERE { ?s <https://e.org/SERVICE> ?o }",
])
def test_the_word_service_elsewhere_is_not_a_service_call(text: str) -> None:
    assert analyse(text).uses_service is False


def test_service_detection_agrees_with_rdflibs_parser() -> None:
    from rdflib.plugins.sparql import prepareQuery

    samples = [t.replace("{port}", "8000") for t in SERVICE_FORMS] + [
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <https://e.org/service> ?x } }",
        'SELECT * WHERE { ?s ?p "SERVICE" }',
    ]
    for text in samples:
        algebra = str(prepareQuery(text).algebra)
        assert analyse(text).uses_service == ("ServiceGraphPattern" in algebra), text


INJECTION = '"x" } ; DROP ALL ; {'


def test_injection_attempt_is_bound_as_a_plain_literal(run, mini: Path, tmp_path: Path) -> None:
    query = write_query(tmp_path / "echo.rq", "Echo a string", {"text": "string"},
                        "SELECT ?text WHERE {}")
    result = run(["--root", mini, "query", query, "-p", "text", INJECTION, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"value": "\\"x\\" } ; DROP ALL ; {"' in result.output
    assert '"type": "literal"' in result.output


def test_injection_as_iri_is_refused(run, mini: Path, tmp_path: Path) -> None:
    query = write_query(tmp_path / "node.rq", "A node", {"node": "iri"},
                        "SELECT ?p ?o WHERE { ?node ?p ?o }")
    result = run(["--root", mini, "query", query, "-p", "node", "https://e.org/> } DROP ALL {"])
    assert result.exit_code == 2
    assert "is not a valid IRI" in result.output
