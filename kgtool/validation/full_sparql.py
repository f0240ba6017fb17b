"""SHACL-SPARQL constraints of a full validation, each run once over the whole graph.

pyshacl-turbo runs an ``sh:sparql`` constraint once per focus node (42 s of a million-triple
validation, 19 s without them); here each runs once through pyoxigraph, with the target
pattern opening its WHERE group (:func:`kgtool.validation.sparql_constraints.rewrite`).
That gives the solutions of pre-binding ``$this`` only for queries of a shape this module
can read exactly (:func:`plan`); any other constraint stays with pyshacl-turbo. Results are
written as turbo's are (terms in N3 by :func:`kgtool.validation.report.report_term`, one result
per distinct focus, path and value of a constraint).

>>> runnable("SELECT $this ?value WHERE { $this <https://e.org/p> ?value }")
True
>>> runnable("SELECT $this WHERE { OPTIONAL { $this <https://e.org/p> ?v } }")
False
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.engine.embedded import EmbeddedStore
from kgtool.engine.sparql import tokens
from kgtool.terms import to_rdflib
from kgtool.validation.components import SPARQL_COMPONENT
from kgtool.validation.report import ValidationResult, focus_key, report_term
from kgtool.validation.sparql_constraints import rewrite
from kgtool.vocab import SH

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Keywords whose meaning changes when ``$this`` is joined instead of pre-bound (or that
#: read another graph, or the query's own bindings).
_REFUSED = frozenset({"MINUS", "GROUP", "HAVING", "LIMIT", "OFFSET", "VALUES", "GRAPH",
                      "SERVICE", "FROM", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE",
                      "GROUP_CONCAT"})
#: Variables SHACL-SPARQL pre-binds or reads, and the one the rewrite adds.
_SPECIAL = frozenset({"shapesGraph", "currentShape", "PATH", "message", "failure",
                      "targetClass"})
#: Shape predicates that give it other targets, a path, or that turbo reads otherwise.
_SHAPE_REFUSED = frozenset(SH + p for p in ("targetNode", "targetSubjectsOf", "targetObjectsOf",
                                            "target", "path", "deactivated", "message"))
_CLASSES = frozenset({"http://www.w3.org/2000/01/rdf-schema#Class",
                      "http://www.w3.org/2002/07/owl#Class", SH + "PropertyShape"})


@dataclass(frozen=True)
class FullConstraint:
    """One ``sh:sparql`` constraint of a node shape, rewritten to run over the whole graph."""

    shape: str
    query: str
    message: str
    severity: str


def runnable(select: str) -> bool:
    """Whether joining the target pattern at the start of ``select``'s WHERE group gives the
    solutions of pre-binding ``$this``: one SELECT projecting ``$this``, none of
    :data:`_REFUSED`, and ``$this`` in no nested group but those of (NOT) EXISTS."""
    toks = [(k, t) for k, t in tokens(select) if k != "ws"]
    words = [t.upper() for k, t in toks if k == "word"]
    names = {t[1:] for k, t in toks if k == "var"}
    if words.count("SELECT") != 1 or _REFUSED & set(words) or _SPECIAL & names:
        return False
    opener = next((i for i, (_, t) in enumerate(toks) if t == "{"), None)
    if opener is None or not {("var", "$this"), ("var", "?this")} & set(toks[:opener]):
        return False
    stack: list[bool] = []  # per open nested group: may it name $this (an EXISTS group)?
    for i in range(opener + 1, len(toks)):
        kind, text = toks[i]
        if text == "{":
            stack.append(stack[-1] if stack else toks[i - 1][1].upper() == "EXISTS")
        elif text == "}":
            if not stack:
                return True  # the end of the WHERE group
            stack.pop()
        elif (kind == "var" and text[1:] == "this" and stack and not stack[-1]) or (
                text.upper() == "AS" and i + 1 < len(toks) and toks[i + 1][1][1:] == "this"):
            return False  # $this in a group of its own, or bound by the query
    return False


def _one(values: list) -> object | None:
    return values[0] if len(values) == 1 else None


def plan(engine: EmbeddedStore) -> tuple[list[FullConstraint], list[ox.Quad]]:
    """The constraints of the shapes in ``engine`` that run here, and the shapes' quads for
    pyshacl-turbo: all of them but the ``sh:sparql`` links to those constraints.

    A constraint runs here when its shape is a node shape named by an IRI, referred to by no
    other shape, targeting classes only (``sh:targetClass``), with at most one severity and
    no ``sh:deactivated`` or ``sh:message`` of its own; and the constraint has one
    ``sh:select`` that :func:`runnable` accepts, one message without ``{`` templates, its
    prefixes declared, and nothing more than turbo would read the same way.
    """
    quads = list(engine.quads(("shapes",)))
    about: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    referred = set()
    for q in quads:
        about[q.subject][q.predicate.value].append(q.object)
        referred.add(q.object)
    declared = {}
    for node, facts in about.items():
        for declaration in facts.get(SH + "declare", []):
            prefix = _one(about[declaration].get(SH + "prefix", []))
            namespace = _one(about[declaration].get(SH + "namespace", []))
            if prefix is None or namespace is None:
                return [], quads
            declared.setdefault(node, []).append((prefix.value, namespace.value))
    constraints, dropped = [], set()
    for q in quads:
        if q.predicate.value != SH + "sparql":
            continue
        shape, facts = q.subject, about[q.subject]
        own = about[q.object]
        targets = facts.get(SH + "targetClass", [])
        severity = facts.get(SH + "severity", [ox.NamedNode(SH + "Violation")])
        select, message = _one(own.get(SH + "select", [])), _one(own.get(SH + "message", []))
        prefixes = own.get(SH + "prefixes", [])
        if (not isinstance(shape, ox.NamedNode) or shape in referred or not targets
                or _SHAPE_REFUSED & set(facts) or len(severity) != 1
                or not isinstance(severity[0], ox.NamedNode)
                or _CLASSES & {t.value for t in facts.get(RDF + "type", [])}
                or not all(isinstance(t, ox.NamedNode) for t in targets)
                or set(own) - {RDF + "type", SH + "select", SH + "message", SH + "prefixes"}
                or not isinstance(select, ox.Literal) or not isinstance(message, ox.Literal)
                or "{" in message.value or not all(p in declared for p in prefixes)
                or not runnable(select.value)):
            continue
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for node in prefixes
                           for p, ns in sorted(declared[node]))
        query = prologue + rewrite(select.value, sorted(t.value for t in targets))
        try:
            ox.Store().query(query)  # turbo reports a query it cannot read
        except SyntaxError:
            continue
        constraints.append(FullConstraint(
            shape=shape.value, query=query, message=message.value or "does not conform",
            severity=severity[0].value.removeprefix(SH)))
        dropped.add(q)
    return constraints, [q for q in quads if q not in dropped]


def _n3(term) -> str:
    """A term in N3 as turbo's report writes it: a literal's lexical form kept as is."""
    import rdflib

    if not isinstance(term, ox.Literal):
        return report_term(to_rdflib(term))
    datatype = None if term.language else term.datatype.value
    return report_term(rdflib.Literal(term.value, lang=term.language, datatype=datatype,
                                 normalize=False))


def full_results(engine: EmbeddedStore, constraints: list[FullConstraint],
                 parts: tuple[str, ...] = ("ontology", "data")) -> list[ValidationResult]:
    """Run each constraint once over the graph of ``parts``: one result per distinct
    (focus, path, value) of a constraint, ``sh:value`` the focus node when ``?value`` is
    unbound, as pyshacl-turbo reports them."""
    results: list[ValidationResult] = []
    graphs = engine.default_graph(parts)  # shapes refused SERVICE and updates already
    for constraint in constraints if graphs else ():
        seen = set()
        for solution in engine.store.query(constraint.query, default_graph=graphs):
            this, path, value = solution["this"], solution["path"], solution["value"]
            key = (this, path, value or this)
            if key in seen:
                continue
            seen.add(key)
            results.append(ValidationResult(
                focus=focus_key(this), path="" if path is None else _n3(path),
                value=_n3(value or this), severity=constraint.severity,
                message=constraint.message, shape=constraint.shape, component=SPARQL_COMPONENT))
    return results
