"""Loading the graph: syntax errors name file, line and column; nothing is half-loaded."""

from __future__ import annotations

from pathlib import Path

from conftest import make_project

PREFIX = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
BROKEN = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
<https://w3id.org/spacecoop/id/nation/sau> a sc:Nation .
  <https://w3id.org/spacecoop/id/nation/are> a nope:Nation .
"""


def test_syntax_error_gives_exit_3_with_file_line_and_column(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"bad.ttl": BROKEN})
    result = run(["--root", root, "stats"])
    assert result.exit_code == 3
    first = result.output.splitlines()[0]
    assert first == "Error: data/bad.ttl:3:48: The prefix nope: has not been declared"
    assert "Hint: fix the syntax at that position" in result.output
    assert "Traceback" not in result.output


def test_unterminated_string_points_at_its_line(run, tmp_path: Path) -> None:
    text = PREFIX + '<https://e.org/a> rdfs:label "open .\n'
    root = make_project(tmp_path / "p", data={"open.ttl": text})
    result = run(["--root", root, "stats"])
    assert result.exit_code == 3
    assert result.output.startswith("Error: data/open.ttl:2:")


def test_control_characters_from_input_are_escaped(run, tmp_path: Path) -> None:
    text = PREFIX + '<https://e.org/a> \x1b[31m rdfs:label "x" .\n'
    root = make_project(tmp_path / "p", data={"esc.ttl": text})
    result = run(["--root", root, "stats"])
    assert result.exit_code == 3
    assert "\x1b" not in result.output


def test_a_failed_file_adds_nothing(tmp_path: Path) -> None:
    from kgtool.engine.embedded import EmbeddedStore
    from kgtool.errors import InputError

    store = EmbeddedStore()
    good = "<https://e.org/a> <https://e.org/p> <https://e.org/b> .\n"
    try:
        store.load_text(good + "<https://e.org/c> <https://e.org/p> .\n", "data/x.nt", part="data")
    except InputError as error:
        assert error.message.startswith("data/x.nt:2:")
    assert len(store.store) == 0
