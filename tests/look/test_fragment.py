"""What a web app embeds: a picture's fragment (no inline script, its view as JSON, links to
the entity pages when asked) and the vendored assets it loads, as built by
scripts/build-look-assets (their hashes in MANIFEST.json, every package's licence)."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache

from conftest import FIXTURES, REPO, make_project
from kgtool.engine import load_project
from kgtool.look import STATIC_DIR, picture_fragment
from kgtool.project import find_project

PROJECT = find_project(str(REPO))


@cache
def engine():
    return load_project(PROJECT)


def view_of(html: str) -> dict:
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, _ in scripts] == [' type="application/json" '
                                               'class="kgtool-picture-data"']
    return json.loads(scripts[0][1])


def test_a_network_fragment_links_nodes_to_entity_pages_when_asked() -> None:
    plain = picture_fragment(engine(), PROJECT, "network", [("nation", "nation:bhr")])
    linked = picture_fragment(engine(), PROJECT, "network", [("nation", "nation:bhr")],
                              entity_base="")
    assert plain.assets == ("look.css", "vendor/cytoscape.min.js", "look.js")
    assert not [e for e in view_of(plain.html)["elements"] if "href" in e["data"]]
    nodes = [e["data"] for e in view_of(linked.html)["elements"] if e["group"] == "nodes"]
    assert nodes and all(n["href"] == "/id/" + n["id"].replace(":", "/") for n in nodes
                         if n["id"].startswith(("nation:", "agency:")))
    assert 'href="/id/nation/bhr"' in linked.html  # the data table links too
    assert plain.alt in plain.html and 'aria-label="' in plain.html


def test_a_chart_fragment_carries_a_compiled_vega_spec_in_arabic() -> None:
    fragment = picture_fragment(engine(), PROJECT, "launches-per-decade", lang="ar")
    view = view_of(fragment.html)
    assert view["kind"] == "vega" and "vega" in view["spec"]["$schema"]
    assert '<figure class="kgtool-picture kgtool-vega"' in fragment.html
    assert 'lang="ar" dir="rtl"' in fragment.html
    assert fragment.assets == ("look.css", "vendor/vega.min.js", "look.js")


def test_every_asset_is_there_with_the_hash_its_build_recorded() -> None:
    manifest = json.loads((STATIC_DIR / "vendor" / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, digest in manifest["sha256"].items():
        data = (STATIC_DIR / "vendor" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
    licences = (STATIC_DIR / "vendor" / "LICENSES.txt").read_text(encoding="utf-8")
    for package, version in manifest["packages"].items():
        assert f"{package} {version} (" in licences, package
    assert {"vega", "vega-interpreter", "cytoscape", "world-atlas"} <= set(manifest["packages"])
    lock = json.loads((REPO / "scripts" / "look-assets" / "package-lock.json").read_text())
    assert all(lock["packages"][f"node_modules/{p}"]["version"] == v
               for p, v in manifest["packages"].items())


def test_a_hostile_label_cannot_end_the_script_or_add_markup(tmp_path) -> None:
    root = make_project(tmp_path / "p", source=FIXTURES / "look")
    with (root / "data" / "look.ttl").open("a", encoding="utf-8") as data:
        data.write('agency:cnes rdfs:label "CNES</script><script>alert(1)</script><b>"@ar .\n')
    project = find_project(str(root))
    fragment = picture_fragment(load_project(project), project, "network", lang="ar")
    assert fragment.html.count("<script") == 1 and "<b>" not in fragment.html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in fragment.html
    labels = [e["data"]["label"] for e in view_of(fragment.html)["elements"]
              if e["group"] == "nodes"]
    assert "CNES</script><script>alert(1)</script><b>" in labels
