"""``kgtool plot``: files by extension, pages without inline scripts, and one Error line
with a Hint and the documented exit code for every mistake."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, make_project


def test_plot_writes_svg_png_and_html_and_prints_the_alt_text(run, tmp_path: Path) -> None:
    for suffix, start in ((".svg", b"<svg"), (".png", b"\x89PNG")):
        out = tmp_path / f"chart{suffix}"
        result = run(["--root", REPO, "plot", "launches-per-decade", "-o", out])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(start)
        assert result.output.startswith(f"{out}: Launches per decade, by launch vehicle's nation")
    page = tmp_path / "network.html"
    result = run(["--root", REPO, "plot", "network", "--lang", "ar", "-o", page])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html and "Content-Security-Policy" in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all('src="' in attrs or 'type="application/json"' in attrs for attrs, _ in scripts)
    assert all(not body for attrs, body in scripts if "src=" in attrs)
    view = json.loads(next(body for attrs, body in scripts if "application/json" in attrs))
    assert view["kind"] == "network" and view["elements"]
    for asset in re.findall(r'(?:src|href)="(kgtool-look/[^"]+)"', html):
        assert (tmp_path / asset).is_file(), asset
    assert (tmp_path / "kgtool-look" / "vendor" / "LICENSES.txt").is_file()


def test_svg_output_is_the_same_bytes_on_every_run(run, tmp_path: Path) -> None:
    outputs = []
    for index in range(2):
        out = tmp_path / f"t{index}.svg"
        assert run(["--root", REPO, "plot", "timeline", "-p", "decade", "2010s", "-o", out]
                   ).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(("args", "code", "error", "hint"), [
    (["plot", "nope"], 2, "Error: no picture 'nope'",
     "Hint: pictures: benefits-by-nation, launches-per-decade, map, network, "
     "spacecraft-by-maker, timeline"),
    (["plot", "map", "-p", "measure", "area"], 2, "Error: map: 'area' is not a choice of measure",
     "Hint: choices: agreements, spacecraftCount, flown"),
    (["plot", "timeline", "-p", "decade", "201"], 2, "Error: '201' is not a decade",
     "Hint: give a decade as 2010s or 2010"),
    (["plot", "map", "-p", "colour", "red"], 2,
     "Error: map: queries/nation-measures.rq: unknown parameter 'colour'",
     "Hint: declared parameters: none; the picture's own parameters: measure"),
], ids=["picture", "choice", "decade", "parameter"])
def test_mistakes_are_one_error_line_with_a_hint(run, tmp_path, args, code, error, hint) -> None:
    result = run(["--root", REPO, *args, "-o", tmp_path / "x.svg"])
    assert result.exit_code == code
    assert result.output.splitlines() == [error, hint]
    assert not (tmp_path / "x.svg").exists()


def test_unknown_format_and_missing_folder(run, tmp_path: Path) -> None:
    result = run(["--root", REPO, "plot", "map", "-o", tmp_path / "map.pdf"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {tmp_path / 'map.pdf'}: unknown picture format .pdf",
        "Hint: write to a .svg, .png or .html file"]
    missing = tmp_path / "no" / "map.svg"
    result = run(["--root", REPO, "plot", "launches-per-decade", "-o", missing])
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == f"Error: {missing}: cannot write (No such file or " \
                                            "directory)"


def test_a_broken_definition_is_reported_with_its_position(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "queries" / "broken.plot.json").write_text('{"query": "coverage",\n "kind": }',
                                                       encoding="utf-8")
    result = run(["--root", root, "plot", "map", "-o", tmp_path / "x.svg"])
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == ("Error: queries/broken.plot.json:2:10: "
                                             "Expecting value")
    (root / "queries" / "broken.plot.json").write_text(
        '{"query": "coverage", "kind": "vega-lite", "spec": {}, "alt": {"kind": "bars"},'
        ' "summary": {"en": "only English"}}', encoding="utf-8")
    result = run(["--root", root, "plot", "map", "-o", tmp_path / "x.svg"])
    assert result.output.splitlines() == [
        "Error: queries/broken.plot.json: summary: needs a text in each language (en, ar)",
        'Hint: write {"en": "...", "ar": "..."}']


def test_a_picture_follows_its_query(run, tmp_path: Path) -> None:
    """Change the query and the picture follows: a network query with only launches."""
    root = make_project(tmp_path / "p")
    shutil.copytree(REPO / "data", root / "data", dirs_exist_ok=True)
    text = (root / "queries" / "network.rq").read_text(encoding="utf-8")
    where = text.rindex("}")
    (root / "queries" / "network.rq").write_text(
        text[:where] + '  FILTER (?kind = "launch")\n' + text[where:], encoding="utf-8")
    result = run(["--root", root, "plot", "network", "-o", tmp_path / "n.svg"])
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "n.svg").read_text(encoding="utf-8")
    rows = [row.split(",") for row in run(["--root", root, "query", "network", "-f", "csv"])
            .output.splitlines()[1:]]
    assert rows and {row[2] for row in rows} == {"launch"}  # the query changed
    assert f"(launch ({len(rows)}))" in result.output  # and the picture followed it
    assert svg.count('class="edge"') == len(rows)
