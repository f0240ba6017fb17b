"""Measure kgtool against its peers, side by side in one run, and write benchmarks/RESULTS.md.

Every number is the median wall-clock time of whole processes (start-up included) over
``--repeat`` runs (one run when the first takes over 20 s), with the peak RSS of the
process. Peers: a bare pyoxigraph script (the floor), rdflib and pySHACL
(benchmarks/peers.py), and the ``oxigraph`` command line. Graphs come from
benchmarks/generate.py (seeded), so every run measures the same data.

Run: python benchmarks/run.py --sizes 10k,100k   (add 1M for the targets; ~30 min more)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from generate import VIOLATIONS
from measure import Result, measure, repeat

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
KGTOOL = [str(BIN / "kgtool")] if (BIN / "kgtool").exists() else [sys.executable, "-m", "kgtool"]
OXIGRAPH = str(BIN / "oxigraph") if (BIN / "oxigraph").exists() else shutil.which("oxigraph")
PEERS = [sys.executable, str(HERE / "peers.py")]
BUNDLED_QUERY = "artemis-signatories"


def kg(*args: object) -> list[str]:
    """The kgtool command line with ``args``."""
    return [*KGTOOL, *map(str, args)]


def peer(*args: object) -> list[str]:
    """A task of benchmarks/peers.py."""
    return [*PEERS, *map(str, args)]


SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


class Report:
    """Markdown sections, and the numbers the targets are judged on."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.facts: dict[str, dict] = {}

    def table(self, title: str, header: list[str], rows: list[list[str]], note: str = "") -> None:
        self.lines += [f"#### {title}", "", "| " + " | ".join(header) + " |",
                       "|" + "|".join("---" for _ in header) + "|"]
        self.lines += ["| " + " | ".join(row) + " |" for row in rows]
        self.lines += ["", note, ""] if note else [""]
        print(f"  {title}: done", flush=True)


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def mb(result: Result) -> str:
    return f"{result.rss_mb:.0f}"


def bundled(report: Report, times: int, timeout: float) -> None:
    """(a) One named query on the bundled graph: kgtool, the pyoxigraph floor, rdflib."""
    query = REPO / "queries" / f"{BUNDLED_QUERY}.rq"
    runs = {
        "pyoxigraph script (the floor): load, query, CSV": peer("floor-query", str(REPO),
                                                                    str(query)),
        f"kgtool query {BUNDLED_QUERY} -f csv": kg("--root", str(REPO), "query",
                                                          BUNDLED_QUERY, "-f", "csv"),
        f"kgtool query {BUNDLED_QUERY} (table, with labels)": kg(
            "--root", str(REPO), "query", BUNDLED_QUERY),
        "rdflib script: parse, query": peer("rdflib-query", str(REPO), str(query)),
    }
    results = {name: repeat(lambda c=cmd: measure(c, timeout=timeout), times)
               for name, cmd in runs.items()}
    floor = next(iter(results.values())).seconds
    report.facts["bundled"] = {"floor": floor, "kgtool": results[
        f"kgtool query {BUNDLED_QUERY} -f csv"].seconds}
    report.table(f"Named query `{BUNDLED_QUERY}` on the bundled graph (whole process)",
                 ["", "median s", "vs floor", "peak MB"],
                 [[name, r.cell(), ratio(r.seconds, floor), mb(r)] for name, r in results.items()])


def bound_queries(project: Path, folder: Path) -> dict[str, Path]:
    """Each named query with its default parameters bound by VALUES, for the peers."""
    from kgtool.prefixes import PrefixMap
    from kgtool.project import find_project
    from kgtool.queries import bindings, catalogue
    from kgtool.store import with_values

    found = find_project(str(project))
    prefixes = PrefixMap.from_context(found.context_path)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for query in catalogue(found):
        out[query.name] = folder / f"{query.name}.rq"
        out[query.name].write_text(with_values(query.text, bindings(query, [], prefixes)),
                                   encoding="utf-8")
    return out


