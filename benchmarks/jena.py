"""Apache Jena as the peer of ``kgtool validate``: Debian's ``libapache-jena-java`` on the same
data and shapes, and the hygiene checks through Jena's SPARQL engine (ARQ).

Two runs per graph: Jena's own command line, ``shacl.shacl validate`` (one data file and one
shapes file, so the Turtle files are concatenated first, untimed), against
``kgtool validate --no-checks``; and benchmarks/JenaValidate.java, one JVM that parses the files,
runs Jena's SHACL engine and then every ``queries/checks/*.rq`` over ontology, data and shapes,
as kgtool does, against ``kgtool validate``. Their results are compared with kgtool's, counted
by (severity, shape, focus) and by (check, focus).

Debian builds Jena with Xerces relocated to ``xerces`` but leaves its message bundles under
``org/apache/jena/ext/xerces``; without them every run fails at start-up ("internal error"),
so :func:`classpath` copies them into a folder of its cache (tests/debian_jena.py, which
the parity tests share).

>>> sorted(counted_report(b'''@prefix sh: <http://www.w3.org/ns/shacl#> .
... [] a sh:ValidationResult ; sh:resultSeverity sh:Warning ; sh:focusNode <https://e.org/a> ;
...    sh:sourceShape [] .''').items())
[(('Warning', '', 'https://e.org/a'), 1)]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from measure import Report, Result, mb, measure, repeat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from debian_jena import JAVA as JARS  # noqa: E402
from debian_jena import classpath_with_bundles  # noqa: E402

#: Jena's modules and what they need at run time, as Debian ships them.
NEEDED = ["jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index",
          "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri",
          "jena-rdfconnection", "jena-shacl", "jena-shex", "jena-tdb", "jena-tdb2",
          "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
          "commons-lang3", "dexx.collection", "jackson-annotations", "jackson-core",
          "jackson-databind", "gson", "slf4j-api", "slf4j-nop", "jsonld-java", "titanium-json-ld",
          "jakarta.json-api", "httpclient", "httpcore", "protobuf", "thrift", "guava"]
SH = "http://www.w3.org/ns/shacl#"
JENA_VERSION = next((f"Apache Jena {jar.stem.removeprefix('jena-shacl-')} (Debian)" for jar in
                     JARS.glob("jena-shacl-*.jar")), "not installed")
SHACL_ROW = "Jena `shacl validate` (command line)"
FULL_ROW = "Jena SHACL + the checks through ARQ, one JVM"


def classpath(cache: Path) -> str | None:
    """Jena's classpath with the relocated message bundles and JenaValidate compiled into
    ``cache``; None when Jena or a JDK is missing."""
    jars = [JARS / f"{name}.jar" for name in NEEDED]
    if not all(jar.exists() for jar in jars):
        return None
    classes = cache / "classes"
    path = classpath_with_bundles(cache / "bundles", NEEDED)
    made = subprocess.run(["javac", "-nowarn", "-d", str(classes), "-cp", path,
                           str(HERE / "JenaValidate.java")], capture_output=True, check=False)
    return f"{classes}:{path}" if made.returncode == 0 else None


def files(project: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Data files (ontology + data), shapes and hygiene checks, as kgtool reads them."""
    return (sorted((project / "ontology").glob("*.ttl")) + sorted((project / "data").glob("*.ttl")),
            sorted((project / "ontology" / "shapes").glob("*.ttl")),
            sorted((project / "queries" / "checks").glob("*.rq")))


def counted_report(turtle: bytes) -> Counter:
    """(severity, shape IRI or "" for a blank node, focus) -> results of a SHACL report."""
    store = ox.Store()
    store.load(turtle, format=ox.RdfFormat.TURTLE)
    out: Counter = Counter()
    for (severity, shape, focus) in store.query(
            f"SELECT ?sev ?shape ?focus {{ ?r a <{SH}ValidationResult> ; <{SH}resultSeverity> "
            f"?sev ; <{SH}sourceShape> ?shape ; <{SH}focusNode> ?focus }}"):
        out[(severity.value.removeprefix(SH),
             shape.value if isinstance(shape, ox.NamedNode) else "", focus.value)] += 1
    return out


