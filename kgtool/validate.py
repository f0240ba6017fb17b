"""SHACL validation and hygiene checks of the graph, as one typed report.

pySHACL is the reference engine. The data graph holds the ontology and the data, so
``sh:targetClass`` reaches instances of subclasses through ``rdfs:subClassOf``; the
shapes are always passed separately (a submission can never switch a shape off).
Hygiene checks are the queries in ``queries/checks/``: zero rows means pass.
:func:`validate_submission` validates only the focus nodes that a submission can affect.

>>> SEVERITIES["Warning"] < SEVERITIES["Violation"]
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from kgtool.errors import InputError, UsageError
from kgtool.store import EmbeddedStore, Solutions
from kgtool.vocab import SH

ENGINES = ("fast", "pyshacl")
SEVERITIES = {"Info": 0, "Warning": 1, "Violation": 2}
FAIL_ON = {"violation": 2, "warning": 1, "info": 0}
_BOUND_FOCUS = 100  # up to this many focus IRIs, checks run pre-bound per IRI

logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals are ours to report


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One problem: where (focus, path, value), how bad, what to do, and which rule said so."""

    focus: str
    path: str
    value: str
    severity: str
    message: str
    shape: str
    focus_label: str = field(default="", compare=False)


@dataclass
class ValidationReport:
    """Results in a stable order (by focus node, then path, value and message)."""

    results: list[ValidationResult]
    checked: int = 0

    def __post_init__(self) -> None:
        self.results = sorted(set(self.results))

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def conforms(self, fail_on: str = "violation") -> bool:
        """True when no result reaches the ``fail_on`` severity."""
        floor = FAIL_ON[fail_on]
        return all(SEVERITIES[r.severity] < floor for r in self.results)

    def summary(self, fail_on: str = "violation") -> str:
        """One line: verdict and counts.

        >>> ValidationReport([], checked=3).summary()
        'Conforms: 3 nodes checked, 0 violations, 0 warnings, 0 infos.'
        """
        verdict = "Conforms" if self.conforms(fail_on) else "Does not conform"
        return (f"{verdict}: {self.checked} nodes checked, {self.count('Violation')} violations, "
                f"{self.count('Warning')} warnings, {self.count('Info')} infos.")

    def grouped(self) -> list[tuple[str, str, list[ValidationResult]]]:
        """Results grouped by focus node: (focus, label, results)."""
        groups: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            groups.setdefault(r.focus, []).append(r)
        return [(f, rs[0].focus_label, rs) for f, rs in groups.items()]

    def as_dict(self, fail_on: str = "violation") -> dict:
        return {
            "conforms": self.conforms(fail_on),
            "summary": self.summary(fail_on),
            "counts": {s: self.count(s) for s in ("Violation", "Warning", "Info")},
            "nodesChecked": self.checked,
            "results": [asdict(r) for r in self.results],
        }



def _short(node) -> str:
    return "" if node is None else node.n3()


def shacl_results(data_triples: Iterable[ox.Triple | ox.Quad], shape_triples,
                  focus_nodes: set[str] | None = None) -> list[ValidationResult]:
    """Run pySHACL (no inference, shapes separate) and return typed results.

    ``focus_nodes`` limits the report to results about those IRIs.
    """
    import rdflib
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    from kgtool.terms import rdflib_graph

    data = rdflib_graph(data_triples)
    shapes = rdflib_graph(shape_triples)
    try:
        _, report, _ = validate(data, shacl_graph=shapes, inference="none",
                                allow_warnings=True, advanced=True)
    except (ReportableRuntimeError, ShapeLoadError, ValueError) as error:
        raise InputError(f"the shapes could not be applied: {error}",
                         hint="a shape in ontology/shapes/ is broken; fix it and rerun") from None
    sh = rdflib.Namespace(SH)
    results = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(node, sh.focusNode)
        if focus_nodes is not None and str(focus) not in focus_nodes:
            continue
        message = report.value(node, sh.resultMessage)
        severity = str(report.value(node, sh.resultSeverity)).removeprefix(SH)
        shape = report.value(node, sh.sourceShape)
        results.append(ValidationResult(
            focus=str(focus), path=_short(report.value(node, sh.resultPath)),
            value=_short(report.value(node, sh.value)), severity=severity,
            message=str(message) if message else "does not conform",
            shape=str(shape) if isinstance(shape, rdflib.URIRef) else "",
        ))
    return results


