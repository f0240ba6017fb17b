"""The validation sections: the whole graph against the generator's truth and pySHACL, and a
~100-triple submission, written here with deliberate violations: its own truth.

The submission adds satellites, launches, bilateral agreements and a space agency, linked to
nodes of the generated graph (ones without a violation of their own), as a contributor would;
five of its new nodes get one violation each, from benchmarks/generate.py's list.

>>> [iri.rsplit("/", 2)[-2:] for iri in existing({"nodes": {"Company": 3}, "violations": {
...     "missing-source": ["https://w3id.org/spacecoop/id/company/company-1"]}})["Company"]]
[['company', 'company-0'], ['company', 'company-2']]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from generate import (
    AGREEMENT_TYPES,
    ALT,
    ANCHOR_NATIONS,
    BENEFITS,
    ID,
    LABEL,
    PREFIXES,
    PURPOSES,
    SC,
    VIOLATIONS,
    Graph,
    day,
    lit,
)
from measure import Report, Result, kg, mb, measure, peak_note, peer, repeat

FAST = "kgtool validate --no-checks (SHACL)"
FULL = "kgtool validate (SHACL + hygiene checks)"
LIBRARY_CALLS = 11  # of kgtool.validation.validate in one process; the first opens the store
VARIED = 10  # submissions, each drawn with its own seed, validated once each after those calls


#: Class -> (IRI type, slug of its i-th node), as benchmarks/generate.py names them.
NAMES = {"SpaceAgency": ("agency", lambda i: ["uaesa", "nasa"][i] if i < 2 else f"agency-{i}"),
         "Company": ("company", "company-{}".format),
         "LaunchSite": ("site", "site-{}".format),
         "LaunchVehicle": ("vehicle", "vehicle-{}".format),
         "Satellite": ("spacecraft", "satellite-{}".format)}


def existing(truth: dict, k: int = 8) -> dict[str, list[str]]:
    """Up to ``k`` nodes per class of the generated graph that have no violation."""
    victims = {node for nodes in truth["violations"].values() for node in nodes}
    out = {"Nation": [f"{ID}nation/{code}" for code in ANCHOR_NATIONS[:truth["nodes"].get(
        "Nation", 0)]]}
    for cls, (kind, slug) in NAMES.items():
        out[cls] = [f"{ID}{kind}/{slug(i)}" for i in range(truth["nodes"].get(cls, 0))][:3 * k]
    return {cls: [n for n in nodes if n not in victims][:k] for cls, nodes in out.items()}


def expected_results(truth: dict) -> Counter:
    """(focus, severity) -> results a correct engine reports, from a truth's violations."""
    out: Counter = Counter()
    for kind, nodes in truth["violations"].items():
        for _, severity in VIOLATIONS[kind]:
            for node in nodes:
                out[(node, severity)] += 1
    return out


def submission(truth: dict, seed: int = 7) -> tuple[list[ox.Triple], dict]:
    """The submission's triples, and its truth: the new nodes' violations and count."""
    g = Graph(seed)
    g.file = "submission"
    old = existing(truth)
    victims: dict[str, list[str]] = {}

    def pick(cls: str) -> str:
        return g.rnd.choice(old[cls])

    def spoil(kind: str, node: str) -> str:
        victims.setdefault(kind, []).append(node)
        return node

    agency = spoil("dissolved-before-founded", g.node(
        "SpaceAgency", "agency", "submitted-agency", "Submitted space agency", sources=3))
    g.add(agency, ALT, lit("SUBMITTED"))
    g.add(agency, SC + "belongsToNation", pick("Nation"))
    g.add(agency, SC + "foundedOn", day((1990, 1, 1)))
    g.add(agency, SC + "dissolvedOn", day((1980, 1, 1)))
    for i in range(3):
        sat = g.node("Satellite", "spacecraft", f"submitted-satellite-{i}",
                     f"Submitted satellite {i}", sources=3)
        g.add(sat, SC + "operatedBy", agency if i == 0 else pick("SpaceAgency"))
        g.add(sat, SC + "manufacturedBy", pick("Company"))
        g.add(sat, SC + "hasPurpose", ID + "purpose/" + g.rnd.choice(PURPOSES))
        g.add(sat, SC + "yieldsBenefit", ID + "benefit/" + g.rnd.choice(BENEFITS))
        launch = g.node("Launch", "launch", f"submitted-launch-{i}", f"Submitted launch {i}",
                        sources=0 if i == 0 else 2, description=False)
        g.add(launch, SC + "hasPayload", sat)
        g.add(launch, SC + "launchedOn", day(g.date(2000, 2024)))
        g.add(launch, SC + "usedVehicle", pick("LaunchVehicle"))
        g.add(launch, SC + "launchedFrom", pick("LaunchSite"))
        g.add(launch, SC + "providedBy", pick("Company"))
        deal = g.node("BilateralAgreement", "agreement", f"submitted-agreement-{i}",
                      f"Submitted agreement {i}")
        for party in g.rnd.sample(old["Nation"], 1 if i == 2 else 2):
            g.add(deal, SC + "hasParty", party)
        g.add(deal, SC + "signedOn", day(g.date(1990, 2020)))
        g.add(deal, SC + "hasStatus", ID + "agreement-status/in-force")
        g.add(deal, SC + "hasAgreementType",
              ID + "agreement-type/" + g.rnd.choice(AGREEMENT_TYPES))
        g.add(deal, SC + "yieldsBenefit", ID + "benefit/" + g.rnd.choice(BENEFITS))
        g.add(deal, SC + "concerns", sat)
        if i == 0:
            spoil("missing-source", launch)
        elif i == 1:
            spoil("no-english-label", sat)
        else:
            spoil("bad-cospar-id", sat)
            spoil("single-party", deal)
            g.add(sat, SC + "cosparId", lit("98-067A"))
    triples = [ox.Triple(t.subject, t.predicate, ox.Literal("Satellit", language="de"))
               if t.predicate.value == LABEL and t.subject.value in victims["no-english-label"]
               else t for t in g.files[g.file]]
    return triples, {"violations": victims, "nodes": sum(map(len, g.by_class.values()))}


