"""Timing whole processes: wall-clock seconds and peak memory of each child, medians of runs;
the commands measured (kgtool, the oxigraph CLI, benchmarks/peers.py) and the report's tables.

The peak is taken by GNU time when /usr/bin/time exists: on Linux a child's ru_maxrss starts
at its parent's RSS at fork time (this runner, with pyoxigraph and kgtool imported, holds 100 MB
and more), while GNU time is a small C process.

>>> run = measure(["true"], timeout=10)
>>> (run.ok, run.seconds < 5, run.rss_mb < 20 or GNU_TIME is None)
(True, True, True)
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
BIN = Path(sys.executable).parent
KGTOOL = [str(BIN / "kgtool")] if (BIN / "kgtool").exists() else [sys.executable, "-m", "kgtool"]
OXIGRAPH = str(BIN / "oxigraph") if (BIN / "oxigraph").exists() else shutil.which("oxigraph")
PEERS = [sys.executable, str(Path(__file__).resolve().parent / "peers.py")]


def kg(*args: object) -> list[str]:
    """The kgtool command line with ``args``."""
    return [*KGTOOL, *map(str, args)]


def peer(*args: object) -> list[str]:
    """A task of benchmarks/peers.py."""
    return [*PEERS, *map(str, args)]


def peak_note() -> str:
    """How peak MB was measured, for the report."""
    if GNU_TIME:
        return "peak MB is the maximum RSS of the command alone, by GNU time (`time -f %M`)"
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return ("peak MB is the child's ru_maxrss (there is no /usr/bin/time here), which starts at "
            f"the runner's RSS at fork time, so no figure is below the runner's peak: {own:.0f} MB")


@dataclass
class Run:
    """One process: seconds (None when it hit the cap), peak RSS in MB, exit code, output."""

    seconds: float | None
    rss_mb: float
    code: int
    cap: float
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

    def vs(self, base: float | None) -> str:
        """Median seconds / ``base``; a lower bound when it hit its cap.

        >>> Result([Run(None, 0.0, -9, cap=30.0)]).vs(1.5)
        '>= 20.0x'
        """
        if self.timed_out and base:
            return f">= {self.last.cap / base:.1f}x"
        return f"{self.seconds / base:.2f}x" if self.seconds is not None and base else "-"

    def cell(self) -> str:
        """The table cell: median seconds, or why there is none."""
        if self.timed_out:
            return f"> {self.last.cap:.0f} (cap)"
        if self.failed:
            return f"failed (exit {self.last.code})"
        return f"{self.seconds:.3f}" if self.seconds < 10 else f"{self.seconds:.1f}"


def measure(cmd: list[str], *, timeout: float, env: dict | None = None,
            stdin: bytes | None = None) -> Run:
    """Run ``cmd`` to completion (or kill its process group at ``timeout``), with its peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile() as peak:
        argv = [GNU_TIME, "-f", "%M", "-o", peak.name, *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env={**os.environ, **(env or {})},
                                stdin=subprocess.PIPE if stdin is not None else
                                subprocess.DEVNULL, process_group=0)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            if stdin is not None:
                proc.stdin.write(stdin)
                proc.stdin.close()
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: the process group does not get the terminal's SIGINT
            kill()
            raise
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        kilobytes = usage.ru_maxrss
        if GNU_TIME:  # its last line; the lines before say how the command ended
            last = Path(peak.name).read_text(encoding="utf-8").split()[-1:]
            kilobytes = int(last[0]) if last and last[0].isdigit() else 0
        out.seek(0)
        err.seek(0)
        return Run(None if killed.is_set() else elapsed, kilobytes / 1024, proc.returncode,
                   timeout, out.read(), err.read())


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


class Report:
    """Markdown sections, and the numbers the targets are judged on."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.facts: dict[str, dict] = {}
        self.clock = time.perf_counter()

    def table(self, title: str, header: list[str], rows: list[list[str]], note: str = "") -> None:
        self.lines += [f"#### {title}", "", "| " + " | ".join(header) + " |",
                       "|" + "|".join("---" for _ in header) + "|"]
        self.lines += ["| " + " | ".join(row) + " |" for row in rows]
        self.lines += ["", note, ""] if note else [""]
        print(f"  {title}: done in {time.perf_counter() - self.clock:.0f} s", flush=True)
        self.clock = time.perf_counter()


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def mb(result: Result) -> str:
    """Peak MB ("-" when unknown: GNU time reports nothing for a process killed at its cap)."""
    return f"{result.rss_mb:.0f}" if result.rss_mb else "-"
