"""The web app's routes against a real server: named queries (HTML, JSON, CSV, SPARQL, with
parameters bound as the CLI binds them), entity pages and subgraphs, search, the submission
check (the same report as `kgtool validate`), Arabic pages, and the headers on every answer."""

from __future__ import annotations

import html
import json
import re

import httpx
import pyoxigraph as ox
import pytest

from conftest import REPO, blank_nodes_named_alike
from serving import running_server

SAU = "https://w3id.org/spacecoop/id/nation/sau"
INVALID = REPO / "examples" / "submissions" / "invalid"


@pytest.fixture(scope="module")
def url():
    with running_server("--workers", "2", "--max-size", "20KB") as base:
        yield base


def get(url: str, path: str, **kwargs) -> httpx.Response:
    return httpx.get(url + path, timeout=60, **kwargs)


def test_the_catalogue_as_a_page_and_as_json(url, run) -> None:
    page = get(url, "/queries")
    listed = json.loads(run(["--root", REPO, "queries", "-f", "json"]).output)
    assert page.status_code == 200
    assert all(f'href="/queries/{q["name"]}"' in page.text for q in listed)
    data = get(url, "/queries.json").json()
    assert [q["name"] for q in data] == [q["name"] for q in listed]
    assert data[0]["params"] == listed[0]["params"]


def test_a_named_query_with_a_parameter_answers_as_the_cli_does(url, run) -> None:
    cli = run(["--root", REPO, "query", "spacecraft-of-nation", "-p", "nation", "nation:sau",
               "-f", "csv"]).stdout_bytes.decode()
    path = "/queries/spacecraft-of-nation"
    served = get(url, f"{path}.csv", params={"nation": "nation:sau"})
    assert served.headers["content-type"].startswith("text/csv")
    assert served.text == cli and cli.count("\n") > 3
    assert get(url, path, params={"nation": "nation:sau"},
               headers={"Accept": "text/csv"}).text == cli
    page = get(url, path, params={"nation": "nation:sau"})
    assert 'name="nation"' in page.text and 'value="nation:sau"' in page.text
    for suffix in ("json", "csv", "tsv", "xml"):
        assert f'href="{path}.{suffix}?nation=nation%3Asau"' in page.text
    assert f'href="{path}.rq"' in page.text
    assert get(url, f"{path}.rq").text == (REPO / "queries" / "spacecraft-of-nation.rq"
                                           ).read_text(encoding="utf-8")
    rows = get(url, f"{path}.json", params={"nation": "nation:sau"}).json()
    assert len(rows["results"]["bindings"]) == cli.count("\n") - 1


def test_named_query_errors(url) -> None:
    bad = get(url, "/queries/agencies-founded-after", params={"since": "last year"})
    assert bad.status_code == 400 and "is not YYYY-MM-DD" in html.unescape(bad.text)
    assert 'name="since"' in bad.text  # the form is still there, to fix the value
    missing = get(url, "/queries/no-such-query")
    assert missing.status_code == 404 and "no named query" in missing.text
    assert get(url, "/queries/who-flew.ttl").status_code == 406


def test_an_entity_page_shows_facts_incoming_links_and_sources(url) -> None:
    page = get(url, "/id/nation/sau")
    assert page.status_code == 200 and "<h1><bdi lang=\"en\">Saudi Arabia</bdi>" in page.text
    assert 'href="/id/agency/saudi-space-agency"' in page.text  # it points at the nation
    sources = re.findall(r'<a href="(https?://[^"]+)" rel="noopener noreferrer" dir="ltr">',
                         page.text)
    assert len(sources) > 3
    arabic = get(url, "/id/nation/sau", params={"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert '<h1><bdi lang="ar">السعودية</bdi>' in arabic.text
    # a partner agency has no Arabic label: the English one is shown, and marked as such
    partner = get(url, "/id/agency/kari", params={"lang": "ar"})
    assert re.search(r'<bdi lang="en">[^<]+</bdi> <small class="fallback" title="[^"]+">'
                     r"الإنجليزية</small>", partner.text)


@pytest.mark.parametrize(("how", "syntax"), [
    ({"suffix": ".ttl"}, ox.RdfFormat.TURTLE), ({"suffix": ".jsonld"}, ox.RdfFormat.JSON_LD),
    ({"suffix": ".nt"}, ox.RdfFormat.N_TRIPLES),
    ({"accept": "text/turtle"}, ox.RdfFormat.TURTLE),
    ({"accept": "application/ld+json"}, ox.RdfFormat.JSON_LD)])
def test_an_entity_subgraph_equals_describe(url, run, how, syntax) -> None:
    cli = run(["--root", REPO, "describe", "nation:sau", "-f", "turtle"]).stdout_bytes
    expected = set(ox.parse(cli, ox.RdfFormat.TURTLE))
    answer = get(url, "/id/nation/sau" + how.get("suffix", ""),
                 headers={"Accept": how["accept"]} if "accept" in how else {})
    assert answer.status_code == 200
    assert set(ox.parse(answer.content, syntax)) == expected and len(expected) > 20


def test_unknown_entities_are_404(url) -> None:
    assert get(url, "/id/nation/zzz").status_code == 404
    assert get(url, "/id/not a path").status_code == 404
    assert get(url, "/id/nation/zzz.ttl").status_code == 404


@pytest.mark.parametrize(("q", "kind"), [("Saudi Arabia", "exact"), ("Saudi Arabiaa", "close"),
                                         ("السعودية", "exact")])
def test_search_finds_labels_in_either_language(url, q, kind) -> None:
    page = get(url, "/search", params={"q": q})
    first = page.text.split('<ol class="found">')[1].split("</li>")[0]
    assert 'href="/id/nation/sau"' in first and f"kind-{kind}" in first


@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.glob("*.ttl")))
def test_the_check_page_gives_the_report_of_kgtool_validate(url, run, monkeypatch,
                                                            name) -> None:
    monkeypatch.chdir(INVALID)
    cli = run(["--root", REPO, "validate", name])
    data = (INVALID / name).read_bytes()
    page = httpx.post(f"{url}/check", files={"file": (name, data, "text/turtle")},
                      data={"format": ""}, timeout=60)
    assert page.status_code == 200
    report = html.unescape(page.text.split('<pre class="report" dir="ltr" lang="en">')[1]
                           .split("</pre>")[0])
    assert blank_nodes_named_alike(report) == blank_nodes_named_alike(cli.output.rstrip("\n"))
    assert ("Does not conform" in page.text) == (cli.exit_code == 1)


def test_the_check_page_reads_pasted_text_safely_and_within_the_cap(url) -> None:
    broken = httpx.post(f"{url}/check", data={"text": "<https://e.org/a> <https://e.org/p> ."},
                        timeout=60)
    assert broken.status_code == 400 and "pasted text:1:" in html.unescape(broken.text)
    big = httpx.post(f"{url}/check", data={"text": "#" * 30_000}, timeout=60)
    assert big.status_code == 413


def test_every_answer_carries_the_content_security_policy(url) -> None:
    for path in ("/", "/queries", "/query", "/check", "/id/nation/sau", "/static/style.css",
                 "/static/vendor/editor.js", "/sparql", "/nothing-here"):
        policy = get(url, path).headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy


def test_there_is_no_write_route(url) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        for path in ("/sparql", "/id/nation/sau", "/queries/who-flew", "/check"):
            assert httpx.request(method, url + path).status_code in (404, 405)
