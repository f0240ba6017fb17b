"""Every named query: a header, an exact expected result on the examples, rows on the real data.

Expected results live in ``tests/query/expected/<name>.tsv`` (SPARQL TSV, so terms keep their
datatypes and language tags), computed over ``ontology/examples``. After a deliberate
change, rewrite them with ``PYTHONPATH=tests python tests/query/test_named_queries.py
--update`` and review the diff.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

from conftest import REPO
from kgtool.engine.base import Solutions
from kgtool.engine.embedded import EmbeddedStore, load_project
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.query.catalogue import bindings, catalogue
from kgtool.query.results import render_solutions

EXPECTED = Path(__file__).parent / "expected"
PROJECT = find_project(str(REPO))
QUERIES = catalogue(PROJECT)
PREFIXES = PrefixMap.from_context(PROJECT.context_path)


@cache
def engine(parts: tuple[str, ...]) -> EmbeddedStore:
    return load_project(PROJECT, parts=parts)


def answer(query, parts: tuple[str, ...]) -> Solutions:
    result = engine(parts).query(query.text, substitutions=bindings(query, [], PREFIXES),
                                 display=query.display)
    assert isinstance(result, Solutions), f"{query.name} is not a SELECT"
    return result


def on_examples(query) -> str:
    return render_solutions(answer(query, ("ontology", "examples")), "tsv")


def test_there_are_at_least_twenty_named_queries() -> None:
    assert len(QUERIES) >= 20


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_header_has_summary_and_description(query) -> None:
    assert query.summary and query.description
    assert set(query.defaults) <= set(query.params)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_expected_result_on_the_examples(query) -> None:
    expected = (EXPECTED / f"{query.name}.tsv").read_text(encoding="utf-8")
    rows = expected.splitlines()[1:]
    if query.expect == "empty":
        assert rows == [], "the header promises an empty result on the examples"
    else:
        assert rows, "an empty expected result needs '#+ expect: empty' in the header"
    assert on_examples(query) == expected


@pytest.mark.parametrize("query", [q for q in QUERIES if q.expect != "empty"],
                         ids=[q.name for q in QUERIES if q.expect != "empty"])
def test_returns_rows_on_the_bundled_data(query) -> None:
    assert answer(query, ("ontology", "data")).rows


def test_every_query_has_an_expected_file_and_no_file_is_orphaned() -> None:
    assert {p.stem for p in EXPECTED.glob("*.tsv")} == {q.name for q in QUERIES}


if __name__ == "__main__" and "--update" in sys.argv:
    for named in QUERIES:
        (EXPECTED / f"{named.name}.tsv").write_text(on_examples(named), encoding="utf-8")
        print("wrote", named.name)
