"""Golden pictures of a small fixture graph (tests/fixtures/look): the SVGs are byte-stable,
so any change to a query, a definition or the drawing code shows up as a diff here.

After a deliberate change, rewrite them with
``PYTHONPATH=tests python tests/look/test_golden.py --update`` and review the diff.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from conftest import FIXTURES, make_project
from kgtool.engine import load_project
from kgtool.look import draw
from kgtool.project import find_project

GOLDEN = Path(__file__).parent / "golden"
CASES = {  # file -> (picture, parameters, language)
    "network.svg": ("network", [], "en"),
    "network-ar.svg": ("network", [], "ar"),
    "network-bhr.svg": ("network", [("nation", "nation:bhr")], "en"),
    "timeline.svg": ("timeline", [], "en"),
    "spacecraft-by-maker.svg": ("spacecraft-by-maker", [], "en"),
}


def render(root: Path, case: str) -> str:
    project = find_project(str(root))
    name, params, lang = CASES[case]
    return draw(load_project(project), project, name, params, lang=lang).svg()


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("look") / "project", source=FIXTURES / "look")


@pytest.mark.parametrize("case", sorted(CASES))
def test_picture_of_the_fixture_graph_equals_its_golden_file(fixture_project, case) -> None:
    expected = (GOLDEN / case).read_text(encoding="utf-8")
    assert render(fixture_project, case) == expected
    assert render(fixture_project, case) == expected  # and again: the same bytes


def test_the_fixture_network_has_what_the_fixture_holds(fixture_project) -> None:
    svg = render(fixture_project, "network.svg")
    # 2 bilateral agreements (3 rows, one per activity), 2 links of the multilateral one
    # (France a party, the UAE Space Agency a signatory), 1 satellite built abroad, 1 launch,
    # 1 spaceflight; between 3 agencies, a company, a nation and the multilateral agreement
    assert svg.count('class="edge"') == 8
    assert svg.count('class="node"') == 6


if __name__ == "__main__" and "--update" in sys.argv:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "project", source=FIXTURES / "look")
        GOLDEN.mkdir(exist_ok=True)
        for case in sorted(CASES):
            (GOLDEN / case).write_text(render(root, case), encoding="utf-8")
            print("wrote", case)