def check_results(engine: EmbeddedStore, checks, focus: set[str] | None = None
                  ) -> list[ValidationResult]:
    """Run each hygiene check (a NamedQuery) over ontology, shapes and data; rows are results.

    ``focus`` keeps only rows about those IRIs; for a small set each check runs once per
    IRI with ``?focus`` pre-bound, which is much faster than once over the whole graph.
    """
    runs = [None] if focus is None or len(focus) > _BOUND_FOCUS else [
        {"focus": ox.NamedNode(iri)} for iri in sorted(focus)]
    results = []
    for check, substitutions in ((c, s) for c in checks for s in runs):
        answer = engine.query(check.text, parts=("ontology", "data", "shapes"),
                              display=check.display, substitutions=substitutions)
        if not isinstance(answer, Solutions) or "focus" not in answer.variables:
            raise InputError(f"{check.display}: a check must be a SELECT with a ?focus column",
                             hint="see queries/checks/README.md")
        for row in answer.rows:
            cells = dict(zip(answer.variables, row, strict=True))
            if focus is not None and cells["focus"].value not in focus:
                continue
            shown = {name: "" if cells.get(name) is None else str(cells[name])
                     for name in ("path", "value")}
            results.append(ValidationResult(
                focus=cells["focus"].value, severity=check.severity, message=check.summary,
                shape=check.name, **shown,
            ))
    return results


def label_results(engine: EmbeddedStore, results: list[ValidationResult]
                  ) -> list[ValidationResult]:
    """Attach each focus node's English (or any) label, for readable reports."""
    iris = sorted({r.focus for r in results if r.focus.startswith(("http://", "https://"))})
    labels: dict[str, str] = {}
    if iris:
        values = " ".join(f"<{i}>" for i in iris)
        answer = engine.query(
            "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " + values + " } "
            "?s <http://www.w3.org/2000/01/rdf-schema#label>|"
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
            "FILTER (LANGMATCHES(LANG(?l), 'en') || LANG(?l) = '') } GROUP BY ?s",
            parts=("ontology", "data", "shapes"))
        labels = {s.value: label.value for s, label in answer.rows if label is not None}
    return [ValidationResult(**{**asdict(r), "focus_label": labels.get(r.focus, "")})
            for r in results]


def count_focus_candidates(engine: EmbeddedStore) -> int:
    """Nodes the shapes look at: typed subjects of the data graphs."""
    answer = engine.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }", parts=("data",))
    return int(answer.rows[0][0].value)


def part_quads(engine: EmbeddedStore, parts: tuple[str, ...]) -> list[ox.Quad]:
    return [q for g in engine.default_graph(parts)
            for q in engine.store.quads_for_pattern(None, None, None, g)]


def shape_results(engine: EmbeddedStore, shacl: str = "fast") -> list[ValidationResult]:
    """SHACL results for ontology + data against the loaded shapes.

    ``fast``: pySHACL for SHACL Core, and the SPARQL-based constraints run once each by
    pyoxigraph (kgtool.sparql_constraints). ``pyshacl``: pySHACL for everything.
    """
    if shacl not in ENGINES:
        raise UsageError(f"unknown SHACL engine {shacl!r}", hint="use one of " + ", ".join(ENGINES))
    data, shapes = part_quads(engine, ("ontology", "data")), part_quads(engine, ("shapes",))
    if shacl == "pyshacl":
        return shacl_results(data, shapes)
    from kgtool.sparql_constraints import constraint_results, load_constraints

    core = [q for q in shapes if q.predicate.value != SH + "sparql"]
    return shacl_results(data, core) + constraint_results(engine, load_constraints(engine))


def validate_engine(engine: EmbeddedStore, checks=(), shacl: str = "fast") -> ValidationReport:
    """Validate everything loaded in the engine: SHACL over ontology + data, then the checks."""
    results = shape_results(engine, shacl) + check_results(engine, checks)
    return ValidationReport(label_results(engine, results), checked=count_focus_candidates(engine))
