"""A project context may be any valid local JSON-LD context: one object, or an array of
objects. Every command reads it through ``kgtool.prefixes.read_context``; a remote context
is refused with one Error line naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, make_project


def with_context(root: Path, value) -> Path:
    (root / "ontology" / "context.jsonld").write_text(json.dumps({"@context": value}),
                                                      encoding="utf-8")
    return root


@pytest.fixture
def array_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p")
    context = json.loads((REPO / "ontology" / "context.jsonld").read_text())["@context"]
    items = list(context.items())
    half = len(items) // 2
    return with_context(root, [dict(items[:half]), dict(items[half:])])


@pytest.mark.parametrize("args", [
    ["stats", "-f", "json"],
    ["query", "artemis-signatories", "-f", "csv"],
    ["describe", "nation:sau"],
    ["validate", REPO / "examples" / "submissions" / "valid" / "egypt.ttl"],
    ["ingest", "--dry-run", REPO / "examples" / "submissions" / "valid" / "egypt.ttl"],
], ids=["stats", "query", "describe", "validate", "ingest-dry-run"])
def test_an_array_context_works_as_its_merged_object(run, tmp_path: Path, array_project: Path,
                                                     args) -> None:
    plain = make_project(tmp_path / "plain")
    expected = run(["--root", plain, *args])
    result = run(["--root", array_project, *args])
    assert result.exit_code == expected.exit_code, result.output
    assert result.output.replace(str(array_project), "") == \
        expected.output.replace(str(plain), "")


def test_json_ld_export_with_an_array_context(run, tmp_path: Path, array_project: Path) -> None:
    plain = make_project(tmp_path / "plain")
    expected = run(["--root", plain, "export", "-f", "json-ld"])
    result = run(["--root", array_project, "export", "-f", "json-ld"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["@graph"] == json.loads(expected.output)["@graph"]


@pytest.mark.parametrize("value", [
    "https://example.org/context.jsonld",
    [{"sc": "https://w3id.org/spacecoop/ontology/"}, "https://example.org/context.jsonld"],
    {"@import": "https://example.org/context.jsonld"},
    [42],
], ids=["string", "string-in-array", "import", "number"])
def test_a_remote_or_odd_context_is_one_error_naming_the_file(run, tmp_path: Path,
                                                              value) -> None:
    root = with_context(make_project(tmp_path / "p"), value)
    result = run(["--root", root, "query", "artemis-signatories"])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Error: {root / 'ontology' / 'context.jsonld'}: the @context "
                               "holds a")
    assert len(lines) == 2 and lines[1].startswith("Hint: write the term definitions inline")
