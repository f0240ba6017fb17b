"""Search by label and labels in a language, on the bundled graph; ASK answers in the W3C
result formats, read back by rdflib's parsers."""

from __future__ import annotations

import io

import pytest
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from kgtool.engine import load_project
from kgtool.query import LabelIndex, labels_in, render_boolean
from kgtool.query.search import KINDS

SAU = "https://w3id.org/spacecoop/id/nation/sau"


@pytest.fixture(scope="module")
def engine(project):
    return load_project(project)


@pytest.fixture(scope="module")
def index(engine) -> LabelIndex:
    return LabelIndex.build(engine)


def test_an_exact_label_in_either_language_comes_first(index) -> None:
    english, arabic = index.search("saudi arabia"), index.search("السعودية")
    assert (english[0].iri, english[0].kind, english[0].language) == (SAU, "exact", "en")
    assert (arabic[0].iri, arabic[0].kind, arabic[0].language) == (SAU, "exact", "ar")


def test_a_misspelt_label_finds_close_matches(index) -> None:
    found = index.search("Saudi Arabiaa")
    assert found[0].iri == SAU and found[0].kind == "close"
    assert index.search("xqzvw") == []


def test_a_word_finds_every_label_that_contains_it(index) -> None:
    found = index.search("space agency", limit=100)
    order = [KINDS.index(m.kind) for m in found]
    assert order == sorted(order) and order.count(KINDS.index("contains")) > 30
    assert all("space agency" in m.label.casefold() for m in found if m.kind == "contains")
    assert len({m.iri for m in found}) == len(found)


def test_labels_fall_back_to_english_and_say_so(engine) -> None:
    kari = "https://w3id.org/spacecoop/id/agency/kari"  # a partner agency: English only
    labels = labels_in(engine, {SAU, kari, "https://e.org/nothing"}, "ar")
    assert labels[SAU] == ("السعودية", "ar")
    assert labels[kari][1] == "en"
    assert "https://e.org/nothing" not in labels
    assert labels_in(engine, {SAU}, "en")[SAU] == ("Saudi Arabia", "en")


@pytest.mark.parametrize("value", [True, False])
def test_ask_answers_parse_as_w3c_results(value: bool) -> None:
    as_json = JSONResultParser().parse(io.StringIO(render_boolean(value, "json")))
    as_xml = XMLResultParser().parse(io.BytesIO(render_boolean(value, "xml").encode()))
    assert as_json.askAnswer is value and as_xml.askAnswer is value
    assert render_boolean(value, "tsv").splitlines() == ["?_askResult", str(value).lower()]
