"""Queries nested too deeply for the engine's parser (which overflows its stack and aborts)
are refused on their tokens, exit 3, before the engine sees them; a worker that dies anyway
is diagnosed by what killed it, not as out of memory."""

from __future__ import annotations

import faulthandler
import os
from pathlib import Path

import pytest

from kgtool.engine import MAX_CHAIN, MAX_NESTING, nesting_problem
from kgtool.errors import InputError, LimitError
from kgtool.query import run_with_deadline

HOSTILE = {
    "20000-nested-braces": "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
    "20000-nested-parentheses": "ASK { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    "10000-unions": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }",
    "1.2MB-or-chain": "ASK { ?s ?p ?o FILTER(" + " || ".join(["?o"] * 200_000) + ") }",
    "400-nested-lists": "ASK { ?s ?p " + "(" * 400 + "1" + ")" * 400 + " }",
    "1000-nested-blank-nodes": "ASK { ?s ?p " + "[ <https://e.org/p> " * 1000 + "1"
                               + " ]" * 1000 + " }",
    "5000-negations": "ASK { ?s ?p ?o FILTER(" + "!" * 5000 + "?o) }",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_query_nested_too_deeply_is_refused_before_the_engine(run, mini: Path,
                                                                 text: str) -> None:
    result = run(["--root", mini, "query", "-"], input=text)
    assert result.exit_code == 3, result.output[-300:]
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: <stdin>: the query is nested too deeply for the engine")
    assert lines[1].startswith("Hint: write it flatter") and len(lines) == 2


def test_the_bounds_leave_room_for_real_queries() -> None:
    deep = "SELECT * WHERE " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING
    chain = "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * MAX_CHAIN) + " }"
    wide = "ASK { VALUES ?x { " + " ".join(f"<https://e.org/{i}>" for i in range(20_000)) + " } }"
    assert [nesting_problem(q) for q in (deep, chain, wide)] == [None, None, None]


def test_strings_iris_and_comments_do_not_count() -> None:
    text = 'ASK { ?s ?p "' + "{(" * 1000 + '" # ' + "{" * 1000 + "\n FILTER(?o != <a://||>) }"
    assert nesting_problem(text) is None


def test_the_bounds_hold_where_every_query_is_checked(mini: Path) -> None:
    from kgtool.engine import EmbeddedStore

    with pytest.raises(InputError, match="nested too deeply"):
        EmbeddedStore().query(HOSTILE["10000-unions"], allow_service=True)


def abort() -> None:
    """Die as pyoxigraph does on a stack overflow (without pytest's faulthandler dump)."""
    faulthandler.disable()
    os.abort()


def test_a_worker_killed_by_a_signal_is_called_a_crash_not_memory() -> None:
    with pytest.raises(InputError, match=r"crashed the engine \(its worker died by SIGABRT at "
                                         r"\d+ MB\): the query is nested too deeply"):
        run_with_deadline(abort, timeout=10, what="query q")


def test_a_worker_out_of_memory_is_called_out_of_memory() -> None:
    def grow() -> int:
        return len(bytearray(600 << 20))  # MemoryError past the 256 MB limit

    with pytest.raises(LimitError, match="used more than 256 MB of memory"):
        run_with_deadline(grow, timeout=20, memory_mb=256)
