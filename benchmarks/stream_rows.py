"""Time and peak memory of ``kgtool query`` writing 10^6 rows (issue 18: rows stream from the
worker to the writer, so memory stays flat in the row count).

The query crosses two VALUES blocks of 1,000 numbers each, so no graph has to be generated;
it runs on the small fixture project. Run once: ``python benchmarks/stream_rows.py [-f csv]``
(``--source DIR`` runs an older checkout's package, to compare);
the numbers go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VALUES = " ".join(str(i) for i in range(1000))
QUERY = f"SELECT ?i ?j WHERE {{ VALUES ?i {{ {VALUES} }} VALUES ?j {{ {VALUES} }} }}"


def measure(fmt: str, timeout: float, source: str | None = None
            ) -> tuple[float, float, int, int]:
    """(seconds, peak RSS in MB of the largest process, exit code, bytes written)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"  # the real ontology with the small fixture data
        shutil.copytree(REPO / "ontology", root / "ontology")
        shutil.copytree(REPO / "queries", root / "queries")
        shutil.copytree(REPO / "tests" / "fixtures" / "mini" / "data", root / "data")
        query, out = Path(tmp) / "rows.rq", Path(tmp) / "out"
        query.write_text(f"#+ summary: 10^6 rows\n{QUERY}\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": source} if source else None
        with out.open("wb") as sink:
            done = subprocess.run(
                ["/usr/bin/time", "-f", "TIME %e %M", sys.executable, "-m", "kgtool", "--root",
                 str(root), "--timeout", str(timeout), "query",
                 str(query), "-f", fmt], stdout=sink, stderr=subprocess.PIPE, text=True, env=env,
                cwd=tmp)
        found = re.search(r"TIME ([\d.]+) (\d+)", done.stderr)
        assert found, done.stderr
        return float(found[1]), int(found[2]) / 1024, done.returncode, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--format", default="csv")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--source", metavar="DIR",
                        help="run the kgtool package in DIR (an older checkout, to compare)")
    args = parser.parse_args()
    seconds, peak, code, size = measure(args.format, args.timeout, args.source)
    print(f"10^6 rows -f {args.format}: {seconds:.1f} s, peak RSS {peak:.0f} MB, "
          f"exit {code}, {size / 1e6:.1f} MB written")


if __name__ == "__main__":
    main()