def rows_of(result: Result) -> int | None:
    """Rows of a CSV answer (None when the run failed)."""
    return result.last.out.count(b"\n") - 1 if result.seconds is not None else None


def load_section(report: Report, label: str, project: Path, store: Path, times: int,
                 timeout: float) -> None:
    files = [str(p) for p in sorted((project / "ontology").glob("*.ttl"))
             + sorted((project / "data").glob("*.ttl"))]
    ask = project.parent / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    ask_cmd = kg("--root", project, "query", ask)
    rows = {
        "oxigraph load (files in parallel)": (
            [OXIGRAPH, "load", "--location", str(store), "--file", *files], {},
            lambda: shutil.rmtree(store, ignore_errors=True)),
        "kgtool, on-disk store, cold: parse, store, ASK": (
            ask_cmd, {"KGTOOL_STORE": "disk"},
            lambda: shutil.rmtree(project / ".kgtool", ignore_errors=True)),
        "kgtool, in memory: parse, ASK": (ask_cmd, {"KGTOOL_STORE": "memory"}, None),
        "kgtool, on-disk store, warm: open, ASK": (ask_cmd, {"KGTOOL_STORE": "disk"}, None),
        "pyoxigraph script, in memory": (peer("floor-load", str(project)), {}, None),
        "rdflib script: parse": (peer("rdflib-load", str(project)), {}, None),
    }
    results = {name: repeat(lambda c=cmd, e=env: measure(c, env=e, timeout=timeout), times,
                            before=before) for name, (cmd, env, before) in rows.items()}
    base = results["oxigraph load (files in parallel)"].seconds
    report.facts[label]["load"] = {"oxigraph": base, "kgtool": results[
        "kgtool, on-disk store, cold: parse, store, ASK"].seconds}
    report.facts[label]["memory_rss"] = results["kgtool, in memory: parse, ASK"].rss_mb
    report.table(f"{label}: load", ["", "median s", "vs oxigraph load", "peak MB"],
                 [[n, r.cell(), ratio(r.seconds, base), mb(r)] for n, r in results.items()],
                 note="kgtool also loads the shapes (~1,100 triples) and keeps one named graph "
                      "per file; oxigraph loads ontology and data into its default graph.")


