"""`-p NAME VALUE`: declared parameters bound as typed RDF terms; unknown or missing refused."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import write_query
from kgtool.errors import UsageError
from kgtool.prefixes import PrefixMap
from kgtool.query.catalogue import bind_value, parse_query

PREFIXES = PrefixMap({"nation": "https://w3id.org/spacecoop/id/nation/"})
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(("kind", "value", "term"), [
    ("iri", "nation:sau", ox.NamedNode("https://w3id.org/spacecoop/id/nation/sau")),
    ("iri", "<https://e.org/a>", ox.NamedNode("https://e.org/a")),
    ("iri", "https://e.org/a", ox.NamedNode("https://e.org/a")),
    ("date", "2020-10-13", ox.Literal("2020-10-13", datatype=ox.NamedNode(XSD + "date"))),
    ("year", "1985", ox.Literal("1985", datatype=ox.NamedNode(XSD + "gYear"))),
    ("number", "42", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
    ("number", "4.5", ox.Literal("4.5", datatype=ox.NamedNode(XSD + "decimal"))),
    ("string", "Riyadh", ox.Literal("Riyadh")),
    ("string", '"الرياض"@ar', ox.Literal("الرياض", language="ar")),
])
def test_values_become_terms_of_the_declared_kind(kind, value, term) -> None:
    assert bind_value(kind, value, PREFIXES) == term


@pytest.mark.parametrize(("kind", "value"), [
    ("date", "2020-13"), ("year", "85"), ("number", "ten"), ("iri", "nope:x"),
    # a trailing newline passes a $-anchored regex; the lexical space refuses it
    ("date", "2000-01-01\n"), ("year", "1985\n"), ("number", "42\n"),
    # days that no calendar has, and the Gregorian leap rule
    ("date", "2023-02-29"), ("date", "2023-02-30"), ("date", "1900-02-29"), ("date", "2020-04-31"),
    ("date", "2020-00-10"), ("date", "2020-1-10"),
    # digits other than ASCII ones
    ("year", "١٩٨٥"), ("number", "٤٢"),
    # control characters, spaces and relative IRIs
    ("iri", "nation:sau\x01"), ("iri", "nation:s au"), ("iri", "https://e.org/\x85"),
    ("iri", "relative/path"),
])
def test_bad_values_are_usage_errors(kind: str, value: str) -> None:
    with pytest.raises(UsageError):
        bind_value(kind, value, PREFIXES)


def test_a_tag_followed_by_a_newline_is_no_language_tag() -> None:
    assert bind_value("string", '"a"@en\n', PREFIXES) == ox.Literal('"a"@en\n')


@pytest.mark.parametrize(("kind", "value"), [
    ("date", "2024-02-29"), ("date", "2000-02-29"), ("date", "2020-10-13Z"),
    ("date", "2020-10-13+04:00"), ("date", "-0044-03-15"), ("year", "0000"),
    ("number", "+.5"), ("number", "-7"),
])
def test_values_in_the_lexical_space_are_bound(kind: str, value: str) -> None:
    assert bind_value(kind, value, PREFIXES).value == value


@pytest.mark.parametrize(("param", "value", "message"), [
    ("nation", "nation:sau\x01", "Error: 'nation:sau\\x01' is not a valid IRI"),
    ("since", "2000-01-01\n", "Error: '2000-01-01\\n' is not YYYY-MM-DD"),
    ("since", "2023-02-30", "Error: '2023-02-30' is not a date: February 2023 has 28 days"),
])
def test_a_bad_parameter_is_one_error_line(run, mini: Path, tmp_path: Path, param: str,
                                           value: str, message: str) -> None:
    query = write_query(tmp_path / "p.rq", "Param", {"nation": "iri", "since": "date"},
                        "SELECT * WHERE { ?nation ?p ?since }")
    other = {"nation": "nation:sau", "since": "2000-01-01"}
    other.pop(param)
    args = [a for name, v in other.items() for a in ("-p", name, v)]
    result = run(["--root", mini, "query", query, "-p", param, value, *args])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0] == message or lines[0].startswith(message + " "), lines
    assert len(lines) == 2 and lines[1].startswith("Hint: ")


def test_unknown_parameter_is_named(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "partners-by-activity", "-p", "natoin", "nation:sau"])
    assert result.exit_code == 2
    assert "unknown parameter 'natoin'" in result.output
    assert "declared parameters: nation" in result.output


def test_missing_parameter_is_named(run, mini: Path, tmp_path: Path) -> None:
    query = write_query(tmp_path / "need.rq", "Needs one", {"nation": "iri"},
                        "SELECT * WHERE { ?nation ?p ?o }")
    result = run(["--root", mini, "query", query])
    assert result.exit_code == 2
    assert "missing parameter(s) nation" in result.output


def test_unknown_query_name_suggests_close_ones(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "artemis-signatory"])
    assert result.exit_code == 2
    assert "no named query 'artemis-signatory'" in result.output
    assert "did you mean artemis-signatories" in result.output


def test_a_named_query_is_read_alone(run, mini: Path) -> None:
    (mini / "queries" / "unreadable.rq").write_bytes(b"\xff\xfe not UTF-8")
    result = run(["--root", mini, "query", "artemis-signatories", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("nation,")
    listed = run(["--root", mini, "queries"])
    assert listed.exit_code != 0
    assert "unreadable.rq: cannot read query" in listed.output


def test_header_parsing() -> None:
    text = ("#+ summary: Spacecraft by maker\n#+ description: Long text that\n#+   continues.\n"
            "#+ params:\n#+   - maker: iri\n#+   - since: date\n"
            "#+ defaults:\n#+   - since: 2000-01-01\n"
            "#+ tags:\n#+   - spacecraft\nSELECT * {}\n")
    query = parse_query(text, "x")
    assert query.summary == "Spacecraft by maker"
    assert query.description == "Long text that continues."
    assert query.params == {"maker": "iri", "since": "date"}
    assert query.defaults == {"since": "2000-01-01"}
    assert query.tags == ("spacecraft",)
    assert query.form == "SELECT"


def test_bad_sparql_is_exit_3_with_position_and_name(run, mini: Path, tmp_path: Path) -> None:
    query = tmp_path / "broken.rq"
    query.write_text("#+ summary: Broken\nSELECT ?s WHERE {\n  ?s ?p\n}\n", encoding="utf-8")
    result = run(["--root", mini, "query", query])
    assert result.exit_code == 3
    assert re.match(rf"Error: {re.escape(str(query))}:[2-5]:\d+: expected", result.output)
    assert "Traceback" not in result.output
