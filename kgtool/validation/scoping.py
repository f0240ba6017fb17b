"""Submission-scoped validation: validate only the nodes a submission can affect.

The affected nodes are the submission's subjects and objects, followed back through the
predicates the shapes read (paths, inverse paths, ``sh:node`` chains, the IRIs of SPARQL
constraints); SHACL Core runs on their neighbourhood and the report keeps only results
about them. A test shows the results equal those of a full validation.

>>> _MAX_DEPTH
8
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import asdict, astuple, replace
from pathlib import Path

import pyoxigraph as ox

from kgtool.engine.base import SUBMISSION_GRAPH
from kgtool.engine.embedded import EmbeddedStore
from kgtool.errors import UsageError
from kgtool.project import file_version
from kgtool.validation.checks import check_results, same_label_nodes
from kgtool.validation.components import CHECK_COMPONENT, SPARQL_COMPONENT
from kgtool.validation.neighbours import Neighbours, neighbours
from kgtool.validation.reach import _MAX_DEPTH, ShapeReach, shape_reach
from kgtool.validation.report import ValidationReport, focus_key
from kgtool.validation.shacl import label_results, ntriples, shacl_results
from kgtool.vocab import RDF_TYPE, RDFS, SH


def _is_node(term) -> bool:
    return isinstance(term, ox.NamedNode | ox.BlankNode)


def affected_nodes(edges: Neighbours, triples: Iterable[ox.Triple], reach: ShapeReach
                   ) -> set:
    """The focus nodes whose validation can change when ``triples`` are added.

    The subjects and objects of the triples; nodes that reach a subject through a
    predicate the shapes read, up to ``reach.depth`` steps back (``sh:node`` chains);
    nodes a subject points to through a predicate read inversely; and nodes that reach
    an object within ``reach.depth - 1`` steps (the object's incoming edges changed).
    """
    triples = list(triples)
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


def neighbourhood(edges: Neighbours, affected: set, reach: ShapeReach, ontology: bytes
                  ) -> bytes:
    """The triples that SHACL Core reads to validate ``affected``, as N-Triples: the
    ``ontology``'s class hierarchy (:func:`ontology_ntriples`), the affected nodes' triples
    and those of the nodes they reach within ``reach.depth`` steps (blank nodes in full), and
    their incoming edges on the predicates SHACL Core reads inversely
    (``reach.core_inverse``: the SPARQL constraints run on the union)."""
    nodes, level = set(affected), set(affected)
    for step in range(_MAX_DEPTH * 4):
        level = {q.object for n in level for q in edges.out(n) if _is_node(q.object)} - nodes
        if step >= reach.depth:
            level = {n for n in level if isinstance(n, ox.BlankNode)}
        if not level:
            break
        nodes |= level
    quads = [q for n in nodes for q in edges.out(n)]
    quads += [q for n in affected for q in edges.into(n, reach.core_inverse)]
    return ontology + ntriples(quads)


_ONTOLOGY: dict[tuple, bytes] = {}


def ontology_ntriples(engine: EmbeddedStore) -> bytes:
    """What SHACL Core reads of the engine's ontology graphs beyond a neighbourhood: their
    rdfs:subClassOf triples, as N-Triples (the class closure of ``sh:targetClass`` and
    ``sh:class``; the nodes a focus node reaches come with their own triples), read once
    per on-disk store (its graphs never change).

    >>> ontology_ntriples(EmbeddedStore())
    b''
    """
    key = (getattr(engine, "location", None), tuple(engine.default_graph(("ontology",))))
    if key[0] is not None and key in _ONTOLOGY:
        return _ONTOLOGY[key]
    subclass = ox.NamedNode(RDFS + "subClassOf")
    text = ntriples(q for g in key[1] for q in engine.store.quads_for_pattern(
        None, subclass, None, g))
    if key[0] is not None:
        if len(_ONTOLOGY) >= 4:
            _ONTOLOGY.clear()
        _ONTOLOGY[key] = text
    return text


def check_focus(existing: EmbeddedStore, triples: list[ox.Triple]) -> set[str]:
    """What the hygiene checks look at for a submission: its subject IRIs, and the predicates
    and classes it uses that the graph does not use yet. A row about a term the graph
    already uses was there before the submission, which cannot change the ontology (the
    curator's rule ``ontologyTerm``), so looking at those terms again finds nothing new.
    """
    parts, type_ = ("ontology", "data"), ox.NamedNode(RDF_TYPE)
    focus = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    predicates = {t.predicate for t in triples}  # each looked up once, however often used
    classes = {t.object for t in triples if t.predicate == type_ and isinstance(
        t.object, ox.NamedNode)}
    focus |= {p.value for p in predicates if not existing.contains(predicate=p, parts=parts)}
    focus |= {c.value for c in classes if not existing.contains(None, type_, c, parts)}
    return focus


def validate_submission(engine: EmbeddedStore, submission, checks=(), *, prefixes=None,
                        curate: bool = True, kinds=None, new_only: bool = True
                        ) -> ValidationReport:
    """Validate a submission in the context of the graph; report only results about it.

    ``submission`` is a :class:`kgtool.validation.reading.Submission` (or an iterable of triples);
    ``prefixes`` (the project's PrefixMap) are needed with ``curate``.
    SHACL Core (pyshacl-turbo) runs on the neighbourhood of the affected focus nodes and
    the SPARQL constraints on the union graph with ``$this`` bound to them; the hygiene
    ``checks`` keep rows about the submission's subjects, predicates and classes. With
    ``curate``, the curator's checks of :mod:`kgtool.validation.curation` are added (with
    ``kinds``, a :class:`kgtool.sources.SourceKinds`, its warning about mirror-only sources).
    With ``new_only``, results the graph already had before the submission are left out
    and counted (``report.known``): the report shows what the submission causes.
    """
    from kgtool.validation.reading import Submission

    if not isinstance(submission, Submission):
        submission = Submission.of(submission)
    remote = sys.modules.get("kgtool.engine.remote")  # not imported: not an endpoint (httpx)
    if remote is not None and isinstance(engine, remote.RemoteEndpoint):
        from kgtool.validation.remote_scope import neighbourhood_store

        engine = neighbourhood_store(engine, submission.triples)  # the part it reaches
    if not hasattr(engine, "store"):
        raise UsageError("validating a submission needs the project files, not an endpoint",
                         hint="run kgtool validate FILE without --endpoint")
    if curate and prefixes is None:
        raise ValueError("the curator's checks need the project prefixes")
    return engine.extended(lambda union: _scoped_report(
        engine, union, submission, checks, prefixes if curate else None, kinds, new_only),
        parts=("shapes",), triples=submission.triples)


def _shapes_files(engine: EmbeddedStore) -> tuple | None:
    """The files the shapes are read from for each submission (held apart), as paths,
    sizes and modification times; None when the store holds the shapes itself."""
    if engine.graphs.get("shapes"):
        return None
    return tuple((display, str(path), *file_version(path))
                 for part, display, path in engine.apart if part == "shapes")


_BY_SHAPES: dict[tuple, tuple] = {}


def _shape_analysis(engine: EmbeddedStore, union: EmbeddedStore, files: tuple | None
                    ) -> tuple:
    """The shapes' reach, SPARQL constraints, the curator's facts about them and the
    shapes for SHACL Core (N-Triples, without sh:sparql), read once for the same shape
    ``files`` (:func:`_shapes_files`; None: read now), and kept beside an on-disk store for
    the next process (keyed by the files and by this code's own files)."""
    from kgtool.validation.curation import shape_facts
    from kgtool.validation.sparql_constraints import load_constraints

    if files is not None and files in _BY_SHAPES:
        return _BY_SHAPES[files]
    memo = getattr(engine, "read_memo", None) if files is not None else None
    code = [(m.__file__, Path(m.__file__).stat().st_mtime_ns) for m in _analysers()]
    kept = memo("shape-analysis", [files, code]) if memo else None
    if kept is not None:
        analysis = _from_json(kept)
    else:
        core = ntriples(q for q in union.quads(("shapes",)) if q.predicate.value != SH + "sparql")
        analysis = (shape_reach(union), load_constraints(union), shape_facts(union), core)
        if memo:
            engine.write_memo("shape-analysis", [files, code], _to_json(analysis))
    if files is not None:
        if len(_BY_SHAPES) >= 4:
            _BY_SHAPES.clear()
        _BY_SHAPES[files] = analysis
    return analysis


def _analysers() -> list:
    import kgtool.validation.curation as curation
    import kgtool.validation.reach as reach
    import kgtool.validation.sparql_constraints as constraints

    return [sys.modules[__name__], reach, constraints, curation]


def _to_json(analysis: tuple) -> dict:
    reach, constraints, (single, fact_classes), core = analysis
    return {"reach": {k: sorted(v) if isinstance(v, frozenset) else v
                      for k, v in asdict(reach).items()},
            "constraints": [{**asdict(c), "targets": sorted(c.targets)} for c in constraints],
            "single": {k: sorted(v) for k, v in single.items()},
            "factClasses": sorted(fact_classes), "core": core.decode()}


def _from_json(data: dict) -> tuple:
    """The analysis kept by :func:`_to_json`, as :func:`_shape_analysis` returns it.

    >>> _from_json({"reach": {"forward": ["p"], "inverse": [], "depth": 1, "core_inverse": []},
    ...             "constraints": [], "single": {}, "factClasses": [], "core": ""})[0].depth
    1
    """
    from kgtool.validation.sparql_constraints import SparqlConstraint

    reach = ShapeReach(**{k: v if k == "depth" else frozenset(v)
                          for k, v in data["reach"].items()})
    constraints = [SparqlConstraint(**{**c, "targets": frozenset(c["targets"])})
                   for c in data["constraints"]]
    return (reach, constraints, ({k: set(v) for k, v in data["single"].items()},
                                 set(data["factClasses"])), data["core"].encode())


def _identity(result) -> tuple:
    return astuple(replace(result, focus_label=""))


def _results_before(engine: EmbeddedStore, union: EmbeddedStore, results, checks,
                    analysis: tuple, candidates: dict[str, set]) -> set[tuple]:
    """Which of a submission's ``results`` the graph had without it: each rule that gave
    one runs again, on the union's store without the submission graph, for the focus nodes
    of those results that exist in the graph (a handful, and the shapes are loaded already:
    a fraction of the submission's own validation)."""
    from kgtool.validation.sparql_constraints import constraint_results

    reach, constraints, _, shapes = analysis

    def existing(rs) -> set:
        keys = {r.focus for r in rs}
        return {n for n in (ox.BlankNode(k[2:]) if k.startswith("_:") else ox.NamedNode(k)
                            for k in sorted(keys)) if engine.contains(n)}

    before = EmbeddedStore(union.store, {part: [g for g in iris if g != SUBMISSION_GRAPH]
                                         for part, iris in union.graphs.items()},
                           description=union.description)
    edges = neighbours(engine)  # the graph's, without the submission
    core = existing(r for r in results if r.component.startswith(SH)
                    and r.component != SPARQL_COMPONENT)
    found = []
    if core:
        found += shacl_results(neighbourhood(edges, core, reach, ontology_ntriples(engine)),
                               shapes, focus_nodes={focus_key(n) for n in core},
                               shapes_files=_shapes_files(engine))
    sparql = [r for r in results if r.component == SPARQL_COMPONENT]
    if nodes := existing(sparql):
        fired = {r.shape for r in sparql}
        found += constraint_results(before, [c for c in constraints if c.shape in fired],
                                    focus=nodes, classes_of=edges.classes_of)
    checked = [r for r in results if r.component == CHECK_COMPONENT]
    if nodes := existing(checked):
        fired = {r.shape for r in checked}
        found += check_results(before, [c for c in checks if c.name in fired],
                               focus={n.value for n in nodes if isinstance(n, ox.NamedNode)},
                               candidates=candidates)
    return {_identity(r) for r in found}


def _scoped_report(engine: EmbeddedStore, union: EmbeddedStore, submission, checks,
                   prefixes, kinds, new_only: bool) -> ValidationReport:
    from kgtool.validation.sparql_constraints import constraint_results

    files = _shapes_files(engine)
    analysis = _shape_analysis(engine, union, files)
    reach, constraints, facts, shapes = analysis
    edges = neighbours(engine, submission.triples)
    affected = affected_nodes(edges, submission.triples, reach)
    keys = {focus_key(n) for n in affected}
    results = shacl_results(neighbourhood(edges, affected, reach, ontology_ntriples(engine)),
                            shapes, focus_nodes=keys, shapes_files=files)
    results += constraint_results(union, constraints, focus=affected,
                                  classes_of=edges.classes_of)
    focus = check_focus(engine, submission.triples)
    candidates = {"duplicate-labels": same_label_nodes(engine, union, focus, submission.triples)
                  } if any(c.name == "duplicate-labels" for c in checks) else {}
    results += check_results(union, checks, focus=focus, candidates=candidates)
    if prefixes is not None:
        from kgtool.validation.curation import curation_results

        results += curation_results(engine, union, submission, prefixes, kinds, facts,
                                    classes_of=edges.classes_of)
    results = list(set(results))
    known = _results_before(engine, union, results, checks, analysis,
                            candidates) if new_only else set()
    shown = [r for r in results if _identity(r) not in known]
    return ValidationReport(label_results(union, shown), checked=len(affected),
                            known=len(results) - len(shown))
