"""`kgtool stats` on a fixture graph with known counts."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from conftest import REPO


def ontology_triples() -> int:
    total = 0
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        total += len(store)
    return total


def test_stats_json_has_exact_counts(run, mini: Path) -> None:
    result = run(["--root", mini, "stats", "-f", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["files"] == 4  # spacecoop.ttl, vocabularies.ttl, alignments.ttl, mini.ttl
    assert stats["triples"] == ontology_triples() + 14
    assert stats["ontology_version"] == "0.1.0"
    assert (stats["fact_nodes"], stats["sourced_nodes"], stats["source_share"]) == (3, 3, 1.0)
    assert stats["coverage"] == []  # the fixture has no OIC memberships
    assert stats["classes"] == [
        {"class": "https://w3id.org/spacecoop/ontology/Nation", "instances": 2},
        {"class": "https://w3id.org/spacecoop/ontology/SpaceAgency", "instances": 1},
    ]


def test_stats_table_uses_curies(run, mini: Path) -> None:
    result = run(["--root", mini, "stats"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "Ontology version: 0.1.0" in lines
    assert any(line.split() == ["sc:Nation", "2"] for line in lines)
    assert lines[-1] == "2 classes with instances in data/"


def test_coverage_counts_per_member_state(run, tmp_path: Path) -> None:
    from conftest import make_project

    extra = (REPO / "tests" / "fixtures" / "mini" / "data" / "mini.ttl").read_text() + """
<https://w3id.org/spacecoop/id/body/oic> a sc:IntergovernmentalOrganization ;
  rdfs:label "Organisation of Islamic Cooperation"@en ;
  dcterms:source <https://www.oic-oci.org/> .
<https://w3id.org/spacecoop/id/membership/oic-are> a sc:Membership ;
  rdfs:label "United Arab Emirates in the OIC"@en ;
  sc:hasMember nation:are ; sc:inOrganization <https://w3id.org/spacecoop/id/body/oic> ;
  dcterms:source <https://www.oic-oci.org/> .
<https://w3id.org/spacecoop/id/membership/oic-sau> a sc:Membership ;
  rdfs:label "Saudi Arabia in the OIC"@en ;
  sc:hasMember nation:sau ; sc:inOrganization <https://w3id.org/spacecoop/id/body/oic> .
"""
    root = make_project(tmp_path / "p", data={"mini.ttl": extra})
    stats = json.loads(run(["--root", root, "stats", "-f", "json"]).output)
    assert stats["coverage"] == [
        {"nation": "https://w3id.org/spacecoop/id/nation/are", "organizations": 1,
         "agreements": 0, "spacecraftCount": 0, "people": 0, "reviewedOn": None},
        {"nation": "https://w3id.org/spacecoop/id/nation/sau", "organizations": 0,
         "agreements": 0, "spacecraftCount": 0, "people": 0, "reviewedOn": None},
    ]
    assert (stats["fact_nodes"], stats["sourced_nodes"]) == (6, 5)
    table = run(["--root", root, "stats"]).output.splitlines()
    assert table[-1] == "2 OIC member states, 1 with a recorded agency or operator, 0 reviewed"
    assert table[-3].split() == ["nation:are", "yes", "1", "0", "0", "0", "not", "yet"]
