"""Big answers stream: rows flow from the query's worker to the writer in batches (the worker
writes their text), so memory stays flat in the row count, and one deadline covers the
query and the writing of its answer. Timings are in benchmarks/stream_rows.py."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kgtool.engine import EmbeddedStore
from kgtool.query import BATCH_ROWS, render_solutions, stream, stream_solutions
from kgtool.query.catalogue import parse_query

NUMBERS = " ".join(str(i) for i in range(120))
ROWS = f"SELECT ?i ?j WHERE {{ VALUES ?i {{ {NUMBERS} }} VALUES ?j {{ {NUMBERS} }} }}"  # 14,400


def test_rows_come_in_batches_in_the_engines_order() -> None:
    store = EmbeddedStore()
    answer = stream(store, parse_query(ROWS, "rows"), {}, timeout=30)
    batches = list(answer.batches())
    assert [len(b) for b in batches] == [BATCH_ROWS, BATCH_ROWS, 14_400 - 2 * BATCH_ROWS]
    assert [row for batch in batches for row in batch] == store.query(ROWS).rows


def test_the_worker_writes_the_same_text_as_the_whole_answer() -> None:
    store = EmbeddedStore()
    whole = store.query(ROWS)
    for fmt in ("csv", "tsv", "json", "xml", "markdown"):  # the table: widths of batch one
        answer = stream(store, parse_query(ROWS, "rows"), {}, timeout=30,
                        render=lambda v, batches, fmt=fmt: stream_solutions(v, batches, fmt))
        assert "".join(answer.batches()) == render_solutions(whole, fmt), fmt


def test_the_table_takes_its_widths_from_the_first_batch() -> None:
    first = [(ox.Literal("a"),)]
    later = [(ox.Literal("a longer cell"),)]
    lines = "".join(stream_solutions(["x"], [first, later], "table")).splitlines()
    assert lines == ["x", "-", "a", "a longer cell", "2 rows"]


def test_many_rows_to_csv_through_the_command_line(run, mini: Path, tmp_path: Path) -> None:
    values = " ".join(str(i) for i in range(500))
    query = tmp_path / "many.rq"
    query.write_text(f"#+ summary: 250,000 rows\nSELECT ?i ?j WHERE {{ VALUES ?i {{ {values} }} "
                     f"VALUES ?j {{ {values} }} }}\n", encoding="utf-8")
    result = run(["--root", mini, "query", query, "-f", "csv"])
    assert result.exit_code == 0, result.output[-300:]
    lines = result.stdout_bytes.decode().split("\r\n")  # CSV lines end in CRLF (RFC 4180)
    assert len(lines) == 250_002 and lines[0] == "i,j" and lines[-1] == ""
    assert len({tuple(row) for row in csv.reader(io.StringIO("\n".join(lines[1:-1])))}) \
        == 250_000


def test_the_row_cap_holds_across_batches(run, mini: Path) -> None:
    result = run(["--root", mini, "query", "-", "-f", "json", "--max-rows", str(BATCH_ROWS + 1)],
                 input=ROWS)
    assert result.exit_code == 4
    assert f"the answer has more than {BATCH_ROWS + 1} rows" in result.stderr
    try:  # the rows before the cap were written; the document is left unclosed, never whole
        json.loads(result.stdout)
    except ValueError:
        pass
    else:
        raise AssertionError("a capped answer must not read as a whole JSON document")


def test_the_deadline_covers_a_reader_that_stops_reading(mini: Path, tmp_path: Path) -> None:
    values = " ".join(str(i) for i in range(1000))
    query = tmp_path / "million.rq"
    query.write_text(f"#+ summary: 10^6 rows\nSELECT ?i ?j WHERE {{ VALUES ?i {{ {values} }} "
                     f"VALUES ?j {{ {values} }} }}\n", encoding="utf-8")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "kgtool", "--root", str(mini), "query", str(query), "-f", "csv",
         "--timeout", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        code = process.wait(timeout=30)  # nobody reads stdout: the pipe fills and blocks
    finally:
        process.kill()
    elapsed = time.monotonic() - started
    stderr = process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    assert code == 4, stderr
    assert "and the writing of its answer ran longer than the --timeout" in stderr
    assert elapsed < 15
