"""SHACL-SPARQL constraints evaluated once per constraint by pyoxigraph, not once per node.

Submission-scoped validation (kgtool.validation.scoping) runs them here, on the graph with the
submission added, with ``$this`` bound to the affected nodes. Each constraint of a node
shape with ``sh:targetClass`` runs once: ``$this`` becomes ``?this`` and the target pattern
``?this rdf:type/rdfs:subClassOf* ?class`` opens its WHERE group, which gives the same
solutions as pre-binding ``$this`` to each target in turn for constraints whose WHERE
clause is one group (all of ours; tests check that scoped and full validation agree).

>>> query = rewrite("SELECT $this WHERE { FILTER NOT EXISTS { $this ?p ?o } }", ["https://e.org/C"])
>>> query.replace(SUBCLASS, "rdfs:subClassOf")  # doctest: +NORMALIZE_WHITESPACE
'SELECT ?this WHERE { VALUES ?targetClass { <https://e.org/C> }
 ?this a/rdfs:subClassOf* ?targetClass . FILTER NOT EXISTS { ?this ?p ?o } }'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.engine.base import Solutions
from kgtool.engine.embedded import EmbeddedStore
from kgtool.engine.sparql import tokens
from kgtool.errors import InputError
from kgtool.validation.components import SPARQL_COMPONENT
from kgtool.validation.report import ValidationResult, focus_key
from kgtool.vocab import SH

SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
BOUND_FOCUS = 500  # up to this many focus nodes, constraints run pre-bound per node

_CONSTRAINTS = f"""
PREFIX sh: <{SH}>
SELECT ?shape ?select ?message ?severity
       (GROUP_CONCAT(DISTINCT STR(?target); separator=" ") AS ?targets) WHERE {{
  ?shape sh:sparql ?constraint ; sh:targetClass ?target .
  ?constraint sh:select ?select .
  OPTIONAL {{ ?constraint sh:message ?message }}
  OPTIONAL {{ ?shape sh:severity ?severity }}
  FILTER NOT EXISTS {{ ?shape sh:deactivated true }}
  FILTER NOT EXISTS {{ ?constraint sh:deactivated true }}
}} GROUP BY ?shape ?select ?message ?severity ORDER BY ?shape ?select
"""
_PREFIXES = f"""
PREFIX sh: <{SH}>
SELECT DISTINCT ?prefix ?namespace WHERE {{
  ?ontology sh:declare [ sh:prefix ?prefix ; sh:namespace ?namespace ]
}} ORDER BY ?prefix
"""


@dataclass(frozen=True)
class SparqlConstraint:
    """One sh:sparql constraint of a node shape, ready to run over the whole graph."""

    shape: str
    query: str
    message: str
    severity: str
    targets: frozenset[str] = frozenset()
    prologue: str = ""
    select: str = ""  # the SELECT with ?this for $this, without the target pattern

    def for_nodes(self, nodes: list[ox.NamedNode]) -> str:
        """The constraint run once for ``nodes``, each known to be a target (an instance of
        a target class): each binds ``?this`` for a LATERAL run of the SELECT, which gives
        what pre-binding it to each node in turn gives. The target pattern is left out, as
        it would only find the node's class again (a path the engine walks from the class,
        through every instance, 1-2 ms a constraint at a million triples).

        >>> c = SparqlConstraint("s", "", "m", "Violation", select="SELECT ?this { ?this ?p ?o }")
        >>> c.for_nodes([ox.NamedNode("https://e.org/a")])  # doctest: +NORMALIZE_WHITESPACE
        'SELECT * WHERE { VALUES ?this { <https://e.org/a> }
         LATERAL { SELECT ?this { ?this ?p ?o } } }'
        """
        values = " ".join(str(n) for n in nodes)
        return (f"{self.prologue}SELECT * WHERE {{ VALUES ?this {{ {values} }} LATERAL {{ "
                f"{self.select} }} }}")


def rewrite(select: str, targets: list[str] | None) -> str:
    """Turn ``$this`` into ``?this`` and open the WHERE group with the target pattern (none
    when ``targets`` is None).

    >>> rewrite("SELECT $this WHERE { $this ?p ?o }", None)
    'SELECT ?this WHERE { ?this ?p ?o }'
    """
    out, opened = [], False
    for kind, text in tokens(select):
        if kind == "var" and text[1:] == "this":
            text = "?this"
        out.append(text)
        if not opened and text == "{":
            if targets is not None:
                classes = " ".join(f"<{t}>" for t in targets)
                out.append(f" VALUES ?targetClass {{ {classes} }} "
                           f"?this a/{SUBCLASS}* ?targetClass .")
            opened = True
    if not opened:
        raise InputError("a SPARQL constraint has no WHERE group",
                         hint="write the constraint as SELECT $this ... WHERE { ... }")
    return "".join(out)


def load_constraints(engine: EmbeddedStore) -> list[SparqlConstraint]:
    """The SPARQL constraints of the shapes loaded in ``engine``."""
    prologue = "".join(f"PREFIX {p.value}: <{ns.value}>\n" for p, ns in
                       engine.query(_PREFIXES, parts=("shapes",)).rows)
    constraints = []
    for shape, select, message, severity, targets in engine.query(
            _CONSTRAINTS, parts=("shapes",)).rows:
        constraints.append(SparqlConstraint(
            shape=shape.value,
            query=prologue + rewrite(select.value, targets.value.split()),
            message=message.value if message else "does not conform",
            severity=severity.value.removeprefix(SH) if severity else "Violation",
            targets=frozenset(targets.value.split()), prologue=prologue,
            select=rewrite(select.value, None),
        ))
    return constraints


def constraint_results(engine: EmbeddedStore, constraints: list[SparqlConstraint],
                       parts: tuple[str, ...] = ("ontology", "data"),
                       focus: set | None = None, classes_of: Callable | None = None
                       ) -> list[ValidationResult]:
    """Run each constraint once over the graph of ``parts``; each solution is a result.

    ``focus`` (pyoxigraph nodes) keeps results about those nodes; when they are up to
    :data:`BOUND_FOCUS` IRIs, each constraint runs once with ``$this`` bound to each of its
    target nodes in turn (:meth:`SparqlConstraint.for_nodes`), reading only their part of
    the graph (milliseconds on a million triples); ``classes_of(nodes)`` tells their
    classes (default: the engine's lookups in ``parts``).
    """
    keys = None if focus is None else {focus_key(n) for n in focus}
    runs = [(c, c.query) for c in constraints]
    if focus is not None and len(focus) <= BOUND_FOCUS and all(
            isinstance(n, ox.NamedNode) for n in focus):
        classes = (classes_of or (lambda nodes: engine.classes_of(nodes, parts)))(
            focus)  # a node runs only for its shapes
        ordered = sorted(focus, key=lambda n: n.value)
        runs = [(c, c.for_nodes(nodes)) for c in constraints if (nodes := [
            n for n in ordered if classes.get(n.value, set()) & c.targets])]
    results = []
    for constraint, query in runs:
        answer = engine.query(query, parts=parts, display=constraint.shape)
        assert isinstance(answer, Solutions)
        for row in answer.rows:
            cells = dict(zip(answer.variables, row, strict=True))
            node = focus_key(cells["this"])
            if keys is not None and node not in keys:
                continue
            # SHACL 5.3.2: sh:value is ?value when bound, else the focus node.
            value = cells.get("value") or cells["this"]
            path = "" if cells.get("path") is None else str(cells["path"])
            results.append(ValidationResult(focus=node, path=path, value=str(value),
                                            severity=constraint.severity,
                                            message=constraint.message, shape=constraint.shape,
                                            component=SPARQL_COMPONENT))
    return results

