"""Terminal safety: a label holding an OSC sequence (ESC ] 0;title BEL) or a bidi override
(U+202E) is escaped by every view for people (query table and Markdown, describe, the queries
and stats tables), and kept byte for byte by the machine formats (CSV, TSV, JSON, XML)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import make_project, write_query

OSC = "\x1b]0;pwned\x07"
RLO = "\u202e"
HOSTILE = f"Evil{OSC}Sat{RLO}tsil"
ESCAPED = "Evil\\x1b]0;pwned\\x07Sat\\u202etsil"
DATA = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sc: <https://w3id.org/spacecoop/ontology/> .
<https://w3id.org/spacecoop/id/spacecraft/evil> a sc:Satellite ;
  rdfs:label "Evil\\u001B]0;pwned\\u0007Sat\\u202Etsil"@en .
"""
EVIL = "https://w3id.org/spacecoop/id/spacecraft/evil"


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose one node has the hostile label, and a query that lists labels."""
    root = make_project(tmp_path / "p", {"evil.ttl": DATA})
    rq = write_query(root / "queries" / "labels.rq", f"Labels {OSC}{RLO}", {},
                     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                     "SELECT ?s ?label WHERE { ?s a ?c ; rdfs:label ?label }")
    return root, rq


def assert_safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and RLO not in text, repr(text)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_query_views_for_people_escape_the_label(run, hostile, fmt: str) -> None:
    root, rq = hostile
    result = run(["--root", root, "query", rq, "-f", fmt])
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert ESCAPED in result.output


def test_a_label_shown_beside_an_iri_is_escaped(run, hostile) -> None:
    root, _ = hostile
    rq = write_query(root / "queries" / "things.rq", "Things", {},
                     "SELECT ?s WHERE { ?s a ?c }")
    result = run(["--root", root, "query", rq])
    assert_safe(result.output)
    assert f"({ESCAPED})" in result.output


def test_describe_escapes_the_label(run, hostile) -> None:
    root, _ = hostile
    result = run(["--root", root, "describe", f"<{EVIL}>"])
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert result.output.startswith(ESCAPED)


def test_the_queries_table_escapes_a_summary(run, hostile) -> None:
    root, _ = hostile
    result = run(["--root", root, "queries"])
    assert_safe(result.output)
    assert "Labels \\x1b]0;pwned\\x07\\u202e" in result.output


def test_the_stats_table_escapes_the_project_folder(run, tmp_path: Path) -> None:
    root = make_project(tmp_path / f"p{OSC}{RLO}")
    result = run(["--root", root, "stats", "--no-coverage"])
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert "p\\x1b]0;pwned\\x07\\u202e" in result.output


def test_an_error_escapes_the_text_it_echoes(run, hostile) -> None:
    root, _ = hostile
    result = run(["--root", root, "describe", HOSTILE + "x"])
    assert result.exit_code == 2
    assert_safe(result.output)


def test_machine_formats_keep_every_byte(run, hostile) -> None:
    root, rq = hostile
    rows = list(csv.reader(io.StringIO(run(["--root", root, "query", rq, "-f", "csv"]).output)))
    assert rows[1] == [EVIL, HOSTILE]
    tsv = run(["--root", root, "query", rq, "-f", "tsv"]).output
    # TSV writes terms as N-Triples does: the controls as \u escapes a parser reads back
    assert tsv.splitlines()[1] == f'<{EVIL}>\t"Evil\\u001B]0;pwned\\u0007Sat{RLO}tsil"@en'
    answer = json.loads(run(["--root", root, "query", rq, "-f", "json"]).output)
    assert answer["results"]["bindings"][0]["label"]["value"] == HOSTILE
    # XML 1.0 cannot carry ESC or BEL: the XML writer refuses rather than alter the label
    xml = run(["--root", root, "query", rq, "-f", "xml"])
    assert xml.exit_code == 3 and "U+001B" in xml.output
