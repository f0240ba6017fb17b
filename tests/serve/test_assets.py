"""The web app's assets are the project's own: the bundle from npm ships with every package's
licence and the versions web/package-lock.json pins, and no template loads anything from
another host or holds an inline script or style that the Content-Security-Policy would block."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO

SERVE = REPO / "kgtool" / "serve"
VENDOR = SERVE / "static" / "vendor"
TEMPLATES = sorted((SERVE / "templates").glob("*.html"))


def test_the_bundle_carries_a_licence_per_package_at_the_locked_version() -> None:
    lock = json.loads((REPO / "web" / "package-lock.json").read_text(encoding="utf-8"))
    locked = {path.removeprefix("node_modules/"): entry["version"]
              for path, entry in lock["packages"].items() if path}
    licences = sorted((VENDOR / "licenses").glob("*.txt"))
    assert len(licences) >= 10
    for licence in licences:
        package, _, version = licence.stem.replace("__", "/").rpartition("-")
        assert locked[package] == version, licence.name
        assert re.search(r"licen[cs]e|copyright", licence.read_text(encoding="utf-8"), re.I)
    direct = json.loads((REPO / "web" / "package.json").read_text(encoding="utf-8"))
    shipped = {p.stem.replace("__", "/").rpartition("-")[0] for p in licences}
    assert set(direct["dependencies"]) <= shipped
    assert (VENDOR / "editor.js").stat().st_size > 100_000
    assert sorted(p.name for p in (VENDOR / "fonts").iterdir()) == [
        "noto-sans-arabic-arabic-400-normal.woff2", "noto-sans-arabic-arabic-700-normal.woff2"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_load_nothing_from_elsewhere_and_inline_nothing(template) -> None:
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", text)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline script"
    assert not re.search(r"<style|<[^>]+\s(style|on[a-z]+)=", text), "inline style or handler"


def test_the_style_sheet_reaches_no_other_host() -> None:
    css = (SERVE / "static" / "style.css").read_text(encoding="utf-8")
    assert [u for u in re.findall(r"url\(\"?([^\")]+)", css) if "//" in u] == []