def write_submission(project: Path, out: Path, seed: int = 7) -> dict:
    """Write the submission to a generated ``project`` as Turtle; returns its truth."""
    truth = json.loads((project / "truth.json").read_text(encoding="utf-8"))
    triples, answer = submission(truth, seed)
    out.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    return {**answer, "triples": len(triples)}


def counts_and_truth(result: Result, expected: Counter) -> tuple[str, str]:
    """The "violations / warnings" and "exactly the truth" cells of a kgtool validate run."""
    if result.seconds is None:
        return "-", "-"
    try:
        found = json.loads(result.last.out)["results"]
    except ValueError:  # exit 1 is also a traceback's
        return f"no JSON report (exit {result.last.code})", "NO"
    got = Counter((r["focus"], r["severity"]) for r in found
                  if r["shape"].startswith("https://w3id.org/spacecoop/shapes/"))
    severities = Counter(r["severity"] for r in found)
    exact = got == expected and len(found) == sum(expected.values())
    return f"{severities['Violation']} / {severities['Warning']}", "yes" if exact else "NO"


def validation_section(report: Report, label: str, project: Path,
                       args: argparse.Namespace) -> None:
    truth = json.loads((project / "truth.json").read_text(encoding="utf-8"))
    expected = expected_results(truth)
    want: Counter = Counter()
    for (_, severity), n in expected.items():
        want[severity] += n
    results = {name: repeat(lambda e=extra, v=env: measure(
        kg("--root", project, "validate", "-f", "json", *e), env=v,
        timeout=args.shacl_timeout), runs) for name, extra, env, runs in (
            (FAST, ["--no-checks"], {}, args.repeat), (FULL, [], {}, args.repeat),
            ("kgtool validate, KGTOOL_STORE=memory", [], {"KGTOOL_STORE": "memory"}, 1))}
    fast = results[FAST].seconds
    rows = [[name, r.cell(), r.vs(fast), mb(r), *counts_and_truth(r, expected)]
            for name, r in results.items()]
    report.facts[label]["validate"] = results
    shacl = Result([measure(peer("pyshacl", str(project)), timeout=args.peer_timeout)]
                   if args.peer_timeout > 0 else [])
    report.facts[label]["pyshacl"] = shacl
    if shacl.runs and shacl.seconds is not None:  # no runs: --peer-timeout 0
        inner = shacl.last.json()
        focus = Counter()
        for (node, _), n in expected.items():
            focus[node] += n
        exact = "yes" if inner["focus"] == dict(focus) and inner["severities"] == dict(
            want) else "NO"
        rows.append(["pySHACL on an rdflib graph (whole process)", f"{shacl.seconds:.1f}",
                     shacl.vs(fast), mb(shacl), f"{inner['severities'].get('Violation', 0)} / "
                     f"{inner['severities'].get('Warning', 0)}", exact])
        rows.append(["pySHACL, the validate() call only", f"{inner['validate_s']:.1f}", "", "",
                     "", ""])
    elif shacl.runs:
        rows.append(["pySHACL on an rdflib graph (whole process)", shacl.cell(), shacl.vs(fast),
                     mb(shacl), "-", "-"])
    report.table(f"{label}: full validation", ["", "median s", "vs --no-checks", "peak MB",
                                               "violations / warnings", "exactly the truth"],
                 rows, note=f"Truth (benchmarks/generate.py): {want['Violation']} violations "
                            f"and {want['Warning']} warnings among "
                            f"{sum(truth['nodes'].values())} fact nodes. kgtool's processes "
                            f"are capped at {args.shacl_timeout:.0f} s, " + (
                                f"pySHACL's at {args.peer_timeout:.0f} s (`--peer-timeout`; "
                                "when it hits the cap, its \"vs --no-checks\" is a lower bound)"
                                if shacl.runs else "pySHACL was not run (`--peer-timeout 0`)") +
                            ". kgtool keeps graphs over 4 MiB on disk (`KGTOOL_STORE=auto`).")


