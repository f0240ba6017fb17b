"""kgtool's SHACL results equal Apache Jena SHACL's (Debian's libapache-jena-java, installed by
``make test``): on the bundled graph and on the examples fixture, and for every example
submission on each, what Jena finds new with the submission added is what kgtool reports.

Jena runs once, in one JVM, over every graph (``JenaShacl.java``). Debian's jena-core keeps
xerces' message bundles under ``org/apache/jena/ext/xerces`` where its relocated classes
do not look; the session fixture copies them to ``xerces/`` in a classpath folder.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, make_project
from debian_jena import JAVA, classpath_with_bundles
from kgtool.engine.embedded import load_project
from kgtool.project import find_project
from kgtool.validation.reading import read_submission
from kgtool.validation.report import report_term
from kgtool.validation.scoping import validate_submission
from kgtool.validation.shacl import parts_ntriples, shape_results

JARS = ["jena-base", "jena-core", "jena-arq", "jena-iri", "jena-shacl", "commons-cli",
        "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
        "dexx.collection", "gson", "guava", "jackson-annotations", "jackson-core",
        "jackson-databind", "slf4j-api", "slf4j-nop", "jcl-over-slf4j", "thrift", "jsonld-java",
        "titanium-json-ld", "httpclient", "httpcore"]
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SUBMISSIONS = sorted((REPO / "examples" / "submissions").glob("*/*.ttl"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def jena_classpath(tmp_path_factory) -> str:
    """Debian's Jena jars and a folder holding xerces' message bundles where Jena looks."""
    if not (JAVA / "jena-shacl.jar").is_file():
        pytest.fail("Apache Jena is missing: run make test, which installs libapache-jena-java")
    return classpath_with_bundles(tmp_path_factory.mktemp("jena-classpath"), JARS)


def keyed(graph: rdflib.Graph) -> Counter:
    """A report's results, blank nodes named alike (each engine names them its own way)."""
    def term(node) -> str:
        return "_:" if isinstance(node, rdflib.BNode) else report_term(node)

    return Counter((term(graph.value(r, SH.focusNode)), term(graph.value(r, SH.resultPath)),
                    term(graph.value(r, SH.value)), term(graph.value(r, SH.resultSeverity)),
                    str(graph.value(r, SH.sourceConstraintComponent)),
                    term(graph.value(r, SH.sourceShape)))
                   for r in graph.subjects(rdflib.RDF.type, SH.ValidationResult))


def ours(results) -> Counter:
    def term(text: str) -> str:
        return "_:" if text.startswith("_:") else text

    return Counter((term(r.focus if r.focus.startswith("_:") else f"<{r.focus}>"),
                    term(r.path), term(r.value), f"<{SH}{r.severity}>", r.component,
                    f"<{r.shape}>" if r.shape else "_:") for r in results)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    """(name, engine) of the bundled graph and the examples fixture."""
    examples = (REPO / "ontology" / "examples").glob("*.ttl")
    root = make_project(tmp_path_factory.mktemp("jena") / "p",
                        {p.name: p.read_text(encoding="utf-8") for p in examples})
    return [(name, load_project(find_project(str(path)))) for name, path in
            (("bundled", REPO), ("fixture", root))]


@pytest.fixture(scope="module")
def jena(jena_classpath, graphs, tmp_path_factory) -> dict[tuple[str, str], Counter]:
    """Jena's results for each graph alone ("") and with each example submission added."""
    folder = tmp_path_factory.mktemp("jena-run")
    args, names = [], []
    for name, engine in graphs:
        for path in [None, *SUBMISSIONS]:
            triples = read_submission(str(path)).triples if path else ()
            data = folder / f"{name}-{len(names)}.nt"
            data.write_bytes(engine.extended(lambda union: parts_ntriples(
                union, ("ontology", "data")), parts=("shapes",), triples=triples))
            args += [str(data), str(data.with_suffix(".report.nt"))]
            names.append((name, path.name if path else ""))
        (folder / "shapes.nt").write_bytes(engine.extended(
            lambda full: parts_ntriples(full, ("shapes",)), parts=("shapes",)))
    subprocess.run(["java", "-cp", jena_classpath, str(Path(__file__).with_name(
        "JenaShacl.java")), str(folder / "shapes.nt"), *args], check=True, timeout=600)
    return {key: keyed(rdflib.Graph().parse(report, format="nt"))
            for key, report in zip(names, args[1::2], strict=True)}


@pytest.mark.parametrize("where", ["bundled", "fixture"])
def test_the_whole_graph_gives_jenas_results(graphs, jena, where) -> None:
    engine = dict(graphs)[where]
    assert ours(shape_results(engine)) == jena[(where, "")]


@pytest.mark.parametrize("where", ["bundled", "fixture"])
@pytest.mark.parametrize("path", SUBMISSIONS,
                         ids=[f"{p.parent.name}/{p.stem}" for p in SUBMISSIONS])
def test_a_submission_reports_what_jena_finds_new(graphs, jena, where, path) -> None:
    engine = dict(graphs)[where]
    report = validate_submission(engine, read_submission(str(path)), curate=False)
    shapes = ours(r for r in report.results if r.component.startswith(str(SH)))
    with_it, before = jena[(where, path.name)], jena[(where, "")]
    assert with_it - before <= shapes, "every result Jena finds new, kgtool reports"
    assert shapes <= with_it, "kgtool reports nothing Jena does not find"
