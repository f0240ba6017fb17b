"""The built wheel carries the graph: `kgtool stats` works from an empty folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_a_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(dist), str(REPO)], check=True, capture_output=True)
    wheel = next(dist.glob("kgtool-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site), str(wheel)], check=True)
    bundled = site / "kgtool" / "_bundle"
    for part in ("ontology", "data", "queries"):
        assert (bundled / part).is_dir(), part
    serve = site / "kgtool" / "serve"  # the web app's templates and assets, licences included
    for source in sorted((REPO / "kgtool" / "serve").rglob("*")):
        if source.is_file() and source.suffix in (".html", ".css", ".js", ".svg", ".woff2",
                                                  ".txt"):
            shipped = serve / source.relative_to(REPO / "kgtool" / "serve")
            assert shipped.read_bytes() == source.read_bytes(), shipped
    assert len(list((serve / "static" / "vendor" / "licenses").glob("*.txt"))) >= 10
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_ROOT"}
    env["PYTHONPATH"] = str(site)
    code = "import kgtool, sys; print(kgtool.__file__); from kgtool.cli import main; main()"
    out = subprocess.run([sys.executable, "-c", code, "stats", "-f", "json"], cwd=empty, env=env,
                         capture_output=True, text=True, check=True)
    location, _, payload = out.stdout.partition("\n")
    assert location.startswith(str(site))
    stats = json.loads(payload)
    data_files = len(list((REPO / "data").glob("*.ttl")))
    assert stats["files"] == 3 + data_files
    assert stats["triples"] > 1000
    # the pictures' definitions, templates and vendored scripts ship too, and plot works
    look = site / "kgtool" / "look"
    for asset in ("static/look.js", "static/vendor/vega.min.js", "static/vendor/cytoscape.min.js",
                  "static/vendor/world-atlas/countries-50m.json", "static/vendor/LICENSES.txt",
                  "site/templates/base.html"):
        assert (look / asset).is_file(), asset
    assert list((bundled / "queries").glob("*.plot.json"))
    out = subprocess.run([sys.executable, "-c", code, "plot", "map", "-o", "map.svg"], cwd=empty,
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[1].startswith("map.svg: OIC member states")
    assert (empty / "map.svg").read_text(encoding="utf-8").startswith("<svg")