def submission_section(report: Report, label: str, project: Path,
                       args: argparse.Namespace) -> None:
    """A ~100-triple submission validated in the context of the graph, warm on-disk store."""
    path = project.parent / f"{label}-submission.ttl"
    truth = write_submission(project, path)
    expected = expected_results(truth)
    cmd = kg("--root", project, "validate", path, "-f", "json")
    measure(cmd, env={"KGTOOL_STORE": "disk"}, timeout=args.timeout)  # warm the store
    result = repeat(lambda: measure(cmd, env={"KGTOOL_STORE": "disk"}, timeout=args.timeout),
                    args.repeat)
    varied = []
    for seed in range(1000, 1000 + VARIED):
        varied.append(project.parent / f"{label}-submission-{seed}.ttl")
        write_submission(project, varied[-1], seed)
    library = measure([sys.executable, __file__, "library", str(project), str(path),
                       str(LIBRARY_CALLS), *map(str, varied)], env={"KGTOOL_STORE": "disk"},
                      timeout=args.timeout)
    calls = library.json()["seconds"] if library.ok else None
    others = library.json()["varied"] if library.ok else None
    report.facts[label]["submission-times"] = (
        result.seconds, statistics.median(calls[1:]) if calls else None,
        statistics.median(others) if others else None)
    full = report.facts[label].get("validate", {}).get(FULL)  # None: --submission-only
    share, cell = None, "-"  # an upper bound when the full validation hit its cap
    if full and result.seconds is not None and (full.seconds or full.timed_out):
        share = result.seconds / (full.seconds or full.last.cap)
        cell = f"{'<= ' if full.timed_out else ''}{share:.1%}"
    report.facts[label]["submission"] = (cell, None if share is None else share < 0.05 or (
        "inconclusive" if full.timed_out else False))
    counts, exact = counts_and_truth(result, expected)
    report.table(f"{label}: a {truth['triples']}-triple submission",
                 ["", "median s", "peak MB", "of full validation", "violations / warnings",
                  "exactly the truth"],
                 [[f"kgtool validate {path.name} -f json, KGTOOL_STORE=disk", result.cell(),
                   mb(result), cell, counts, exact],
                  [f"the library's validate(), warm store, median of calls 2 to "
                   f"{LIBRARY_CALLS} in one process", f"{statistics.median(calls[1:]):.4f}"
                   if calls else "failed", "", "", "", ""],
                  ["... its first call", f"{calls[0]:.3f}" if calls else "", "", "", "", ""],
                  [f"... then {VARIED} other submissions, drawn with other seeds (other "
                   "nodes of the graph), once each", f"{statistics.median(others):.4f}"
                   if others else "failed", "", "", "", ""],
                  *([[f"{FULL}, above", full.cell(), mb(full), "100%", "", ""]] if full else [])],
                 note=f"Truth (benchmarks/validation.py): {sum(expected.values())} violations, "
                      f"{len(expected)} of the {truth['nodes']} new nodes with one deliberate "
                      "violation each (e.g. no dcterms:source, dissolved before founded); every "
                      "new node links to nodes of the generated graph.")


def library(project: Path, path: Path, calls: int, varied: list[Path]) -> dict:
    """Seconds of ``calls`` calls of kgtool.validation.validate on one open store, as
    ``kgtool serve`` holds it (the store is opened before the first), then of one call for
    each of the ``varied`` submissions (their nodes' edges not yet kept by the engine)."""
    from kgtool.engine import open_engine
    from kgtool.project import find_project
    from kgtool.validation import validate

    found = find_project(str(project))
    engine = open_engine(found)
    seconds, results = [], 0
    for _ in range(calls):
        started = time.perf_counter()
        results = len(validate(found, engine, [str(path)]).results)
        seconds.append(time.perf_counter() - started)
    others = []
    for other in varied:
        started = time.perf_counter()
        validate(found, engine, [str(other)])
        others.append(time.perf_counter() - started)
    return {"seconds": seconds, "results": results, "varied": others}


