"""kgtool over --endpoint beside embedded: a generated graph loaded into `oxigraph serve` and
Virtuoso 7 (both started here on 127.0.0.1, as the tests start them), every named query warm
(in one process: one warm-up run, then the median of ``--runs``; a query capped at ``--cap``
seconds reads "> cap"), and a ~100-triple submission validated (whole process). Writes a
Markdown section to stdout for docs/performance.md.

    python benchmarks/remote.py --triples 100000 --runs 1 --cap 20 --work /tmp/kg-remote
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from validation import write_submission  # noqa: E402

from kgtool.engine.embedded import load_project  # noqa: E402
from kgtool.engine.remote import RemoteEndpoint  # noqa: E402
from kgtool.errors import KgtoolError, LimitError  # noqa: E402
from kgtool.prefixes import PrefixMap  # noqa: E402
from kgtool.project import find_project  # noqa: E402
from kgtool.query.catalogue import bindings, catalogue  # noqa: E402
from stores import VIRTUOSO_CREDENTIALS, running_oxigraph, running_virtuoso  # noqa: E402

KGTOOL = str(Path(sys.executable).with_name("kgtool"))


def median_seconds(work, runs: int) -> tuple[float, int]:
    """Median seconds after a warm-up run, and the rows of the answer."""
    rows = len(work().rows)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def process_seconds(args: list[str], runs: int) -> tuple[float, int]:
    """Median seconds of a whole kgtool process, and its exit code."""
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        code = subprocess.run([KGTOOL, *args], capture_output=True, check=False).returncode
        times.append(time.perf_counter() - started)
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.mkdtemp()))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=20.0)
    args = parser.parse_args()
    project = args.work / "project"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(args.triples),
                    "--out", str(project)], check=True, capture_output=True)
    submission = args.work / "submission.ttl"
    truth = write_submission(project, submission)
    proj = find_project(str(project))
    queries, prefixes = catalogue(proj), PrefixMap.from_context(proj.context_path)
    embedded = load_project(proj)
    columns = {"embedded": {}}
    for query in queries:
        subs = bindings(query, [], prefixes)
        columns["embedded"][query.name] = median_seconds(
            lambda q=query, s=subs: embedded.query(q.text, substitutions=s), args.runs)
    loads, checks = {}, {}
    checks["embedded"] = process_seconds(["--root", str(project), "validate", str(submission)],
                                         args.runs)
    for name, start, env in (("oxigraph serve", running_oxigraph, {}),
                             ("Virtuoso 7", running_virtuoso, VIRTUOSO_CREDENTIALS)):
        folder = args.work / name.split()[0].lower()
        folder.mkdir(exist_ok=True)
        with start(folder) as url:
            started = time.perf_counter()
            subprocess.run([KGTOOL, "--root", str(project), "--endpoint", url, "--timeout",
                            "600", "load", "--replace"], check=True, capture_output=True,
                           env={**__import__("os").environ, **env})
            loads[name] = time.perf_counter() - started
            remote = RemoteEndpoint(url, timeout=args.cap)
            columns[name] = {}
            for query in queries:
                subs = bindings(query, [], prefixes)
                try:
                    columns[name][query.name] = median_seconds(
                        lambda q=query, s=subs, r=remote: r.query(q.text, substitutions=s),
                        args.runs)
                except LimitError:
                    columns[name][query.name] = f"> {args.cap:g}"
                except KgtoolError as error:  # a refusal is a result here
                    columns[name][query.name] = f"error: {error.message[:40]}"
            checks[name] = process_seconds(["--root", str(project), "--endpoint", url,
                                            "--timeout", "600", "validate", str(submission)],
                                           args.runs)
    names = list(columns)
    print(f"Graph: {embedded.triple_count()} triples (benchmarks/generate.py --triples "
          f"{args.triples}); submission: {truth['triples']} triples.\n")
    print(f"| named query (warm, median of {args.runs}, s; rows where they differ from "
          "embedded) | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for query in queries:
        base = columns["embedded"][query.name][1]
        cells = []
        for n in names:
            cell = columns[n][query.name]
            if isinstance(cell, tuple):
                wrong = f" ({cell[1]} rows, not {base})" if cell[1] != base else ""
                cell = f"{cell[0]:.3f}{wrong}"
            cells.append(cell)
        print(f"| {query.name} | " + " | ".join(cells) + " |")
    total = [sum(v[0] for v in columns[n].values() if isinstance(v, tuple)) for n in names]
    print("| **all** | " + " | ".join(f"**{t:.2f}**" for t in total) + " |\n")
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    print("| `kgtool load --replace` (s) | - | " + " | ".join(
        f"{loads[n]:.1f}" for n in names[1:]) + " |")
    print("| 100-triple submission, `validate` whole process (s, exit) | " + " | ".join(
        f"{checks[n][0]:.2f} ({checks[n][1]})" for n in names) + " |")


if __name__ == "__main__":
    main()
