"""Load on `kgtool serve`, beside `oxigraph serve-read-only` on the same graph: requests per
second and median and p99 latency of named queries and an entity page, at 1 and 16 concurrent
clients, on the bundled graph and on a generated one (benchmarks/generate.py, seeded).

Every run is bounded: a fixed number of requests per cell (``--requests``), each with a
timeout, from this process (an httpx/asyncio client) to servers it starts on 127.0.0.1 and
stops. Nothing is lost: every answer must be a 200 with the same body length as the first.

Run: python benchmarks/serve_load.py --graphs bundled,1M    (~10 min on 2 cores)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

import httpx
from measure import OXIGRAPH, kg
from run import SIZES, bound_queries

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERIES = ("artemis-signatories", "agreements-by-activity", "who-flew")
ENTITY = "/id/nation/sau"
JSON = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], probe: str, env: dict | None = None) -> subprocess.Popen:
    """Start a server and wait (at most 10 min: a first on-disk store is built) until
    ``probe`` answers 200."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{command[0]} exited with {process.returncode}")
        try:
            if httpx.get(probe, timeout=30, headers={"Accept": JSON}).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    sys.exit(f"{command} did not answer {probe}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def hammer(url: str, accept: str, count: int, clients: int) -> dict:
    """``count`` GETs of ``url`` from ``clients`` concurrent clients: rate and latencies."""
    latencies: list[float] = []
    failures: list[str] = []
    lengths: set[int] = set()
    todo = iter(range(count))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=120, headers={"Accept": accept}) as http:
        async def client() -> None:
            for _ in todo:
                began = time.perf_counter()
                try:
                    answer = await http.get(url)
                except httpx.HTTPError as error:
                    failures.append(type(error).__name__)
                    continue
                latencies.append(time.perf_counter() - began)
                if answer.status_code != 200:
                    failures.append(str(answer.status_code))
                lengths.add(len(answer.content))

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {"rate": len(latencies) / elapsed, "median": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "failures": failures, "lengths": lengths}


def cell(result: dict) -> list[str]:
    lost = len(result["failures"]) + max(0, len(result["lengths"]) - 1)
    return [f"{result['rate']:.1f}", f"{result['median'] * 1000:.1f}",
            f"{result['p99'] * 1000:.1f}", "none" if not lost else
            f"**{lost}** ({', '.join(sorted(set(result['failures'])))})"]


def project_for(label: str, work: Path) -> Path:
    if label == "bundled":
        return REPO
    project = work / label
    if not (project / "truth.json").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples",
                        str(SIZES[label]), "--out", str(project)], check=True)
    return project


def oxigraph_store(project: Path, store: Path) -> None:
    if store.exists():
        return
    files = [str(p) for p in sorted((project / "ontology").glob("*.ttl"))
             + sorted((project / "data").glob("*.ttl"))]
    subprocess.run([OXIGRAPH, "load", "--location", str(store), "--file", *files], check=True,
                   capture_output=True)


def measure_graph(label: str, args: argparse.Namespace, lines: list[str], verdicts: list) -> None:
    project = project_for(label, args.work)
    store = args.work / f"{label}-oxigraph-serve"
    oxigraph_store(project, store)
    texts = bound_queries(project, args.work / f"{label}-serve-queries")
    ours, theirs = free_port(), free_port()
    kgtool = start(kg("--root", project, "serve", "--port", ours, "--workers", args.workers),
                   f"http://127.0.0.1:{ours}/queries/artemis-signatories.json",
                   env={"KGTOOL_STORE": "disk" if label != "bundled" else "memory"})
    oxigraph = start([OXIGRAPH, "serve-read-only", "--location", str(store), "--bind",
                      f"127.0.0.1:{theirs}"],
                     f"http://127.0.0.1:{theirs}/query?query=ASK%7B%7D")
    rows = []
    try:
        for name in QUERIES:
            text = texts[name].read_text(encoding="utf-8")
            for clients in args.clients:
                mine = asyncio.run(hammer(f"http://127.0.0.1:{ours}/queries/{name}.json", JSON,
                                          args.requests, clients))
                peer = asyncio.run(hammer(f"http://127.0.0.1:{theirs}/query?"
                                          + urlencode({"query": text}), JSON, args.requests,
                                          clients))
                rate, p99 = mine["rate"] / peer["rate"], mine["p99"] / peer["p99"]
                rows.append([f"`{name}`", str(clients), *cell(mine), *cell(peer)[:3],
                             f"{rate:.2f}x", f"{p99:.2f}x"])
                if clients == max(args.clients):
                    verdicts.append((label, name, rate, p99))
                print(label, name, clients, rows[-1], flush=True)
        for clients in args.clients:
            page = asyncio.run(hammer(f"http://127.0.0.1:{ours}{ENTITY}", "text/html",
                                      args.requests, clients))
            rows.append([f"entity page `{ENTITY}`", str(clients), *cell(page), "", "", "",
                         "", ""])
            print(label, ENTITY, clients, rows[-1], flush=True)
    finally:
        stop(kgtool)
        stop(oxigraph)
    lines += [f"### {label}", "", "| request | clients | kgtool req/s | median ms | p99 ms | "
              "lost | oxigraph req/s | median ms | p99 ms | throughput kgtool/oxigraph | "
              "p99 kgtool/oxigraph |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines.append("")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", default="bundled,1M", help="bundled and/or 10k,100k,1M")
    parser.add_argument("--requests", type=int, default=200, help="requests per cell")
    parser.add_argument("--clients", default="1,16", help="concurrent clients per cell")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="kgtool serve --workers")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "serve-load-results.md")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    if OXIGRAPH is None:
        sys.exit("the oxigraph command line is needed: pip install oxigraph")
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    lines: list[str] = []
    verdicts: list = []
    for label in args.graphs.split(","):
        measure_graph(label.strip(), args, lines, verdicts)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    head = ["# kgtool serve under load", "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} UTC on "
            f"{os.cpu_count()} x {cpu}, Python {platform.python_version()}; kgtool "
            f"{version('kgtool')}, oxigraph {version('oxigraph')}, uvicorn {version('uvicorn')}, "
            f"starlette {version('starlette')}.", "",
            f"Command: `python benchmarks/serve_load.py --graphs {args.graphs} --requests "
            f"{args.requests} --clients {','.join(map(str, args.clients))} --workers "
            f"{args.workers}` ({time.time() - started:.0f} s). Each cell: {args.requests} GETs "
            "from one httpx/asyncio client process on the same machine (the client shares the "
            "cores with the server). kgtool answers `GET /queries/NAME.json` (the named "
            "query's route, default parameters) and the entity page as HTML; `oxigraph "
            "serve-read-only` answers `GET /query` with the same query text, the defaults bound "
            "by VALUES, as SPARQL JSON. \"lost\": answers that were not a 200 of the first "
            "answer's length.", ""]
    verdict = ["### Targets of issue 14, at the largest clients count", "",
               "| graph | query | throughput kgtool/oxigraph (>= 0.8x) | p99 kgtool/oxigraph "
               "(<= 1.5x) |", "|---|---|---|---|"]
    verdict += [f"| {g} | `{q}` | {r:.2f}x {'met' if r >= 0.8 else '**not met**'} | "
                f"{p:.2f}x {'met' if p <= 1.5 else '**not met**'} |" for g, q, r, p in verdicts]
    args.out.write_text("\n".join(head + lines + verdict) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
