"""validate, describe, stats and export over --endpoint give what they give embedded, on
`oxigraph serve` and on Virtuoso: the whole graph, each example submission, streamed
N-Triples/N-Quads (as sets of lines: their order is the store's) and canonical Turtle of a
part or a class (byte for byte)."""

from __future__ import annotations

import pytest

from conftest import REPO, blank_nodes_named_alike

SUBMISSIONS = sorted((REPO / "examples" / "submissions").glob("*/*.ttl"))


def both(run, store: str, *args) -> tuple:
    local = run(["--root", REPO, *args])
    remote = run(["--root", REPO, "--endpoint", store, *args])
    assert "Traceback" not in remote.output
    return local, remote


def test_whole_graph_validation_is_the_same(run, store: str) -> None:
    local, remote = both(run, store, "validate")
    assert remote.exit_code == local.exit_code == 0
    assert remote.output == local.output and "nodes checked, 0 violations" in local.output


@pytest.mark.parametrize("path", SUBMISSIONS, ids=[p.name for p in SUBMISSIONS])
def test_submission_validation_is_the_same(run, store: str, path, monkeypatch) -> None:
    monkeypatch.chdir(path.parent)
    local, remote = both(run, store, "validate", path.name)
    assert remote.exit_code == local.exit_code
    assert blank_nodes_named_alike(remote.output) == blank_nodes_named_alike(local.output)


def test_stats_are_the_same(run, store: str) -> None:
    local, remote = both(run, store, "stats", "-f", "json")
    assert remote.exit_code == local.exit_code == 0
    assert remote.output == local.output


@pytest.mark.parametrize("term", ["nation:sau", "Saudi Space Agency"])
def test_describe_says_the_same(run, store: str, term: str) -> None:
    """The same lines and values; values of one property, and sources of one fact, come in
    the store's order (SPARQL leaves the order of literals of different languages open)."""
    local, remote = both(run, store, "describe", term)
    assert remote.exit_code == local.exit_code == 0

    def items(text: str) -> list:
        return sorted((line.partition(": ")[0], sorted(line.partition(": ")[2].split("; ")))
                      for line in text.splitlines())

    assert items(remote.output) == items(local.output)
    assert remote.output.splitlines()[0] == local.output.splitlines()[0]


@pytest.mark.parametrize("args", [["-f", "nt"], ["-f", "nq"], ["-f", "nt", "--part", "shapes"]])
def test_streamed_exports_hold_the_same_statements(run, store: str, args) -> None:
    local, remote = both(run, store, "export", *args)
    assert remote.exit_code == local.exit_code == 0
    assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())
    assert len(local.output.splitlines()) > 1000


@pytest.mark.parametrize("args", [["-f", "turtle"], ["-f", "turtle", "--class", "sc:Nation"],
                                  ["-f", "json-ld", "--part", "ontology"]])
def test_canonical_exports_are_the_same_bytes(run, store: str, args) -> None:
    local, remote = both(run, store, "export", *args)
    assert remote.exit_code == local.exit_code == 0
    assert remote.stdout_bytes == local.stdout_bytes
