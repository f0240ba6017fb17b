"""Every SELECT output format, read back by an independent parser, gives the same bindings."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.query import Result

TRICKY = """SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) {
  ("tab\\there" "line\\nbreak"@en <https://e.org/x?y=1&z=2>)
  ("quote\\"comma,semi;" "نص"@ar 12)
  ("2020-10-13"^^<http://www.w3.org/2001/XMLSchema#date> UNDEF "x\\r\\ny")
  (<https://e.org/a#b> 4.50 "")
} }"""


def expected_rows() -> list[tuple]:
    store = ox.Store()
    rows = []
    for solution in store.query(TRICKY):
        rows.append(tuple(solution[v] for v in ("a", "b", "c")))
    return rows


def as_rdflib(term):
    from kgtool.terms import to_rdflib

    return None if term is None else to_rdflib(term)


def normalise(rows: list[tuple]) -> list[tuple]:
    """Terms as comparable tuples: kind, lexical form, language, datatype."""
    return [tuple(None if t is None else (type(t), str(t), getattr(t, "language", None),
                                          getattr(t, "datatype", None)) for t in row)
            for row in rows]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_typed_formats_round_trip_exactly(run, mini: Path, fmt: str) -> None:
    result = run(["--root", mini, "query", "-", "-f", fmt], input=TRICKY)
    assert result.exit_code == 0, result.output
    parsed = Result.parse(io.BytesIO(result.output.encode("utf-8")), format=fmt)
    got = [tuple(row.get(rdflib.Variable(v)) for v in ("a", "b", "c")) for row in parsed.bindings]
    want = [tuple(as_rdflib(t) for t in row) for row in expected_rows()]
    assert normalise(got) == normalise(want)


def test_json_is_w3c_shaped_and_parses_with_pyoxigraph(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "-f", "json"], input=TRICKY)
    doc = json.loads(result.output)
    assert doc["head"]["vars"] == ["a", "b", "c"]
    assert "b" not in doc["results"]["bindings"][2]  # unbound stays out
    parsed = ox.parse_query_results(result.output.encode(), format=ox.QueryResultsFormat.JSON)
    assert [tuple(s[v] for v in ("a", "b", "c")) for s in parsed] == expected_rows()


def test_xml_parses_with_pyoxigraph(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "-f", "xml"], input=TRICKY)
    parsed = ox.parse_query_results(result.output.encode(), format=ox.QueryResultsFormat.XML)
    assert [tuple(s[v] for v in ("a", "b", "c")) for s in parsed] == expected_rows()


def test_csv_holds_lexical_forms_with_rfc4180_quoting(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "-f", "csv"], input=TRICKY)
    raw = result.stdout_bytes if hasattr(result, "stdout_bytes") else result.output.encode()
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == ["a", "b", "c"]
    want = [["" if t is None else t.value for t in row] for row in expected_rows()]
    assert rows[1:] == want


def test_table_shows_curies_labels_and_a_row_count(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-"],
                 input="SELECT ?agency ?nation WHERE { ?agency "
                       "<https://w3id.org/spacecoop/ontology/belongsToNation> ?nation }")
    lines = result.output.splitlines()
    assert lines[0].split() == ["agency", "nation"]
    assert lines[2] == "agency:uaesa (UAE Space Agency)  nation:are (United Arab Emirates)"
    assert lines[-1] == "1 row"
    plain = run(["--root", mini, "query", "-", "--no-labels"],
                input="SELECT ?agency WHERE { ?agency a "
                      "<https://w3id.org/spacecoop/ontology/SpaceAgency> }")
    assert plain.output.splitlines()[2] == "agency:uaesa"


def test_markdown_table(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "-f", "markdown", "--no-labels"],
                 input="SELECT ?n WHERE { ?n a <https://w3id.org/spacecoop/ontology/Nation> }"
                       " ORDER BY ?n")
    assert result.output.splitlines()[:4] == ["| n |", "| --- |", "| nation:are |",
                                              "| nation:sau |"]


def test_ask_prints_and_exits_by_answer(run, mini: Path) -> None:
    yes = run(["--root", mini, "query", "-"], input="ASK { ?s a ?c }")
    no = run(["--root", mini, "query", "-"], input="ASK { ?s <https://e.org/none> ?c }")
    assert (yes.exit_code, yes.output, no.exit_code, no.output) == (0, "true\n", 1, "false\n")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_construct_writes_rdf_that_parses_back(run, mini: Path, fmt: str) -> None:
    query = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . "
             "?s a <https://w3id.org/spacecoop/ontology/Nation> }")
    result = run(["--root", mini, "query", "-", "-f", fmt], input=query)
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.output, format={"nt": "nt", "turtle": "turtle",
                                                             "json-ld": "json-ld"}[fmt])
    assert len(graph) == 10


def test_limit_cuts_rows_and_says_so(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "-f", "csv", "--limit", "2"],
                 input="SELECT ?s WHERE { ?s ?p ?o }")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3
    assert "(stopped at --limit 2)" in result.stderr


def test_timeout_stops_a_cartesian_join_for_real(run, mini: Path) -> None:
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE "
               "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }")
    started = time.monotonic()
    result = run(["--root", mini, "--timeout", "1", "query", "-"], input=runaway)
    elapsed = time.monotonic() - started
    assert result.exit_code == 4
    assert "ran longer than 1 s and was stopped" in result.output
    assert elapsed < 6  # loading plus the 1 s deadline; the join alone would run for hours


def test_path_closure_on_a_cycle_is_stopped(run, mini: Path) -> None:
    step = "(<https://e.org/p>|!<https://e.org/q>)*"
    runaway = f"SELECT (COUNT(*) AS ?n) {{ ?a {step}/{step}/{step} ?b . ?c ?d ?e . ?f ?g ?h }}"
    result = run(["--root", mini, "--timeout", "1", "query", "-"], input=runaway)
    assert result.exit_code == 4


def test_row_cap_is_exit_4(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "--max-rows", "3"],
                 input="SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert result.exit_code == 4
    assert "the answer has more than 3 rows" in result.output
