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
])
def test_bad_values_are_usage_errors(kind: str, value: str) -> None:
    with pytest.raises(UsageError):
        bind_value(kind, value, PREFIXES)


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
