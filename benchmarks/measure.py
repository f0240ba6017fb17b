"""Timing whole processes: wall-clock seconds and peak memory of each child, medians of runs.

>>> run = measure(["true"], timeout=10)
>>> (run.ok, run.seconds < 5)
(True, True)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Run:
    """One process: seconds (None when it timed out), peak RSS in MB, exit code, output."""

    seconds: float | None
    rss_mb: float
    code: int
    out: bytes = b""
    err: bytes = b""

    @property
    def ok(self) -> bool:
        return self.seconds is not None and self.code in (0, 1)

    def json(self) -> dict:
        return json.loads(self.out.decode().strip().splitlines()[-1])


@dataclass
class Result:
    """Medians over the runs of one measurement."""

    runs: list[Run] = field(default_factory=list)

    @property
    def timed_out(self) -> bool:
        return any(r.seconds is None for r in self.runs)

    @property
    def failed(self) -> bool:
        return any(r.seconds is not None and not r.ok for r in self.runs)

    @property
    def seconds(self) -> float | None:
        if self.timed_out or self.failed or not self.runs:
            return None
        return statistics.median(r.seconds for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max((r.rss_mb for r in self.runs), default=0.0)

    @property
    def last(self) -> Run:
        return self.runs[-1]

    def cell(self) -> str:
        """The table cell: median seconds, or why there is none."""
        if self.timed_out:
            return "timed out"
        if self.failed:
            return f"failed (exit {self.last.code})"
        return f"{self.seconds:.3f}" if self.seconds < 10 else f"{self.seconds:.1f}"


def measure(cmd: list[str], *, timeout: float, env: dict | None = None,
            stdin: bytes | None = None) -> Run:
    """Run ``cmd`` to completion (or kill it at ``timeout``), with its own rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})},
                                stdin=subprocess.PIPE if stdin is not None else
                                subprocess.DEVNULL)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        if stdin is not None:
            proc.stdin.write(stdin)
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(None if killed.is_set() else elapsed, usage.ru_maxrss / 1024,
                   proc.returncode, out.read(), err.read())


def repeat(run: Callable[[], Run], times: int, *, slow: float = 20.0,
           before: Callable[[], None] | None = None) -> Result:
    """Up to ``times`` runs; one only when the first takes longer than ``slow`` seconds."""
    result = Result()
    for _ in range(times):
        if before is not None:
            before()
        result.runs.append(run())
        last = result.last
        if not last.ok or last.seconds > slow:
            break
    return result
