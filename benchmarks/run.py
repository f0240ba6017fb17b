"""Measure kgtool against its peers, side by side in one run, and write docs/benchmark-results.md.

Every number is the median wall-clock time of whole processes (start-up included) over
``--repeat`` runs (one run when the first takes over 20 s), with the peak RSS of the
process. Peers: a bare pyoxigraph script (the floor), rdflib and pySHACL
(benchmarks/peers.py), and the ``oxigraph`` command line; rdflib and pySHACL are capped at
``--peer-timeout`` seconds, and a capped peer's ratio is a lower bound. Graphs come from
benchmarks/generate.py (seeded), so every run measures the same data. The targets are judged
at the largest size run.

Run: python benchmarks/run.py --sizes 10k,100k   (~15 min; --sizes 1M --repeat 3: ~40 min)
     python benchmarks/run.py --sizes 100k,1M --repeat 3 --slow 120 --only export
     (the export tables and their targets alone, ~15 min; docs/export-benchmark-results.md)
     python benchmarks/run.py --sizes 10k,1M --repeat 3 --timeout 60 --peer-timeout 0 \
         --only queries   (the query path and its targets; docs/queries-benchmark-results.md)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from jena import jena_section
from measure import OXIGRAPH, Report, Result, kg, mb, measure, peak_note, peer, ratio, repeat
from targets import SIZES, export_targets, issue8_targets, query_targets
from validation import submission_section, validation_section

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUNDLED_QUERY = "artemis-signatories"
BUNDLED_ROUNDS = 15  # runs of each command on the bundled graph, taken in turn


def bundled(report: Report, args: argparse.Namespace) -> None:
    """(a) One named query on the bundled graph: kgtool, the pyoxigraph floor, rdflib."""
    query = REPO / "queries" / f"{BUNDLED_QUERY}.rq"
    runs = {
        "pyoxigraph script (the floor): load, query, CSV": (
            peer("floor-query", str(REPO), str(query)), args.timeout),
        f"kgtool query {BUNDLED_QUERY} -f csv": (
            kg("--root", str(REPO), "query", BUNDLED_QUERY, "-f", "csv"), args.timeout),
        f"kgtool query {BUNDLED_QUERY} (table, with labels)": (
            kg("--root", str(REPO), "query", BUNDLED_QUERY), args.timeout),
    }
    if args.peer_timeout:
        runs["rdflib script: parse, query"] = (peer("rdflib-query", str(REPO), str(query)),
                                               args.peer_timeout)
    # processes of a tenth of a second: more runs, taken in turn so that noise hits all alike
    results = {name: Result() for name in runs}
    for _ in range(max(args.repeat, BUNDLED_ROUNDS)):
        for name, (cmd, cap) in runs.items():
            results[name].runs.append(measure(cmd, timeout=cap))
    floor = next(iter(results.values())).seconds
    report.facts["bundled"] = {"floor": floor, "kgtool": results[
        f"kgtool query {BUNDLED_QUERY} -f csv"].seconds}
    report.table(f"Named query `{BUNDLED_QUERY}` on the bundled graph (whole process)",
                 ["", "median s", "vs floor", "peak MB"],
                 [[name, r.cell(), r.vs(floor), mb(r)] for name, r in results.items()],
                 note=f"Medians of {max(args.repeat, BUNDLED_ROUNDS)} runs of each command, "
                      "taken in turn.")


def bound_queries(project: Path, folder: Path) -> dict[str, Path]:
    """Each named query with its default parameters bound by VALUES, for the peers."""
    from kgtool.engine import with_values
    from kgtool.prefixes import PrefixMap
    from kgtool.project import find_project
    from kgtool.query import bindings, catalogue

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


def load_section(report: Report, label: str, project: Path, store: Path,
                 args: argparse.Namespace) -> None:
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
    }
    results = {name: repeat(lambda c=cmd, e=env: measure(c, env=e, timeout=args.timeout),
                            args.repeat, before=before)
               for name, (cmd, env, before) in rows.items()}
    results["rdflib script: parse"] = repeat(lambda: measure(
        peer("rdflib-load", str(project)), timeout=args.peer_timeout), args.repeat)
    base = results["oxigraph load (files in parallel)"].seconds
    report.facts[label]["load"] = {"oxigraph": base, "kgtool": results[
        "kgtool, on-disk store, cold: parse, store, ASK"].seconds}
    report.facts[label]["memory_rss"] = results["kgtool, in memory: parse, ASK"].rss_mb
    report.table(f"{label}: load", ["", "median s", "vs oxigraph load", "peak MB"],
                 [[n, r.cell(), r.vs(base), mb(r)] for n, r in results.items()],
                 note="kgtool also loads the shapes (~1,100 triples) and keeps one named graph "
                      "per file; oxigraph loads ontology and data into its default graph.")


def without_rdflib(work: str, args: argparse.Namespace) -> str:
    """Why a table has no rdflib column."""
    if not args.peer_timeout:
        return " rdflib is not run (`--peer-timeout 0`)."
    return (f" rdflib is not run above {args.rdflib_up_to} (`--rdflib-up-to`): each of its "
            f"processes parses the whole graph (about 30 s at 1M) before its {work}.")


def peer_cell(run: Result, key: str) -> str:
    """A peer's inner seconds (``key`` of its JSON answer), or why there are none."""
    return f"{run.last.json()[key]:.3f}" if run.seconds is not None else run.cell()