def counted_kgtool(run: Result) -> tuple[Counter, Counter] | None:
    """A kgtool validate JSON report counted: SHACL results as :func:`counted_report`, and
    (check, focus) -> rows of the hygiene checks."""
    if run.seconds is None:
        return None
    shapes, checks = Counter(), Counter()
    for r in json.loads(run.last.out)["results"]:
        if not r["shape"] or r["shape"].startswith("https://w3id.org/spacecoop/shapes/"):
            shapes[(r["severity"], r["shape"], r["focus"])] += 1
        else:
            checks[(r["shape"], r["focus"])] += 1
    return shapes, checks


def same(ours: Counter, theirs: Counter) -> str:
    """The "same results" cell."""
    if ours == theirs:
        return f"yes ({sum(ours.values())})"
    return (f"**NO**: {sum((ours - theirs).values())} only kgtool's, "
            f"{sum((theirs - ours).values())} only Jena's")


def jena_section(report: Report, label: str, project: Path, args: argparse.Namespace) -> None:
    """Jena beside kgtool validate's rows of :func:`validation.validation_section`."""
    from validation import FAST, FULL

    cache = args.work / "jena"
    path = classpath(cache)
    if path is None:
        report.lines += [f"#### {label}: Jena", "", "Not run: Debian's libapache-jena-java and "
                         "a JDK (javac) are needed.", ""]
        return
    data, shapes, checks = files(project)
    merged = {name: project.parent / f"{label}-jena-{name}.ttl" for name in ("data", "shapes")}
    for name, parts in (("data", data), ("shapes", shapes)):
        merged[name].write_bytes(b"\n".join(p.read_bytes() for p in parts))
    cli = repeat(lambda: measure(["java", "-cp", path, "shacl.shacl", "validate", "--shapes",
                                  str(merged["shapes"]), "--data", str(merged["data"])],
                                 timeout=args.shacl_timeout), args.repeat)
    full = repeat(lambda: measure(["java", "-cp", path, "JenaValidate", "--data", *map(str, data),
                                   "--shapes", *map(str, shapes), "--checks", *map(str, checks)],
                                  timeout=args.shacl_timeout), args.repeat)
    ours = report.facts[label]["validate"]
    fast, slow = counted_kgtool(ours[FAST]), counted_kgtool(ours[FULL])
    inner = full.last.json() if full.seconds is not None else None
    rows = [[FAST, ours[FAST].cell(), mb(ours[FAST]), "", ""],
            [SHACL_ROW, cli.cell(), mb(cli), ours[FAST].vs(cli.seconds),
             same(fast[0], counted_report(cli.last.out)) if fast and cli.seconds else "-"],
            [FULL, ours[FULL].cell(), mb(ours[FULL]), "", ""],
            [FULL_ROW, full.cell(), mb(full), ours[FULL].vs(full.seconds), "-" if not (
                slow and inner) else "SHACL " + same(slow[0], Counter(
                    {tuple(k.split(" ", 2)): n for k, n in inner["results"].items()})) +
             "; checks " + same(slow[1], Counter(
                 {tuple(k.split(" ", 1)): n for k, n in inner["check_rows"].items()}))]]
    if inner:
        rows.append([f"... of which: parse {inner['parse_s']:.1f} s, SHACL {inner['shacl_s']:.1f}"
                     f" s, checks {inner['checks_s']:.1f} s (in the JVM)", "", "", "", ""])
    report.facts[label]["jena"] = {"cli": cli, "full": full}
    report.table(f"{label}: full validation beside {JENA_VERSION} (whole processes)",
                 ["", "median s", "peak MB", "kgtool / Jena", "same results as kgtool"], rows,
                 note="Jena reads the same Turtle files and shapes (its command line takes one "
                      "file of each, concatenated beforehand), with the JVM's default heap "
                      "(a quarter of RAM). The hygiene checks are kgtool's own; Jena runs the "
                      "same queries with ARQ over ontology, data and shapes. Results are counted "
                      "by (severity, shape, focus), a blank-node shape as \"\", and the checks' "
                      "rows by (check, focus).")
