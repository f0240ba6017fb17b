"""The SPARQL 1.1 Protocol of `kgtool serve`, with the clients people use (SPARQLWrapper,
rdflib's SPARQLStore, httpx) against a real server on 127.0.0.1: every format, the service
description, and the refusals (update, SERVICE with a listener that must see nothing, FROM,
dataset parameters, oversized requests, answers past the row cap)."""

from __future__ import annotations

import io
import json
import socket
import threading

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql.results.csvresults import CSVResultParser
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from kgtool.engine import load_project
from serving import running_server

NATIONS = ("PREFIX sc: <https://w3id.org/spacecoop/ontology/> SELECT ?n ?code WHERE "
           "{ ?n a sc:Nation ; sc:iso3166Alpha3 ?code } ORDER BY ?code")
CONSTRUCT = ("PREFIX sc: <https://w3id.org/spacecoop/ontology/> CONSTRUCT { ?n sc:iso3166Alpha3 "
             "?code } WHERE { ?n sc:iso3166Alpha3 ?code }")
MAX_ROWS = 150


@pytest.fixture(scope="module")
def url():
    with running_server("--workers", "2", "--max-rows", str(MAX_ROWS),
                        "--max-request", "64KiB") as base:
        yield base


@pytest.fixture(scope="module")
def embedded(project):
    return load_project(project)


@pytest.fixture(scope="module")
def nations(embedded) -> list[tuple[str, str]]:
    return [(n.value, c.value) for n, c in embedded.query(NATIONS).rows]


def pairs(result) -> list[tuple[str, str]]:
    return [(str(row[0]), str(row[1])) for row in result]


@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_selects_by_every_method(url, nations, method, fmt) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(NATIONS)
    client.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    else:
        client.setMethod(method)
    answer = client.query().convert()
    if fmt == JSON:
        got = [(b["n"]["value"], b["code"]["value"]) for b in answer["results"]["bindings"]]
    else:
        got = pairs(XMLResultParser().parse(io.BytesIO(answer.toxml().encode())))
    assert got == nations and len(got) > 50


def test_sparqlwrapper_asks_and_constructs(url, embedded) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery("ASK { <https://w3id.org/spacecoop/id/nation/sau> ?p ?o }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == len(embedded.query(CONSTRUCT).triples) > 50


def test_rdflib_sparqlstore_reads_the_endpoint(url, nations) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{url}/sparql", returnFormat="json"))
    assert pairs(graph.query(NATIONS)) == nations
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    xml = rdflib.Graph(SPARQLStore(f"{url}/sparql", method="POST"))
    assert pairs(xml.query(NATIONS)) == nations


PARSERS = {"application/sparql-results+json": JSONResultParser,
           "application/sparql-results+xml": XMLResultParser, "text/csv": CSVResultParser,
           "text/tab-separated-values": TSVResultParser}


@pytest.mark.parametrize("media", list(PARSERS))
def test_every_result_format_by_accept(url, nations, media) -> None:
    answer = httpx.get(f"{url}/sparql", params={"query": NATIONS}, headers={"Accept": media})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    source = io.StringIO(answer.text) if media.startswith("text/") else io.BytesIO(answer.content)
    assert pairs(PARSERS[media]().parse(source)) == nations


@pytest.mark.parametrize(("media", "syntax"), [("text/turtle", ox.RdfFormat.TURTLE),
                                               ("application/ld+json", ox.RdfFormat.JSON_LD),
                                               ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_every_rdf_syntax_by_accept(url, embedded, media, syntax) -> None:
    answer = httpx.post(f"{url}/sparql", content=CONSTRUCT,
                        headers={"Content-Type": "application/sparql-query", "Accept": media})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    assert {q.triple for q in ox.parse(answer.content, syntax)} == set(
        embedded.query(CONSTRUCT).triples)


def test_format_parameter_and_406(url) -> None:
    csv = httpx.get(f"{url}/sparql", params={"query": "ASK {}", "format": "csv"})
    assert csv.text.splitlines() == ["_askResult", "true"]
    refused = httpx.get(f"{url}/sparql", params={"query": NATIONS}, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and refused.text.startswith("Error: no format")
    graph = httpx.get(f"{url}/sparql", params={"query": CONSTRUCT},
                      headers={"Accept": "text/csv"})
    assert graph.status_code == 406 and "text/turtle" in graph.text


def test_service_description_on_a_get_without_query(url) -> None:
    answer = httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(f"{url}/sparql"), sd.endpoint, rdflib.URIRef(f"{url}/sparql")) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph
    browser = httpx.get(f"{url}/sparql", headers={"Accept": "text/html"})
    assert browser.status_code == 303 and browser.headers["location"] == "/query"


@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "params": {"update": "DROP ALL"}},
    {"method": "POST", "data": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}},
    {"method": "POST", "content": "CLEAR ALL",
     "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "GET", "params": {"query": "DELETE WHERE { ?s ?p ?o }"}},
], ids=["get-update", "post-form-update", "post-sparql-update", "update-in-query"])
def test_updates_are_refused_with_the_reason(url, request_kwargs) -> None:
    answer = httpx.request(url=f"{url}/sparql", **request_kwargs)
    assert answer.status_code == 400
    assert "read-only" in answer.text and answer.text.startswith("Error: ")
    assert httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "json"}
                     ).json()["boolean"] is True  # nothing was dropped


def test_service_is_refused_and_the_listener_sees_nothing(url) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    seen: list[bytes] = []

    def accept() -> None:
        try:
            conn, _ = listener.accept()
            seen.append(conn.recv(1024))
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    for query in (f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                  f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"):
        answer = httpx.get(f"{url}/sparql", params={"query": query})
        assert answer.status_code == 400 and "SERVICE" in answer.text
    thread.join()
    listener.close()
    assert seen == []


@pytest.mark.parametrize("params", [
    {"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"},
    {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": "https://e.org/g"},
    {"query": "SELECT * { ?s ?p ?o }", "named-graph-uri": "https://e.org/g"},
])
def test_dataset_clauses_and_parameters_are_refused(url, params) -> None:
    answer = httpx.get(f"{url}/sparql", params=params)
    assert answer.status_code == 400 and ("FROM" in answer.text or "graph-uri" in answer.text)


def test_oversized_requests_get_413(url) -> None:
    big = "ASK {}" + " " * 70_000
    declared = httpx.post(f"{url}/sparql", content=big,
                          headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413 and "cap" in declared.text

    def chunks():  # no Content-Length: the cap counts what arrives
        for _ in range(20):
            yield b" " * 8192

    streamed = httpx.post(f"{url}/sparql", content=chunks(),
                          headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413


def test_answers_past_the_row_cap_are_refused_not_cut(url, embedded) -> None:
    everything = "SELECT * { ?s ?p ?o }"
    assert len(embedded.query(everything).rows) > MAX_ROWS
    answer = httpx.get(f"{url}/sparql", params={"query": everything, "format": "json"})
    assert answer.status_code == 400
    assert f"more than {MAX_ROWS} rows" in answer.text and "LIMIT" in answer.text
    capped = httpx.get(f"{url}/sparql", params={"query": everything + " LIMIT 5",
                                                "format": "json"})
    assert len(json.loads(capped.text)["results"]["bindings"]) == 5


def test_cors_is_off_by_default(url) -> None:
    answer = httpx.get(f"{url}/sparql", params={"query": "ASK {}"},
                       headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in answer.headers
