"""SHACL validation and hygiene checks of the graph, as one typed report.

pyshacl-turbo (SHACL Core and SHACL-SPARQL in Rust) is the default engine and pySHACL the
reference; a test keeps their results equal on every shape case and the bundled graph. The
data graph holds the ontology and the data, so
``sh:targetClass`` reaches instances of subclasses through ``rdfs:subClassOf``; the
shapes are always passed separately (a submission can never switch a shape off).
:func:`kgtool.validation.scoping.validate_submission` validates only the focus nodes that a
submission can affect.

>>> "turbo" in ENGINES
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Hashable, Iterable
from dataclasses import asdict
from functools import lru_cache

import pyoxigraph as ox

from kgtool.engine import EmbeddedStore
from kgtool.errors import InputError, UsageError
from kgtool.validation.checks import check_results
from kgtool.validation.report import (
    ENGINES,
    ValidationReport,
    ValidationResult,
    focus_key,
    report_term,
)
from kgtool.vocab import SH

logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals are ours to report


def ntriples(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
    """Triples (or quads, graph names dropped) as N-Triples; blank nodes keep their ids.

    >>> ntriples([ox.Quad(ox.BlankNode("b1"), ox.NamedNode("https://e.org/p"), ox.Literal("o"))])
    b'_:b1 <https://e.org/p> "o" .\\n'
    """
    return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in triples),
                        format=ox.RdfFormat.N_TRIPLES)


def graph_texts(engine: EmbeddedStore, parts: tuple[str, ...]) -> list[bytes]:
    """Each graph of ``parts`` as N-Triples, written natively by the store, graphs in
    parallel threads (pyoxigraph dumps without the GIL: 6.3 s -> 3.4 s for a million
    triples on 2 cores)."""
    from concurrent.futures import ThreadPoolExecutor

    def dump(graph: ox.NamedNode) -> bytes:
        return engine.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(dump, engine.default_graph(parts)))


def parts_ntriples(engine: EmbeddedStore, parts: tuple[str, ...]) -> bytes:
    """The graphs of ``parts`` as one N-Triples document (:func:`graph_texts`)."""
    return b"".join(graph_texts(engine, parts))


def _turbo_input(text: bytes):
    """N-Triples in the form pyshacl-turbo gives a pyoxigraph store: parsed natively, ids kept."""
    from pyshacl_turbo import Input

    return Input(text.decode(), "oxigraph-nquads", None, {}, preserve_ids=True)


@lru_cache(maxsize=4)
def _turbo_shapes(shapes: bytes):
    """The shapes compiled once by pyshacl-turbo (immutable, reused for every data graph: a
    submission's validation and its look at the graph before it, every check of a server)."""
    from pyshacl_turbo import compile_shapes

    return compile_shapes(_turbo_input(shapes), advanced=True)


_BY_FILES: dict[Hashable, object] = {}


def _compiled(shapes: bytes, files: Hashable | None):
    """The compiled shapes, cached by ``files`` when given: shapes read again from the same
    files are the same shapes, though their blank nodes get new ids (0.22 s a submission)."""
    if files is None:
        return _turbo_shapes(shapes)
    if files not in _BY_FILES:
        if len(_BY_FILES) >= 4:
            _BY_FILES.clear()
        _BY_FILES[files] = _turbo_shapes.__wrapped__(shapes)
    return _BY_FILES[files]


def shacl_results(data: bytes, shapes: bytes, focus_nodes: set[str] | None = None,
                  shacl: str = "turbo", shapes_files: Hashable | None = None
                  ) -> list[ValidationResult]:
    """Validate ``data`` against ``shapes`` (both N-Triples, no inference) with the ``shacl``
    engine and return typed results; ``focus_nodes`` keeps the results about them;
    ``shapes_files`` names the files the shapes were read from, unchanged (paths and
    modification times), for the compile cache."""
    import rdflib

    if shacl not in ENGINES:
        raise UsageError(f"unknown SHACL engine {shacl!r}", hint="use one of " + ", ".join(ENGINES))
    if shacl == "pyshacl":
        from pyshacl import validate
        from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

        from kgtool.terms import rdflib_graph

        errors: tuple[type[Exception], ...] = (ReportableRuntimeError, ShapeLoadError, ValueError,
                                               OSError, RuntimeError)
        graphs = [rdflib_graph(ox.parse(text, format=ox.RdfFormat.N_TRIPLES,
                                        rename_blank_nodes=False)) for text in (data, shapes)]

        def run():
            return validate(graphs[0], shacl_graph=graphs[1], inference="none",
                            allow_warnings=True, advanced=True)
    else:
        from pyshacl_turbo import ReportableRuntimeError

        errors = (ReportableRuntimeError, ValueError, OSError, RuntimeError)

        # only the focus nodes are validated when they are all IRIs (turbo names focus nodes
        # by IRI), as pySHACL's focus_nodes does: their results are the same (0.8 ms of 5.5)
        named = None if focus_nodes is None or any(k.startswith("_:") for k in focus_nodes) \
            else sorted(focus_nodes)

        def run():
            return _compiled(shapes, shapes_files).validate(_turbo_input(data), inference="none",
                                                  allow_warnings=True, focus_nodes=named)
    try:
        _, report, _ = run()
    except errors as error:
        raise InputError(f"the shapes could not be applied: {error}",
                         hint="a shape in ontology/shapes/ is broken; fix it and rerun") from None
    sh = rdflib.Namespace(SH)
    results = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(node, sh.focusNode)
        if focus_nodes is not None and focus_key(focus) not in focus_nodes:
            continue
        message = report.value(node, sh.resultMessage)
        severity = str(report.value(node, sh.resultSeverity)).removeprefix(SH)
        shape = report.value(node, sh.sourceShape)
        component = report.value(node, sh.sourceConstraintComponent)
        results.append(ValidationResult(
            focus=focus_key(focus), path=report_term(report.value(node, sh.resultPath)),
            value=report_term(report.value(node, sh.value)), severity=severity,
            message=str(message) if message else "does not conform",
            shape=str(shape) if isinstance(shape, rdflib.URIRef) else "",
            component=str(component) if isinstance(component, rdflib.URIRef) else "",
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
            "SELECT ?s (MIN(?l) AS ?label) WHERE { VALUES ?s { " + values + " } "
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


def check_shape_queries(engine: EmbeddedStore) -> None:
    """Refuse shapes whose SPARQL (sh:select, sh:ask, sh:construct, sh:update) holds an
    update, SERVICE or FROM: the SHACL engine runs it itself, past the store's own guard.

    >>> store = EmbeddedStore()
    >>> store.load_text('<https://e.org/c> <http://www.w3.org/ns/shacl#select> '
    ...     '"SELECT $this { SERVICE <http://e.org/> {} }" .', "ontology/shapes/x.ttl",
    ...     part="shapes")
    >>> check_shape_queries(store)
    Traceback (most recent call last):
    kgtool.errors.InputError: ontology/shapes/x.ttl: https://e.org/c: SERVICE would make the \
engine call another server
    """
    from kgtool.engine.base import GRAPH_BASE
    from kgtool.engine.sparql import refuse_unsafe

    for graph in engine.default_graph(("shapes",)):
        for key in ("select", "ask", "construct", "update"):
            for quad in engine.store.quads_for_pattern(None, ox.NamedNode(SH + key), None, graph):
                display = f"{graph.value.removeprefix(GRAPH_BASE)}: {quad.subject.value}"
                if key == "update":
                    raise InputError(f"{display}: shapes may not hold SPARQL Update",
                                     hint="remove the sh:update from the shape")
                try:
                    refuse_unsafe(quad.object.value, display)
                except UsageError as error:
                    raise InputError(error.message, hint="remove it from the shape") from None


def shape_results(engine: EmbeddedStore, shacl: str = "turbo", data: bytes | None = None
                  ) -> list[ValidationResult]:
    """SHACL results for ontology + data against the shapes (added if held apart), by the
    ``shacl`` engine: ``turbo`` (pyshacl-turbo, the default) or ``pyshacl`` (the reference).
    Shapes that would call out or write are refused first (:func:`check_shape_queries`).
    With turbo, the SPARQL constraints that :func:`kgtool.validation.full_sparql.plan`
    accepts run once each over the whole graph, the rest of the shapes in turbo; ``data``:
    the ontology and data as N-Triples, when already written."""
    from kgtool.validation.full_sparql import full_results, plan

    def run(full: EmbeddedStore) -> list[ValidationResult]:
        check_shape_queries(full)
        text = parts_ntriples(full, ("ontology", "data")) if data is None else data
        if shacl != "turbo":
            return shacl_results(text, parts_ntriples(full, ("shapes",)), shacl=shacl)
        constraints, shapes = plan(full)
        return shacl_results(text, ntriples(shapes)) + full_results(full, constraints)

    return engine.extended(run, parts=("shapes",))


def memory_copy(engine: EmbeddedStore, texts: list[bytes]) -> EmbeddedStore:
    """A copy of the engine's ontology, data and shapes graphs in an in-memory store, from
    their N-Triples (:func:`graph_texts`, emptied as each is added): written as N-Quads and
    added with blank node ids kept (a store's own loader would rename them). A
    million-triple on-disk store answers the checks 3x faster so."""
    copy = ox.Store()
    for graph in engine.default_graph(("ontology", "data", "shapes")):
        quads = texts.pop(0).replace(b" .\n", f" <{graph.value}> .\n".encode())  # line ends
        copy.bulk_extend(ox.parse(quads, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False))
    return EmbeddedStore(copy, {part: list(iris) for part, iris in engine.graphs.items()},
                         description=engine.description)


def validate_engine(engine: EmbeddedStore, checks=(), shacl: str = "turbo") -> ValidationReport:
    """Validate the engine's ontology + data against its shapes (added if held apart): SHACL,
    and the checks. An on-disk store is copied into memory (:func:`memory_copy`) while
    pyshacl-turbo, which leaves the GIL, runs in a thread beside the copy, the SPARQL
    constraints (:mod:`kgtool.validation.full_sparql`) and the checks.

    >>> from kgtool.project import find_project
    >>> from kgtool.engine import load_project
    >>> validate_engine(load_project(find_project())).checked > 0
    True
    """
    from concurrent.futures import ThreadPoolExecutor

    from kgtool.engine.cache import CachedStore
    from kgtool.validation.full_sparql import full_results, plan

    def report(full: EmbeddedStore) -> ValidationReport:
        check_shape_queries(full)
        texts = graph_texts(full, ("ontology", "data", "shapes"))
        split = len(full.default_graph(("ontology", "data")))
        data = b"".join(texts[:split])
        constraints, shapes = plan(full) if shacl == "turbo" else ([], [])
        shapes_text = ntriples(shapes) if shacl == "turbo" else b"".join(texts[split:])
        with ThreadPoolExecutor(max_workers=1) as pool:
            core = pool.submit(shacl_results, data, shapes_text, shacl=shacl)
            del data
            view = memory_copy(full, texts) if isinstance(engine, CachedStore) else full
            results = full_results(view, constraints) + check_results(view, checks)
            results = core.result() + results
        return ValidationReport(label_results(view, results), checked=count_focus_candidates(view))

    return engine.extended(report, parts=("shapes",))