def query_section(report: Report, label: str, project: Path, store: Path,
                  args: argparse.Namespace, with_rdflib: bool) -> None:
    queries = bound_queries(project, project.parent / f"{label}-queries")
    rows, sums, worst_rss = [], Counter(), 0.0
    ratios = []
    capped = []
    for name, path in queries.items():
        ours, oxi = Result(), Result()  # taken in turn, so that noise hits both alike
        for _ in range(args.repeat):
            ours.runs.append(measure(kg("--root", project, "query", name, "-f", "csv"),
                                     env={"KGTOOL_STORE": "disk"}, timeout=args.timeout))
            oxi.runs.append(measure([OXIGRAPH, "query", "--location", str(store),
                                     "--query-file", str(path), "--results-format", "csv"],
                                    timeout=args.timeout))
            if any(not r.last.ok or r.last.seconds > args.slow for r in (ours, oxi)):
                break
        worst_rss = max(worst_rss, ours.rss_mb)
        cells = [f"`{name}`", ours.cell(), oxi.cell(), ours.vs(oxi.seconds)]
        counts = {rows_of(ours), rows_of(oxi)}
        if with_rdflib:
            rd = Result([measure(peer("rdflib-query", str(project), str(path)),
                                 timeout=args.peer_timeout)])
            cells.append(peer_cell(rd, "query_s"))
            if rd.seconds is not None:
                counts.add(rd.last.json()["rows"])
        cells.append(", ".join(str(c) for c in sorted(counts, key=str)) +
                     (" (all agree)" if len(counts) == 1 else " (DIFFER)"))
        rows.append(cells)
        if ours.timed_out or oxi.timed_out:
            capped.append(name)
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
                                      "median_ratio": median_ratio, "rss": worst_rss,
                                      "capped": len(capped), "capped_names": capped}
    header = ["query", "kgtool s", "oxigraph query s", "kgtool / oxigraph"] + (
        ["rdflib s (query only, in process)"] if with_rdflib else []) + ["rows"]
    report.table(f"{label}: every named query, warm (whole process)", header, rows,
                 note=(f"kgtool reads its on-disk store, `oxigraph query` the store of "
                       f"`oxigraph load`; median of the per-query ratios: "
                       f"{median_ratio:.2f}x. Largest kgtool peak: {worst_rss:.0f} MB."
                       if median_ratio else "") + (
                    f" Capped at {args.timeout:.0f} s (left out of the sums): "
                    f"{', '.join(capped)}." if capped else "") + ("" if with_rdflib else
                                                   without_rdflib("query", args)))


