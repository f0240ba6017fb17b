"""The web app in a real browser: Playwright driving Debian's Chromium against a real server.

A person runs a named query with a parameter, opens an entity page from a result, switches to
Arabic (a right-to-left page), writes a query in the editor, and checks an invalid file. Every
test fails on a console error (a Content-Security-Policy violation is one) and on any request
to another host than the server. Each page is saved under build/screenshots/; with
UPDATE_SCREENSHOTS=1 the home page also refreshes docs/screenshots/home.png (the README's).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO
from serving import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "build" / "screenshots"
README_SHOT = REPO / "docs" / "screenshots" / "home.png"

# Text whose contrast with its background is below WCAG AA (4.5:1; 3:1 for large text).
LOW_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0) return c; }
    return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5))
      bad.push(`${el.tagName} ${ratio.toFixed(2)} ${el.textContent.trim().slice(0, 30)}`);
  }
  return bad;
}"""
# Form fields without a label.
UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((el) => el.type !== "hidden" && !el.hidden && !el.labels.length
          && !el.getAttribute("aria-label")).map((el) => el.name)"""


@pytest.fixture(scope="module")
def url():
    with running_server("--workers", "2", timeout=10.0) as base:
        yield base


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: 'make test' installs it (apt-get install "
                    "chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM),
            args=ARGS, viewport={"width": 1280, "height": 900}, locale="en-GB")
        yield browser
        browser.close()


class Visit:
    """A page that records console errors and requests to other hosts."""

    def __init__(self, context, url: str) -> None:
        self.url, self.problems = url, []
        self.page = context.new_page()
        host = urlsplit(url).netloc
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))
        self.page.on("request", lambda r: urlsplit(r.url).scheme in ("data", "blob")
                     or urlsplit(r.url).netloc == host
                     or self.problems.append(f"request to another host: {r.url}"))

    def open(self, path: str) -> None:
        self.page.goto(self.url + path)
        self.settle()

    def follow(self, action) -> None:
        """Do ``action`` (a click, a key), and wait for the page it opens."""
        with self.page.expect_navigation():
            action()
        self.settle()

    def settle(self) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.page.evaluate(UNLABELLED) == []
        assert self.page.evaluate(LOW_CONTRAST) == []

    def shot(self, name: str, full_page: bool = True) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.page.close()
        assert self.problems == []


@pytest.fixture
def visit(context, url):
    visit = Visit(context, url)
    yield visit
    visit.close()


def test_home_page_in_english_and_arabic(visit) -> None:
    page = visit.page
    visit.open("/")
    assert page.locator("h1").inner_text() == "spacecoop"
    assert page.locator("table.coverage tbody tr").count() == 57
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    shot = visit.shot("home", full_page=False)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not README_SHOT.exists():
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SHOT)
    visit.follow(lambda: page.click("#switch-ar"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "السعودية" in page.locator("table.coverage").inner_text()
    visit.shot("home-ar")
    page.fill("#q", "السعودية")
    visit.follow(lambda: page.keyboard.press("Enter"))
    first = page.locator("ol.found li").first.locator("a").first
    assert first.get_attribute("href") == "/id/nation/sau?lang=ar"  # links keep the language
    visit.shot("search-ar")


def test_a_named_query_with_a_parameter_then_an_entity_from_its_results(visit) -> None:
    page = visit.page
    visit.open("/queries")
    visit.follow(lambda: page.click("a[href='/queries/spacecraft-of-nation']"))
    page.fill("#param-nation", "nation:sau")
    visit.follow(lambda: page.click("form.params button[type=submit]"))
    assert "nation=nation%3Asau" in page.url
    assert page.locator("table.results tbody tr").count() > 3
    visit.shot("named-query")
    link = page.locator("table.results a[href^='/id/spacecraft/']").first
    name = link.locator("bdi").inner_text()
    visit.follow(link.click)
    assert page.locator("h1").inner_text().startswith(name)
    assert page.locator("section[aria-labelledby=sources] a").count() >= 1
    visit.shot("entity")
    visit.follow(lambda: page.click("#switch-ar"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    visit.shot("entity-ar")


def test_the_query_editor_highlights_and_runs_a_query(visit) -> None:
    page = visit.page
    visit.open("/query")
    editor = page.locator(".cm-content")
    editor.click()
    page.keyboard.type("SELECT ?nation WHERE { ?nation a <https://w3id.org/spacecoop/ontology/"
                       "Nation> } LIMIT 7")
    assert page.locator(".cm-line span").count() > 2  # highlighted tokens
    visit.follow(lambda: page.keyboard.press("Control+Enter"))
    assert "query=SELECT" in page.url  # the query is in the address: a link to share
    assert page.locator("table.results tbody tr").count() == 7
    assert page.locator(".downloads a", has_text="CSV").count() == 1
    visit.shot("query")


def test_the_check_page_shows_an_invalid_files_violations(visit) -> None:
    page = visit.page
    visit.open("/check")
    page.set_input_files("#file", str(REPO / "examples/submissions/invalid/duplicate-nation.ttl"))
    visit.follow(lambda: page.click("form.check button[type=submit]"))
    report = page.locator("pre.report").inner_text()
    assert "likely a duplicate of nation:sau (Saudi Arabia)" in report
    assert report.splitlines()[-1].startswith("Does not conform")
    assert page.locator("h2#report .bad").count() == 1
    visit.shot("check")


@pytest.mark.parametrize("name", ["network", "map", "timeline", "launches-per-decade"])
def test_pictures_are_drawn_in_the_web_app(visit, name) -> None:
    """kgtool.look's pictures under the server's CSP: drawn (an SVG or a canvas appears), no
    console error, nothing from another host; the network's nodes link to entity pages."""
    page = visit.page
    visit.open("/pictures/")
    assert page.locator(f'a[href="/pictures/{name}"]').count() == 1
    visit.open(f"/pictures/{name}")
    page.wait_for_selector("figure svg, figure canvas", timeout=15000)
    assert page.locator("figure").count() == 1
    visit.shot(f"picture-{name}")
