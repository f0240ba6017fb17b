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
