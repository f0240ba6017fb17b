"""The SHACL shapes as "what a record needs": per node shape, its target classes, its
property rules (how many values, of what kind, from which allowed values) and its SPARQL
rules in words (their ``sh:message``).

>>> Rule("p", "sc:p", {}, {}, min_count=1, max_count=1).cardinality
(1, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.look.site.model import Triples
from kgtool.vocab import RDF_TYPE, RDFS, SH


@dataclass
class Rule:
    """One property shape."""

    iri: str
    path: str
    name: dict[str, str]
    message: dict[str, str]
    min_count: int = 0
    max_count: int | None = None
    datatypes: list[str] = field(default_factory=list)  # alternatives (sh:or) flattened
    classes: list[str] = field(default_factory=list)
    node_kind: str | None = None
    allowed: list[str] = field(default_factory=list)  # sh:in
    pattern: str | None = None
    languages: list[str] = field(default_factory=list)
    unique_lang: bool = False
    minimum: tuple[str, str] | None = None  # (inclusive|exclusive, value)

    @property
    def cardinality(self) -> tuple[int, int | None]:
        return (self.min_count, self.max_count)

    @property
    def required(self) -> bool:
        return self.min_count > 0


@dataclass
class Shape:
    """One node shape: what a record of its target classes needs."""

    iri: str
    curie: str
    label: dict[str, str]
    targets: list[str]
    rules: list[Rule]
    sparql: list[dict[str, str]]  # the messages of its SPARQL constraints
    severity: str = "Violation"

    @property
    def slug(self) -> str:
        return self.curie.split(":", 1)[-1]


def _int(term) -> int | None:
    return int(term.value) if isinstance(term, ox.Literal) else None


def _constraints(graph: Triples, node, rule: Rule) -> None:
    """Read value constraints of ``node`` into ``rule`` (sh:or alternatives included)."""
    for datatype in graph.objects(node, SH + "datatype"):
        rule.datatypes.append(datatype.value)
    for cls in graph.objects(node, SH + "class"):
        rule.classes.append(cls.value)
    kind = graph.one(node, SH + "nodeKind")
    if kind is not None:
        rule.node_kind = kind.value
    for alternatives in graph.objects(node, SH + "or"):
        for alternative in graph.items(alternatives):
            _constraints(graph, alternative, rule)
    for qualified in graph.objects(node, SH + "qualifiedValueShape"):
        rule.languages += [t.value for lst in graph.objects(qualified, SH + "languageIn")
                           for t in graph.items(lst)]
        rule.min_count = max(rule.min_count,
                             _int(graph.one(node, SH + "qualifiedMinCount")) or 0)


def read_rule(graph: Triples, node, prefixes) -> Rule:
    path = graph.one(node, SH + "path")
    rule = Rule(node.value if isinstance(node, ox.NamedNode) else "",
                prefixes.shorten(path.value) if isinstance(path, ox.NamedNode) else str(path),
                graph.texts(node, SH + "name"), graph.texts(node, SH + "message"),
                min_count=_int(graph.one(node, SH + "minCount")) or 0,
                max_count=_int(graph.one(node, SH + "maxCount")))
    _constraints(graph, node, rule)
    rule.allowed = [t.value for lst in graph.objects(node, SH + "in") for t in graph.items(lst)]
    pattern = graph.one(node, SH + "pattern")
    rule.pattern = pattern.value if pattern is not None else None
    rule.languages += [t.value for lst in graph.objects(node, SH + "languageIn")
                       for t in graph.items(lst)]
    rule.unique_lang = any(t.value == "true" for t in graph.objects(node, SH + "uniqueLang"))
    for which in ("minInclusive", "minExclusive"):
        value = graph.one(node, SH + which)
        if value is not None:
            rule.minimum = (which[3:].lower(), value.value)
    return rule


def read_shapes(quads, prefixes) -> list[Shape]:
    """Every node shape of the shape files, sorted by IRI."""
    graph = Triples(quads)
    shapes = []
    for subject in graph.subjects(RDF_TYPE, ox.NamedNode(SH + "NodeShape")):
        rules = sorted((read_rule(graph, node, prefixes)
                        for node in graph.objects(subject, SH + "property")),
                       key=lambda r: (not r.required, r.path, r.iri))
        sparql = [graph.texts(c, SH + "message") for c in graph.objects(subject, SH + "sparql")]
        severity = graph.one(subject, SH + "severity")
        shapes.append(Shape(
            subject.value, prefixes.shorten(subject.value), graph.texts(subject, RDFS + "label"),
            [t.value for t in graph.objects(subject, SH + "targetClass")], rules,
            [m for m in sparql if m],
            severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation"))
    return shapes


def shapes_of_class(shapes: list[Shape], class_iri: str, supers: list[str]) -> list[Shape]:
    """The shapes whose targets include the class or one of its superclasses."""
    wanted = {class_iri, *supers}
    return [s for s in shapes if wanted & set(s.targets)]
