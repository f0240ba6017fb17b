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

SH = "http://www.w3.org/ns/shacl#"
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


def check_fail_on(value: str) -> str:
    if value not in FAIL_ON:
        raise UsageError(f"--fail-on {value!r} is not one of {', '.join(FAIL_ON)}")
    return value


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


def _quads(engine: EmbeddedStore, parts: tuple[str, ...]) -> list[ox.Quad]:
    return [q for g in engine.default_graph(parts)
            for q in engine.store.quads_for_pattern(None, None, None, g)]


def shape_results(engine: EmbeddedStore, shacl: str = "fast") -> list[ValidationResult]:
    """SHACL results for ontology + data against the loaded shapes.

    ``fast``: pySHACL for SHACL Core, and the SPARQL-based constraints run once each by
    pyoxigraph (kgtool.sparql_constraints). ``pyshacl``: pySHACL for everything.
    """
    if shacl not in ENGINES:
        raise UsageError(f"unknown SHACL engine {shacl!r}", hint="use one of " + ", ".join(ENGINES))
    data, shapes = _quads(engine, ("ontology", "data")), _quads(engine, ("shapes",))
    if shacl == "pyshacl":
        return shacl_results(data, shapes)
    from kgtool.sparql_constraints import constraint_results, load_constraints

    core = [q for q in shapes if q.predicate.value != SH + "sparql"]
    return shacl_results(data, core) + constraint_results(engine, load_constraints(engine))


def validate_engine(engine: EmbeddedStore, checks=(), shacl: str = "fast") -> ValidationReport:
    """Validate everything loaded in the engine: SHACL over ontology + data, then the checks."""
    results = shape_results(engine, shacl) + check_results(engine, checks)
    return ValidationReport(label_results(engine, results), checked=count_focus_candidates(engine))


# --- submission-scoped validation ---------------------------------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE, _FIRST, _REST, _NIL = RDF + "type", RDF + "first", RDF + "rest", ox.NamedNode(RDF + "nil")
_NOT_FOLLOWED = {RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
_PATH_WRAPPERS = tuple(SH + k for k in ("alternativePath", "zeroOrMorePath", "oneOrMorePath",
                                        "zeroOrOnePath"))
_NESTED = tuple(SH + k for k in ("node", "qualifiedValueShape", "and", "or", "xone", "not"))
_MAX_DEPTH = 8
SUBMISSION_GRAPH = "https://w3id.org/spacecoop/graph/submission"


@dataclass(frozen=True)
class ShapeReach:
    """What the shapes read around a focus node: predicates followed from it (paths; every
    IRI of a SPARQL constraint), predicates followed towards it (inverse paths,
    ``sh:targetObjectsOf``, SPARQL), and how many nodes away (``sh:node`` chains)."""

    forward: frozenset[str]
    inverse: frozenset[str]
    depth: int


def _sparql_iris(query: str) -> set[str]:
    """Every IRI written in a query, prefixed names expanded with its PREFIX lines."""
    from kgtool.sparql_lexer import tokens

    toks = [t for t in tokens(query) if t[0] not in ("ws", "comment")]
    prefixes = {toks[i + 1][1][:-1]: toks[i + 2][1][1:-1] for i in range(len(toks) - 2)
                if toks[i][0] == "word" and toks[i][1].upper() == "PREFIX"}
    iris = {text[1:-1] for kind, text in toks if kind == "iri"}
    for kind, text in toks:
        prefix, _, local = text.partition(":")
        if kind == "pname" and prefix in prefixes:
            iris.add(prefixes[prefix] + local)
    return iris


def shape_reach(engine: EmbeddedStore) -> ShapeReach:
    """Analyse the loaded shapes: which predicates they follow, each way, and how deep."""
    from kgtool.sparql_constraints import load_constraints

    desc: dict[object, dict[str, list]] = {}
    for q in _quads(engine, ("shapes",)):
        desc.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)
    forward, inverse = set(), set()

    def walk(path, inverted: bool) -> None:
        if isinstance(path, ox.NamedNode):
            (inverse if inverted else forward).add(path.value)
            return
        d = desc.get(path, {})
        for key, objects in d.items():
            flip = key == SH + "inversePath"
            if flip or key in (*_PATH_WRAPPERS, _FIRST, _REST):
                for obj in objects:
                    if obj != _NIL:
                        walk(obj, inverted != flip)

    for d in desc.values():
        for path in d.get(SH + "path", []):
            walk(path, False)
        forward.update(t.value for t in d.get(SH + "targetSubjectsOf", []))
        inverse.update(t.value for t in d.get(SH + "targetObjectsOf", []))
    sparql = {iri for c in load_constraints(engine) for iri in _sparql_iris(c.query)}
    forward |= sparql
    inverse |= sparql

    def members(node) -> list:
        out, d = [], desc.get(node, {})
        while _FIRST in d:
            out += d[_FIRST]
            node = d.get(_REST, [None])[0]
            d = desc.get(node, {})
        return out or [node]

    def depth(shape, seen: frozenset) -> int:
        if shape in seen or len(seen) > _MAX_DEPTH:
            return _MAX_DEPTH
        d, seen = desc.get(shape, {}), seen | {shape}
        nested = [m for key in _NESTED for obj in d.get(key, []) for m in members(obj)]
        own = max((depth(n, seen) for n in nested), default=0)
        if SH + "path" in d:  # a property shape: its nested shapes apply to the values
            return 1 + own
        return max([own] + [depth(p, seen) for p in d.get(SH + "property", [])])

    deepest = max((depth(s, frozenset()) for s in desc), default=1)
    return ShapeReach(frozenset(forward - _NOT_FOLLOWED), frozenset(inverse - _NOT_FOLLOWED),
                      max(1, deepest))


