"""Finding the project: --root, KGTOOL_ROOT, the current folder and its parents, the bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgtool.errors import ProjectNotFound
from kgtool.project import find_project


def test_root_option_wins_over_everything(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    found = find_project(str(mini), env={"KGTOOL_ROOT": str(other)}, cwd=other)
    assert (found.root, found.how) == (mini.resolve(), "--root")


def test_environment_variable_comes_next(mini: Path, tmp_path: Path) -> None:
    found = find_project(None, env={"KGTOOL_ROOT": str(mini)}, cwd=tmp_path)
    assert (found.root, found.how) == (mini.resolve(), "KGTOOL_ROOT")


def test_current_folder_and_its_parents(mini: Path) -> None:
    deep = mini / "data" / "sub" / "deeper"
    deep.mkdir(parents=True)
    found = find_project(None, env={}, cwd=deep)
    assert (found.root, found.how) == (mini.resolve(), "cwd")


def test_bundle_is_the_last_resort(mini: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    found = find_project(None, env={}, cwd=empty, bundle=mini)
    assert (found.root, found.how) == (mini, "bundle")


def test_no_project_lists_every_way_to_fix_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ProjectNotFound) as caught:
        find_project(None, env={}, cwd=empty, bundle=tmp_path / "no-bundle")
    assert caught.value.exit_code == 3
    for way in ("--root DIR", "KGTOOL_ROOT=DIR", "inside the project folder", "wheel"):
        assert way in caught.value.hint


def test_no_project_from_the_cli(run, tmp_path: Path) -> None:
    result = run(["--root", tmp_path, "stats"])
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == (
        f"Error: --root {tmp_path} is not a spacecoop project (it needs ontology/ and data/)")
    assert "Traceback" not in result.output


def test_bad_environment_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound, match="KGTOOL_ROOT="):
        find_project(None, env={"KGTOOL_ROOT": str(tmp_path)}, cwd=tmp_path)