def targets(report: Report, labels: list[str]) -> None:
    """Where the validation targets of issue 14 stand, judged at the largest size."""
    from run import SIZES

    label = max(labels, key=SIZES.get)
    facts = report.facts[label]
    full = facts.get("validate", {}).get(FULL)
    ours, jena = full and full.seconds, facts.get("jena", {}).get("full")
    times = {size: report.facts[size]["submission-times"] for size in
             sorted(labels, key=SIZES.get)}

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "met" if ok else "**not met**"

    def flat(i: int) -> bool | None:  # within 1.5x of the smallest size's, or 10 ms
        got = [t[i] for t in times.values()]
        return None if len(got) < 2 or None in got else max(got) <= max(1.5 * min(got),
                                                                        min(got) + 0.01)

    process, lib, varied = times[label]
    rows = [[f"{FULL} ({label}) vs {'Jena SHACL + checks, one JVM'}", "<= 1x",
             f"{ours / jena.seconds:.2f}x ({ours:.1f} s vs {jena.seconds:.1f} s)"
             if ours and jena and jena.seconds else "-",
             verdict(ours / jena.seconds <= 1 if ours and jena and jena.seconds else None)],
            [f"~100-triple submission ({label}), whole process", "<= 0.4 s",
             f"{process:.3f} s" if process else "-", verdict(process <= 0.4 if process else None)],
            [f"~100-triple submission ({label}), library, warm store", "<= 30 ms",
             f"{lib * 1000:.1f} ms" if lib else "-", verdict(lib <= 0.03 if lib else None)],
            [f"... {VARIED} other submissions ({label}), once each, library, warm store",
             "<= 30 ms", f"{varied * 1000:.1f} ms" if varied else "-",
             verdict(varied <= 0.03 if varied else None)],
            ["submission, whole process, flat across sizes", "flat", ", ".join(
                f"{t[0]:.3f} s at {size}" for size, t in times.items() if t[0]), verdict(flat(0))],
            ["submission, library, flat across sizes", "flat", ", ".join(
                f"{t[1] * 1000:.1f} ms at {size}" for size, t in times.items() if t[1]),
             verdict(flat(1))]]
    report.lines += [f"### Validation targets of issue 14, judged at {label}", "",
                     "| target | goal | measured | verdict |", "|---|---|---|---|"]
    report.lines += [f"| {' | '.join(row)} |" for row in rows]
    report.lines += ["", "Flat: the largest size's time within 1.5x (or 10 ms) of the "
                     "smallest's.", ""]


def main() -> None:
    """The validation part of benchmarks/run.py alone: full validation beside Jena (and pySHACL
    with ``--peer-timeout``), and the submission; writes ``--out``."""
    from jena import JENA_VERSION, jena_section
    from run import SIZES, compile_kgtool, measured_on

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--shacl-timeout", type=float, default=900)
    parser.add_argument("--peer-timeout", type=float, default=0,
                        help="seconds per pySHACL process; 0 (the default): not run")
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--submission-only", action="store_true",
                        help="only the submission rows (no full validation, no Jena)")
    args = parser.parse_args()
    compile_kgtool()
    started, load = time.time(), os.getloadavg()
    report = Report()
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for label in labels:
        project = args.work / label
        made = measure([sys.executable, str(Path(__file__).parent / "generate.py"), "--triples",
                        str(SIZES[label]), "--out", str(project)], timeout=args.timeout)
        if not made.ok:
            sys.exit(f"generate.py failed: {made.err.decode()}")
        report.facts[label] = {}
        report.lines += [f"### {label}", ""]
        if not args.submission_only:
            validation_section(report, label, project, args)
            jena_section(report, label, project, args)
        submission_section(report, label, project, args)
    targets(report, labels)
    head = [line.replace("# kgtool benchmarks", "# kgtool validation benchmarks") for line in
            measured_on(started)]
    only = " --submission-only" if args.submission_only else ""
    head += ["", f"Command: `python benchmarks/validation.py --sizes {args.sizes} --repeat "
             f"{args.repeat}{only} --out {args.out.name}` ({time.time() - started:.0f} s); "
             f"pyshacl-turbo {version('pyshacl-turbo')}, {JENA_VERSION}. Whole-process "
             f"wall-clock medians of {args.repeat} run(s), one when the first took over "
             f"20 s; {peak_note()}. Load average (1 min) "
             f"{load[0]:.2f} at the start and {os.getloadavg()[0]:.2f} at the end, on "
             f"{os.cpu_count()} cores shared with other work.", ""]
    args.out.write_text("\n".join(head + report.lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["library"]:
        print(json.dumps(library(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]),
                                 [Path(p) for p in sys.argv[5:]])))
    else:
        main()
