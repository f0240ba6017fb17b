"""Each Virtuoso 7 quirk kgtool works around in its engine layer, shown on a real Virtuoso
(the raw answer is wrong or missing) and then through kgtool (the answer is right)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from conftest import REPO
from kgtool.engine.base import Boolean, Solutions
from kgtool.engine.dialect import Dialect
from kgtool.engine.graphstore import store_url
from kgtool.engine.http import Http
from kgtool.engine.remote import RemoteEndpoint
from kgtool.errors import UsageError
from stores import VIRTUOSO_CREDENTIALS

XSD = "http://www.w3.org/2001/XMLSchema#"


def raw(url: str, query: str, accept: str = "application/sparql-results+json", *,
        dataset: list[str] = ()) -> bytes:
    """The store's own answer to a form-encoded POST."""
    body = urllib.parse.urlencode([("query", query)] + [("default-graph-uri", g)
                                                        for g in dataset]).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        return error.read()


def test_the_store_is_told_by_its_server_header(virtuoso: str) -> None:
    dialect = RemoteEndpoint(virtuoso).dialect
    assert dialect.name == "virtuoso" and dialect.version.startswith("07.")


def test_quirk_a_sparql_query_post_never_gets_an_answer(virtuoso: str) -> None:
    parts = urllib.parse.urlsplit(virtuoso)
    with socket.create_connection((parts.hostname, parts.port), timeout=3) as sock:
        sock.sendall(f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     "Content-Type: application/sparql-query\r\nContent-Length: 6\r\n\r\n"
                     "ASK {}".encode())
        with pytest.raises(TimeoutError):
            sock.recv(100)
    assert RemoteEndpoint(virtuoso, timeout=5).query("ASK {}") == Boolean(True)  # form POST


def test_quirk_the_graph_store_wants_digest(virtuoso: str) -> None:
    url = store_url(virtuoso, "virtuoso") + "?graph=" + urllib.parse.quote("https://e.org/g")
    basic = urllib.request.Request(url, method="PUT", data=b"", headers={
        "Authorization": "Basic ZGJhOmRiYQ==", "Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(basic, timeout=10)
    assert refused.value.code == 401
    assert refused.value.headers.get("WWW-Authenticate", "") == ""  # Basic: not even asked
    answer = Http(10, VIRTUOSO_CREDENTIALS).send(
        "PUT", url, body=b"<https://e.org/a> <https://e.org/p> <https://e.org/b> .\n",
        headers={"Content-Type": "application/n-triples"})
    assert answer.status in (200, 201, 204)
    Http(10, VIRTUOSO_CREDENTIALS).send("DELETE", url)


def test_quirk_graph_g_empty_answers_an_empty_row(virtuoso: str, embedded_all) -> None:
    answer = json.loads(raw(virtuoso, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"))
    assert answer["results"]["bindings"] == [{}]
    assert {g.value for g in RemoteEndpoint(virtuoso).default_graph(
        ("ontology", "data", "shapes"))} == {
        g.value for g in embedded_all.default_graph(("ontology", "data", "shapes"))}


def test_quirk_json_says_typed_literal_and_booleans_are_numbers(virtuoso: str,
                                                                embedded_all) -> None:
    query = "SELECT (COUNT(*) AS ?n) (true AS ?t) (1 = 1 AS ?same) WHERE { }"
    answer = json.loads(raw(virtuoso, query))["results"]["bindings"][0]
    assert answer["n"]["type"] == "typed-literal"
    assert answer["t"] == {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"}
    remote = RemoteEndpoint(virtuoso).query(query)
    assert remote == embedded_all.query(query)
    assert remote.rows[0][1] == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))


def test_quirk_group_concat_without_separator_is_an_error(virtuoso: str, embedded_all) -> None:
    query = ('SELECT (GROUP_CONCAT(?a) AS ?all) WHERE { VALUES ?a { "x" "y" } }')
    assert b"Error" in raw(virtuoso, query)
    remote = RemoteEndpoint(virtuoso).query(query)
    assert sorted(remote.rows[0][0].value.split(" ")) == ["x", "y"]


def test_quirk_ask_as_a_one_column_table_is_read_as_a_boolean() -> None:
    table = Solutions(("__ASK_RETVAL",), [(ox.Literal("1", datatype=ox.NamedNode(
        XSD + "integer")),)])
    assert Dialect("virtuoso").normalise(table, "ASK") == Boolean(True)
    assert Dialect("standard").normalise(table, "ASK") == table


PATHS = """PREFIX sc: <https://w3id.org/spacecoop/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?agreement ?yields WHERE {
  VALUES ?benefit { <https://w3id.org/spacecoop/id/benefit/promoting-peace> }
  ?agreement a/rdfs:subClassOf* sc:Agreement ; sc:yieldsBenefit ?yields .
  ?yields skos:broader* ?benefit }"""


def test_quirk_star_paths_give_wrong_row_counts(virtuoso: str, embedded_all) -> None:
    right = len(embedded_all.query(PATHS).rows)
    wrong = len(json.loads(raw(virtuoso, PATHS))["results"]["bindings"])
    assert right == 22 and wrong != right
    assert len(RemoteEndpoint(virtuoso).query(PATHS).rows) == right


def test_quirk_a_default_graph_list_makes_it_worse(virtuoso: str, embedded_all) -> None:
    from kgtool.engine.bindings import with_values
    from kgtool.project import find_project
    from kgtool.query.catalogue import catalogue

    query = next(q for q in catalogue(find_project(str(REPO))) if q.name == "spacecraft-of-nation")
    text = with_values(query.text, {"nation": ox.NamedNode(
        "https://w3id.org/spacecoop/id/nation/are")})
    graphs = [g.value for g in embedded_all.default_graph()]
    right = len(embedded_all.query(text).rows)
    listed = json.loads(raw(virtuoso, text, dataset=graphs))["results"]["bindings"]
    assert right > 30 and len(listed) != right
    assert len(RemoteEndpoint(virtuoso).query(text).rows) == right  # the same list, rewritten


def test_a_path_that_cannot_be_rewritten_is_refused(virtuoso: str) -> None:
    query = "SELECT ?s WHERE { ?s (<https://e.org/p>|<https://e.org/q>)* <https://e.org/o> }"
    with pytest.raises(UsageError, match="answers property paths wrongly"):
        RemoteEndpoint(virtuoso).query(query)


def test_quirk_a_bind_in_union_branches_then_optional_loses_matches(virtuoso: str,
                                                                   embedded_all) -> None:
    text = (REPO / "queries" / "network.rq").read_text(encoding="utf-8")
    graphs = [g.value for g in embedded_all.default_graph()]
    local = embedded_all.query(text)
    column = local.variables.index("sourceNation")
    right = sum(row[column] is None for row in local.rows)
    answer = json.loads(raw(virtuoso, text, dataset=graphs))["results"]["bindings"]
    assert len(answer) == len(local.rows)
    assert sum("sourceNation" not in row for row in answer) > right  # matches lost
    with pytest.raises(UsageError, match=r"answers this query wrongly: \?source"):
        RemoteEndpoint(virtuoso).query(text)


def test_load_finds_the_graph_store_and_counts_match(virtuoso: str, embedded_all, run) -> None:
    assert RemoteEndpoint(virtuoso).triple_count() == embedded_all.triple_count()
    refused = run(["--root", REPO, "--endpoint", virtuoso, "load"])
    assert refused.exit_code == 3 and "refused access (HTTP 401)" in refused.output