def union_engine(engine: EmbeddedStore, triples: Iterable[ox.Triple]) -> EmbeddedStore:
    """A new in-memory store: the engine's graphs (left untouched) plus ``triples``."""
    union = EmbeddedStore()
    union.store.extend(engine.store.quads_for_pattern(None, None, None, None))
    union.graphs = {part: list(graphs) for part, graphs in engine.graphs.items()}
    graph = ox.NamedNode(SUBMISSION_GRAPH)
    union.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    union.graphs.setdefault("data", []).append(SUBMISSION_GRAPH)
    return union


class _Neighbours:
    """Edges of the ontology and data graphs of a store (not the shapes)."""

    def __init__(self, engine: EmbeddedStore) -> None:
        self.store = engine.store
        self.graphs = set(engine.default_graph(("ontology", "data")))

    def out(self, node, predicates=None) -> list[ox.Quad]:
        return [q for q in self.store.quads_for_pattern(node, None, None)
                if q.graph_name in self.graphs
                and (predicates is None or q.predicate.value in predicates)]

    def into(self, node, predicates) -> list[ox.Quad]:
        return [q for q in self.store.quads_for_pattern(None, None, node)
                if q.graph_name in self.graphs and q.predicate.value in predicates]


def _is_node(term) -> bool:
    return isinstance(term, ox.NamedNode | ox.BlankNode)


def affected_nodes(union: EmbeddedStore, triples: Iterable[ox.Triple],
                   reach: ShapeReach) -> set:
    """The focus nodes whose validation can change when ``triples`` are added.

    The subjects and objects of the triples; nodes that reach a subject through a
    predicate the shapes read, up to ``reach.depth`` steps back (``sh:node`` chains);
    nodes a subject points to through a predicate read inversely; and nodes that reach
    an object within ``reach.depth - 1`` steps (the object's incoming edges changed).
    """
    triples = list(triples)
    edges = _Neighbours(union)
    subjects = {t.subject for t in triples}
    objects = {t.object for t in triples if _is_node(t.object)}
    affected = subjects | objects

    def back(start: set, steps: int) -> None:
        level = start
        for _ in range(steps):
            level = {q.subject for n in level for q in edges.into(n, reach.forward)} - affected
            affected.update(level)

    back(subjects, reach.depth)
    back(objects, reach.depth - 1)
    affected.update(q.object for s in subjects for q in edges.out(s, reach.inverse)
                    if _is_node(q.object))
    return affected


def neighbourhood(union: EmbeddedStore, affected: set, reach: ShapeReach) -> list[ox.Quad]:
    """The triples that SHACL Core reads to validate ``affected``: the ontology, the
    affected nodes' triples and those of the nodes they reach within ``reach.depth``
    steps (blank nodes in full), and their incoming edges on inversely read predicates."""
    edges = _Neighbours(union)
    nodes, level = set(affected), set(affected)
    for step in range(_MAX_DEPTH * 4):
        level = {q.object for n in level for q in edges.out(n) if _is_node(q.object)} - nodes
        if step >= reach.depth:
            level = {n for n in level if isinstance(n, ox.BlankNode)}
        if not level:
            break
        nodes |= level
    quads = _quads(union, ("ontology",))
    quads += [q for n in nodes for q in edges.out(n)]
    quads += [q for n in affected for q in edges.into(n, reach.inverse)]
    return quads


def validate_submission(engine: EmbeddedStore, submission, checks=(), *, prefixes=None,
                        curate: bool = True) -> ValidationReport:
    """Validate a submission in the context of the graph; report only results about it.

    ``submission`` is a :class:`kgtool.submission.Submission` (or an iterable of triples);
    ``prefixes`` (the project's PrefixMap) are needed with ``curate``.
    SHACL Core (pySHACL) runs on the neighbourhood of the affected focus nodes and the
    SPARQL constraints on the union graph, keeping results about affected nodes; the
    hygiene ``checks`` keep rows about the submission's subjects, predicates and classes.
    With ``curate``, the curator's checks of :mod:`kgtool.curation` are added.
    """
    from kgtool.sparql_constraints import constraint_results, load_constraints
    from kgtool.submission import Submission

    if not isinstance(submission, Submission):
        submission = Submission.of(submission)
    if not hasattr(engine, "store"):
        raise UsageError("validating a submission needs the project files, not an endpoint",
                         hint="run kgtool validate FILE without --endpoint")
    if curate and prefixes is None:
        raise ValueError("the curator's checks need the project prefixes")
    union = union_engine(engine, submission.triples)
    reach = shape_reach(union)
    affected = affected_nodes(union, submission.triples, reach)
    keys = {n.value for n in affected}
    shapes = [q for q in _quads(union, ("shapes",)) if q.predicate.value != SH + "sparql"]
    results = shacl_results(neighbourhood(union, affected, reach), shapes, focus_nodes=keys)
    results += constraint_results(union, load_constraints(union), focus_nodes=keys)
    terms = {term.value for t in submission.triples for term in (
        t.subject, t.predicate, t.object if t.predicate.value == RDF_TYPE else t.subject)
        if isinstance(term, ox.NamedNode)}  # what the submission introduces
    results += check_results(union, checks, focus=terms)
    if curate:
        from kgtool.curation import curation_results

        results += curation_results(engine, union, submission, prefixes)
    return ValidationReport(label_results(union, results), checked=len(affected))
