"""`kgtool describe` on real entities of the bundled graph: facts, incoming links, sources."""

from __future__ import annotations

import pytest
import rdflib

from conftest import REPO


@pytest.mark.parametrize(("term", "label"), [
    ("nation:sau", "Saudi Arabia"),
    ("agency:uaesa", "UAE Space Agency"),
    ("agreement:artemis-accords", "Artemis Accords"),
])
def test_describe_shows_facts_incoming_links_and_sources(run, term: str, label: str) -> None:
    result = run(["--root", REPO, "describe", term])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(label) and lines[0].endswith(term)
    assert "Pointed at by:" in lines
    sources = lines[lines.index("Sources:") + 1:]
    assert sources and all(s.strip().startswith(("http://", "https://")) for s in sources)


def test_describe_finds_by_label_in_any_language(run) -> None:
    arabic = run(["--root", REPO, "describe", "السعودية"])
    english = run(["--root", REPO, "describe", "saudi arabia"])
    assert arabic.exit_code == english.exit_code == 0
    assert arabic.output.splitlines()[0] == english.output.splitlines()[0]


def test_describe_offers_a_close_label(run) -> None:
    result = run(["--root", REPO, "describe", "Saudi Arabiaa"])
    assert result.exit_code == 2
    assert "nothing in the graph is labelled 'Saudi Arabiaa'" in result.output
    assert "did you mean 'Saudi Arabia' (https://w3id.org/spacecoop/id/nation/sau)" in result.output


def test_describe_as_turtle_is_the_subgraph(run) -> None:
    result = run(["--root", REPO, "describe", "agreement:artemis-accords", "-f", "turtle"])
    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    accords = rdflib.URIRef("https://w3id.org/spacecoop/id/agreement/artemis-accords")
    of_agreement = rdflib.URIRef("https://w3id.org/spacecoop/ontology/ofAgreement")
    assert (accords, rdflib.RDF.type, None) in graph
    assert len(set(graph.subjects(of_agreement, accords))) >= 6
