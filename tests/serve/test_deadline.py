"""The server keeps answering: a query past the deadline gets 504 while another client's query
answers; queries nested too deeply for the engine's parser (20,000 nested braces, 10,000
UNIONs, a 600 KB chain of ||) get 400 before a worker sees them, and the server goes on; a
full server answers 503 with Retry-After; CORS only when asked."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from serving import running_server

CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "ASK { <https://w3id.org/spacecoop/id/nation/sau> ?p ?o }"


def ask(url: str, query: str = QUICK, **kwargs) -> httpx.Response:
    return httpx.post(f"{url}/sparql", data={"query": query, "format": "json"}, timeout=60,
                      **kwargs)


def in_background(url: str, query: str) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run() -> None:
        out["answer"] = ask(url, query)
        out["done"] = time.monotonic()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


@pytest.fixture(scope="module")
def url():
    with running_server("--workers", "2", timeout=2.0) as base:
        yield base


def test_a_runaway_query_times_out_while_another_client_is_answered(url) -> None:
    started = time.monotonic()
    thread, slow = in_background(url, CARTESIAN)
    time.sleep(0.3)
    quick = ask(url)
    quick_done = time.monotonic()
    thread.join()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert quick_done < slow["done"]
    answer = slow["answer"]
    assert answer.status_code == 504, answer.text
    assert answer.text.startswith("Error: the query ran longer than 2 s and was stopped")
    assert 1.9 < slow["done"] - started < 10
    assert ask(url).status_code == 200  # the killed worker was replaced


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
    "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }",
    "ASK { ?s ?p ?o FILTER(" + " || ".join(["?o"] * 100_000) + ") }",  # under --max-request
], ids=["20000-nested-braces", "10000-unions", "600KB-or-chain"])
def test_a_query_nested_too_deeply_is_a_400_and_the_server_goes_on(url, query) -> None:
    answer = httpx.post(f"{url}/sparql", content=query, timeout=60,
                        headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 400
    assert answer.text.startswith("Error: query: the query is nested too deeply for the engine")
    for _ in range(3):
        assert ask(url).status_code == 200


def test_a_full_server_answers_503_with_retry_after_and_cors_only_for_its_origin() -> None:
    origin = "https://app.example"
    with running_server("--workers", "1", "--queue", "0", "--cors", origin, timeout=2.0) as url:
        allowed = ask(url, headers={"Origin": origin})
        assert allowed.headers["access-control-allow-origin"] == origin
        other = ask(url, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        thread, slow = in_background(url, CARTESIAN)
        time.sleep(0.5)
        busy = ask(url)
        thread.join()
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert busy.text.startswith("Error: the server is answering 1 requests")
        assert slow["answer"].status_code == 504
        deadline = time.monotonic() + 30  # the replacement worker opens the graph
        while (status := ask(url).status_code) == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200
