"""The global options may follow the command as well as precede it: ``kgtool query NAME
--timeout 2`` is what people type (Jena's ``arq --timeout``)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_query

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n0 ?o }"


def test_timeout_after_the_command_stops_the_query(run, mini: Path, tmp_path: Path) -> None:
    slow = write_query(tmp_path / "slow.rq", "Slow", {}, SLOW)
    result = run(["--root", mini, "--timeout", "60", "query", slow, "--timeout", "0.5"])
    assert result.exit_code == 4, result.output
    assert "ran longer than 0.5 s and was stopped" in result.output


def test_a_bad_timeout_after_the_command_is_a_usage_error(run, mini: Path) -> None:
    result = run(["--root", mini, "stats", "--timeout", "nan"])
    assert result.exit_code == 2
    assert "Invalid value for '--timeout': 'nan' is not between 0.1" in result.output


def test_root_after_the_command(run, mini: Path) -> None:
    before = run(["--root", mini, "stats", "-f", "json"])
    after = run(["stats", "-f", "json", "--root", mini])
    assert after.exit_code == 0, after.output
    assert after.output == before.output


def test_endpoint_after_the_command_is_the_one_asked(run, mini: Path, listener) -> None:
    port, seen = listener
    result = run(["--root", mini, "query", "artemis-signatories", "--endpoint",
                  f"http://127.0.0.1:{port}/sparql"])
    assert result.exit_code != 0
    assert seen, "the query did not go to the endpoint given after the command"
    assert result.output.startswith("Error: ") and "Traceback" not in result.output


def test_a_command_keeps_its_own_option_of_the_same_name(run) -> None:
    result = run(["load", "--help"])
    assert "--endpoint URL" in result.output
    assert "The triplestore's SPARQL query endpoint" in result.output
    assert "--timeout" not in result.output  # the copies are hidden from each command's help