def query_section(report: Report, label: str, project: Path, store: Path, times: int,
                  timeout: float, with_rdflib: bool) -> None:
    queries = bound_queries(project, project.parent / f"{label}-queries")
    rows, sums, worst_rss = [], Counter(), 0.0
    ratios = []
    for name, path in queries.items():
        ours = repeat(lambda n=name: measure(kg("--root", project, "query", n, "-f", "csv"),
                                             env={"KGTOOL_STORE": "disk"}, timeout=timeout),
                      times)
        oxi = repeat(lambda p=path: measure([OXIGRAPH, "query", "--location", str(store),
                                             "--query-file", str(p), "--results-format", "csv"],
                                            timeout=timeout), times)
        worst_rss = max(worst_rss, ours.rss_mb)
        cells = [f"`{name}`", ours.cell(), oxi.cell(), ratio(ours.seconds, oxi.seconds)]
        counts = {rows_of(ours), rows_of(oxi)}
        if with_rdflib:
            rd = measure(peer("rdflib-query", str(project), str(path)), timeout=timeout)
            inner = rd.json() if rd.ok else None
            cells.append("timed out" if rd.seconds is None else
                         f"{inner['query_s']:.3f}" if inner else f"failed (exit {rd.code})")
            if inner:
                counts.add(inner["rows"])
        cells.append(", ".join(str(c) for c in sorted(counts, key=str)) +
                     (" (all agree)" if len(counts) == 1 else " (DIFFER)"))
        rows.append(cells)
        if ours.seconds is not None and oxi.seconds is not None:
            sums["kgtool"] += ours.seconds
            sums["oxigraph"] += oxi.seconds
            ratios.append(ours.seconds / oxi.seconds)
    ratios.sort()
    median_ratio = ratios[len(ratios) // 2] if ratios else None
    rows.append(["**all (sum of medians)**", f"{sums['kgtool']:.2f}", f"{sums['oxigraph']:.2f}",
                 ratio(sums["kgtool"], sums["oxigraph"])] + (["", ""] if with_rdflib else [""]))
    report.facts[label]["queries"] = {"sum_ratio": sums["kgtool"] / sums["oxigraph"]
                                      if sums["oxigraph"] else None,
                                      "median_ratio": median_ratio, "rss": worst_rss}
    header = ["query", "kgtool s", "oxigraph query s", "kgtool / oxigraph"] + (
        ["rdflib s (query only, in process)"] if with_rdflib else []) + ["rows"]
    report.table(f"{label}: every named query, warm (whole process)", header, rows,
                 note=f"kgtool reads its on-disk store, `oxigraph query` the store of "
                      f"`oxigraph load`; median of the per-query ratios: "
                      f"{median_ratio:.2f}x. Largest kgtool peak: {worst_rss:.0f} MB."
                      if median_ratio else "")


def export_section(report: Report, label: str, project: Path, store: Path, times: int,
                   timeout: float, with_rdflib: bool) -> None:
    out = project.parent / f"{label}-export"
    out.mkdir(exist_ok=True)
    rows = []
    for fmt, ext in (("nt", "nt"), ("turtle", "ttl"), ("json-ld", "jsonld")):
        ours = repeat(lambda f=fmt, e=ext: measure(
            kg("--root", project, "export", "-f", f, "-o", out / f"kg.{e}"),
            env={"KGTOOL_STORE": "disk"}, timeout=timeout), times)
        oxi = repeat(lambda e=ext: measure(
            [OXIGRAPH, "dump", "--location", str(store), "--graph", "default",
             "--file", str(out / f"oxi.{e}")], timeout=timeout), times,
            before=lambda e=ext: (out / f"oxi.{e}").unlink(missing_ok=True))
        cells = [fmt, ours.cell(), mb(ours), oxi.cell(), ratio(ours.seconds, oxi.seconds)]
        if with_rdflib:
            rd = measure(peer("rdflib-export", str(project), fmt, str(out / f"rd.{ext}")),
                         timeout=timeout)
            cells.append("timed out" if rd.seconds is None else
                         f"{rd.json()['serialize_s']:.2f}" if rd.ok else f"failed ({rd.code})")
        rows.append(cells)
        report.facts[label][f"export-{fmt}"] = {"kgtool": ours.seconds, "oxigraph": oxi.seconds,
                                                "rss": ours.rss_mb}
    report.table(f"{label}: export the data (whole process)",
                 ["format", "kgtool s", "kgtool peak MB", "oxigraph dump s",
                  "kgtool / oxigraph"] + (["rdflib s (serialize only)"] if with_rdflib else []),
                 rows, note="kgtool writes canonical, sorted Turtle and JSON-LD compacted with "
                            "the project context; `oxigraph dump` writes its own order and "
                            "expanded JSON-LD, and also dumps the ontology (~1,100 triples).")


def expected_results(truth: dict) -> Counter:
    """(focus, severity) -> results a correct engine reports, from the generator's truth."""
    out: Counter = Counter()
    for kind, nodes in truth["violations"].items():
        for _, severity in VIOLATIONS[kind]:
            for node in nodes:
                out[(node, severity)] += 1
    return out


def validation_section(report: Report, label: str, project: Path, times: int, timeout: float,
                       shacl_timeout: float) -> None:
    truth = json.loads((project / "truth.json").read_text(encoding="utf-8"))
    expected = expected_results(truth)
    want: Counter = Counter()
    for (_, severity), n in expected.items():
        want[severity] += n
    rows = []
    for name, extra, env, runs in (
            ("kgtool validate --no-checks (SHACL)", ["--no-checks"], {}, times),
            ("kgtool validate (SHACL + hygiene checks)", [], {}, 1),
            ("kgtool validate, KGTOOL_STORE=memory", [], {"KGTOOL_STORE": "memory"}, 1)):
        result = repeat(lambda e=extra, v=env: measure(
            kg("--root", project, "validate", "-f", "json", *e), env=v,
            timeout=shacl_timeout), runs)
        counts, exact = "-", "-"
        if result.seconds is not None:
            found = json.loads(result.last.out)["results"]
            got = Counter((r["focus"], r["severity"]) for r in found if r["shape"].startswith(
                "https://w3id.org/spacecoop/shapes/"))
            counts = f"{sum(1 for r in found if r['severity'] == 'Violation')} / " \
                     f"{sum(1 for r in found if r['severity'] == 'Warning')}"
            exact = "yes" if got == expected and len(found) == sum(expected.values()) else "NO"
        rows.append([name, result.cell(), mb(result), counts, exact])
        report.facts[label].setdefault("validate", {})[name] = result.seconds
    shacl = measure(peer("pyshacl", str(project)), timeout=shacl_timeout)
    if shacl.ok:
        inner = shacl.json()
        focus = Counter()
        for (node, _), n in expected.items():
            focus[node] += n
        exact = "yes" if inner["focus"] == dict(focus) and inner["severities"] == dict(
            want) else "NO"
        rows.append(["pySHACL on an rdflib graph (whole process)", f"{shacl.seconds:.1f}",
                     f"{shacl.rss_mb:.0f}", f"{inner['severities'].get('Violation', 0)} / "
                     f"{inner['severities'].get('Warning', 0)}", exact])
        rows.append(["pySHACL, the validate() call only", f"{inner['validate_s']:.1f}", "",
                     "", ""])
        report.facts[label]["pyshacl"] = shacl.seconds
    else:
        rows.append(["pySHACL on an rdflib graph", "timed out" if shacl.seconds is None else
                     f"failed (exit {shacl.code})", f"{shacl.rss_mb:.0f}", "-", "-"])
        report.facts[label]["pyshacl"] = None
    report.table(f"{label}: full validation", ["", "median s", "peak MB",
                                               "violations / warnings", "exactly the truth"],
                 rows, note=f"Truth (benchmarks/generate.py): {want['Violation']} violations "
                            f"and {want['Warning']} warnings among "
                            f"{sum(truth['nodes'].values())} fact nodes; every process capped at "
                            f"{shacl_timeout:.0f} s. kgtool keeps graphs over 4 MiB on disk "
                            "(`KGTOOL_STORE=auto`), where the quadratic duplicate-labels check "
                            "runs far slower than in memory.")


def scale(report: Report, label: str, args: argparse.Namespace) -> None:
    """(b), (c), (d) on one generated graph."""
    project = args.work / label
    made = measure([sys.executable, str(HERE / "generate.py"), "--triples", str(SIZES[label]),
                    "--out", str(project)], timeout=args.timeout)  # apart: see header()
    if not made.ok:
        sys.exit(f"generate.py failed: {made.err.decode()}")
    truth = json.loads((project / "truth.json").read_text(encoding="utf-8"))
    print(f"{label}: {truth['data_triples']} data triples in {project}", flush=True)
    report.facts[label] = {"triples": truth["data_triples"]}
    report.lines += [f"### {label}: {truth['data_triples']:,} data triples", ""]
    store = args.work / f"{label}-oxigraph"
    with_rdflib = SIZES[label] <= SIZES[args.rdflib_up_to]
    load_section(report, label, project, store, args.repeat, args.timeout)
    query_section(report, label, project, store, args.repeat, args.timeout, with_rdflib)
    export_section(report, label, project, store, args.repeat, args.timeout, with_rdflib)
    validation_section(report, label, project, args.repeat, args.timeout, args.shacl_timeout)


def targets(report: Report, label: str) -> None:
    """Where each target of issue 8 stands, judged on the largest graph measured."""
    facts, b = report.facts[label], report.facts["bundled"]
    triples = facts["triples"]

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "met" if ok else "**not met**"

    def within(a, base, limit) -> tuple[str, bool | None]:
        if a is None or not base:
            return "-", None
        return f"{a / base:.2f}x", a / base <= limit

    fast = facts["validate"].get("kgtool validate --no-checks (SHACL)")
    nt = facts["export-nt"]
    rows = [
        ["named query, bundled graph, whole process, vs the pyoxigraph floor", "<= 1.5x",
         *within(b["kgtool"], b["floor"], 1.5)],
        [f"load ({label}) vs `oxigraph load`", "<= 1.5x",
         *within(facts["load"]["kgtool"], facts["load"]["oxigraph"], 1.5)],
        [f"warm named queries ({label}) vs `oxigraph query`, sum of medians", "<= 1.5x",
         *within(facts["queries"]["sum_ratio"], 1, 1.5)],
        [f"canonical Turtle export ({label}) vs `oxigraph dump`", "<= 3x",
         *within(facts["export-turtle"]["kgtool"], facts["export-turtle"]["oxigraph"], 3)],
        [f"N-Triples export peak memory ({label})", "constant",
         f"{nt['rss']:.0f} MB", None],
        [f"peak memory per triple, query path ({label}, on-disk store)", "< 800 B",
         f"{facts['queries']['rss'] * 2**20 / triples:.0f} B",
         facts["queries"]["rss"] * 2**20 / triples < 800],
        [f"peak memory per triple, in-memory load ({label})", "< 800 B",
         f"{facts['memory_rss'] * 2**20 / triples:.0f} B",
         facts["memory_rss"] * 2**20 / triples < 800],
        [f"full SHACL validation ({label}) vs pySHACL", ">= 10x faster",
         f"{facts['pyshacl'] / fast:.1f}x faster" if fast and facts["pyshacl"] else
         "pySHACL timed out" if fast else "-",
         (facts["pyshacl"] / fast >= 10) if fast and facts["pyshacl"] else None],
        ["100-triple submission vs full validation", "< 5%", "-", None],
    ]
    report.lines += [f"### Targets of issue 8, judged at {label}", "",
                     "| target | goal | measured | verdict |", "|---|---|---|---|"]
    report.lines += [f"| {t} | {g} | {m} | {verdict(ok)} |" for t, g, m, ok in rows]
    report.lines += ["", "The targets are set at 1M triples; at smaller sizes they are indicative. "
                     "N-Triples memory is judged by comparing its peak across sizes.", ""]


def header(args: argparse.Namespace, started: float) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    versions = ", ".join(f"{p} {version(p)}" for p in ("kgtool", "pyoxigraph", "oxigraph",
                                                       "rdflib", "pyshacl"))
    return ["# kgtool benchmarks", "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} UTC on "
            f"{os.cpu_count()} x {cpu}, {int(memory) // 1024 // 1024 + 1} GB RAM, "
            f"Python {platform.python_version()}; {versions}.",
            "", f"Command: `python benchmarks/run.py --sizes {args.sizes} --repeat "
            f"{args.repeat}` ({time.time() - started:.0f} s). Whole-process wall-clock "
            f"medians of {args.repeat} runs (one run when the first took over 20 s); "
            "peak MB is the child's ru_maxrss, which also counts the pages it shared with this "
            "runner before exec (the runner's own peak: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, so no figure "
            "is below that). Other processes shared the machine: expect noise of about 10%.",
            ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1M,10M")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per process")
    parser.add_argument("--shacl-timeout", type=float, default=900,
                        help="seconds per validation process (pySHACL included)")
    parser.add_argument("--rdflib-up-to", default="100k", choices=list(SIZES),
                        help="largest size at which rdflib queries and exports run")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="generated graphs")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    if OXIGRAPH is None:
        sys.exit("the oxigraph command line is needed: pip install oxigraph")
    started = time.time()
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / ".gitignore").write_text("# generated by benchmarks/run.py\n*\n")
    report = Report()
    report.lines += ["### The bundled graph", ""]
    bundled(report, args.repeat, args.timeout)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for label in labels:
        scale(report, label, args)
    targets(report, labels[-1])
    args.out.write_text("\n".join(header(args, started) + report.lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