def export_section(report: Report, label: str, project: Path, store: Path,
                   args: argparse.Namespace, with_rdflib: bool) -> None:
    out = project.parent / f"{label}-export"
    out.mkdir(exist_ok=True)
    rows = []
    for fmt, ext in (("nt", "nt"), ("turtle", "ttl"), ("json-ld", "jsonld")):
        ours, oxi = Result(), Result()  # taken in turn, so that noise hits both alike
        for _ in range(args.repeat):
            (out / f"oxi.{ext}").unlink(missing_ok=True)
            ours.runs.append(measure(kg("--root", project, "export", "-f", fmt, "-o",
                                        out / f"kg.{ext}"),
                                     env={"KGTOOL_STORE": "disk"}, timeout=args.timeout))
            oxi.runs.append(measure([OXIGRAPH, "dump", "--location", str(store), "--graph",
                                     "default", "--file", str(out / f"oxi.{ext}")],
                                    timeout=args.timeout))
            if any(not r.last.ok or r.last.seconds > args.slow for r in (ours, oxi)):
                break
        cells = [fmt, ours.cell(), mb(ours), oxi.cell(), mb(oxi), ours.vs(oxi.seconds)]
        if with_rdflib:
            cells.append(peer_cell(Result([measure(
                peer("rdflib-export", str(project), fmt, str(out / f"rd.{ext}")),
                timeout=args.peer_timeout)]), "serialize_s"))
        rows.append(cells)
        report.facts[label][f"export-{fmt}"] = {"kgtool": ours.seconds, "oxigraph": oxi.seconds,
                                                "rss": ours.rss_mb, "oxigraph_rss": oxi.rss_mb}
    report.table(f"{label}: export the data (whole process)",
                 ["format", "kgtool s", "kgtool peak MB", "oxigraph dump s",
                  "oxigraph peak MB", "kgtool / oxigraph"]
                 + (["rdflib s (serialize only)"] if with_rdflib else []),
                 rows, note="kgtool writes canonical, sorted Turtle and JSON-LD compacted with "
                            "the project context; `oxigraph dump` writes its own order and "
                            "expanded JSON-LD, and also dumps the ontology (~1,100 triples)."
                            + ("" if with_rdflib else without_rdflib("export", args)))


def prepare_stores(project: Path, store: Path, args: argparse.Namespace) -> None:
    """For ``--only export|queries``: the stores that the load section would have left,
    built once: `oxigraph load`'s, and kgtool's on-disk store (warm, as after the load)."""
    files = [str(p) for p in sorted((project / "ontology").glob("*.ttl"))
             + sorted((project / "data").glob("*.ttl"))]
    shutil.rmtree(store, ignore_errors=True)
    for cmd, env in (([OXIGRAPH, "load", "--location", str(store), "--file", *files], {}),
                     (kg("--root", project, "stats"), {"KGTOOL_STORE": "disk"})):
        if not measure(cmd, env=env, timeout=max(args.timeout, 600)).ok:  # once, untimed
            sys.exit(f"could not build the stores for the {args.only} benchmark: {cmd[:3]}")


def scale(report: Report, label: str, args: argparse.Namespace) -> None:
    """(b), (c), (d), (e) on one generated graph."""
    project = args.work / label
    made = measure([sys.executable, str(HERE / "generate.py"), "--triples", str(SIZES[label]),
                    "--out", str(project)], timeout=args.timeout)  # apart: a small runner
    if not made.ok:
        sys.exit(f"generate.py failed: {made.err.decode()}")
    truth = json.loads((project / "truth.json").read_text(encoding="utf-8"))
    print(f"{label}: {truth['data_triples']} data triples in {project}", flush=True)
    report.facts[label] = {"triples": truth["data_triples"]}
    report.lines += [f"### {label}: {truth['data_triples']:,} data triples", ""]
    store = args.work / f"{label}-oxigraph"
    with_rdflib = SIZES[label] <= SIZES[args.rdflib_up_to] and args.peer_timeout > 0
    if args.only != "all":
        prepare_stores(project, store, args)
        section = export_section if args.only == "export" else query_section
        section(report, label, project, store, args, with_rdflib)
        return
    load_section(report, label, project, store, args)
    query_section(report, label, project, store, args, with_rdflib)
    export_section(report, label, project, store, args, with_rdflib)
    validation_section(report, label, project, args)
    jena_section(report, label, project, args)
    submission_section(report, label, project, args)


def measured_on(started: float) -> list[str]:
    """The title and the line that says when, on what machine and with which versions."""
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
            f"Python {platform.python_version()}; {versions}."]


def header(args: argparse.Namespace, started: float) -> list[str]:
    return [*measured_on(started),
            "", f"Command: `python benchmarks/run.py --sizes {args.sizes} --repeat "
            f"{args.repeat} --peer-timeout {args.peer_timeout:.0f}"
            + (f" --only {args.only} --rdflib-up-to {args.rdflib_up_to}`"
               if args.only != "all" else "`") + " "
            f"({time.time() - started:.0f} s). Whole-process wall-clock medians of "
            f"{args.repeat} run(s) (one when the first took over 20 s; an export over "
            f"{args.slow:.0f} s); "
            f"{peak_note()}. "
            f"Every process is capped: rdflib and pySHACL at {args.peer_timeout:.0f} s, kgtool "
            f"validate at {args.shacl_timeout:.0f} s, the others at {args.timeout:.0f} s; a "
            "capped cell reads \"> cap\" and its ratio is a lower bound (\">= 18.0x\"). "
            "kgtool's modules are compiled to bytecode first, as `pip install` does. "
            "Other processes shared the machine: expect noise of about 10%.", ""]


def compile_kgtool() -> None:
    """Write kgtool's bytecode, as ``pip install`` does: an editable install under
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module in every process."""
    import compileall

    import kgtool

    compileall.compile_dir(Path(kgtool.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1M,10M")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per process")
    parser.add_argument("--shacl-timeout", type=float, default=900,
                        help="seconds per kgtool validate process")
    parser.add_argument("--peer-timeout", type=float, default=600,
                        help="seconds per rdflib or pySHACL process (ratios become bounds)")
    parser.add_argument("--rdflib-up-to", default="100k", choices=list(SIZES),
                        help="largest size at which rdflib queries and exports run")
    parser.add_argument("--slow", type=float, default=20,
                        help="export and queries: seconds above which a command is run once, "
                             "not --repeat")
    parser.add_argument("--only", choices=["all", "export", "queries"], default="all",
                        help="export: only the export tables (and their targets); queries: "
                             "only the bundled query and the warm named queries (and their "
                             "targets); either after building the stores they read")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="generated graphs")
    parser.add_argument("--out", type=Path, help="the report (default: docs/benchmark-results.md, "
                                                  "or docs/ONLY-benchmark-results.md)")
    args = parser.parse_args()
    args.out = args.out or HERE.parent / "docs" / (
        "benchmark-results.md" if args.only == "all" else f"{args.only}-benchmark-results.md")
    if OXIGRAPH is None:
        sys.exit("the oxigraph command line is needed: pip install oxigraph")
    started = time.time()
    compile_kgtool()
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / ".gitignore").write_text("# generated by benchmarks/run.py\n*\n")
    report = Report()
    if args.only != "export":
        report.lines += ["### The bundled graph", ""]
        bundled(report, args)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for label in labels:
        scale(report, label, args)
    if args.only == "all":
        report.lines += issue8_targets(report.facts, labels)
    if args.only != "queries":
        report.lines += export_targets(report.facts, labels)
    if args.only != "export":
        report.lines += query_targets(report.facts, labels)
    args.out.write_text("\n".join(header(args, started) + report.lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
