"""What the shapes read around a focus node: the predicates their paths, inverse paths,
targets and SPARQL constraints follow, and how deep ``sh:node`` chains go. Submission scoping
(:mod:`kgtool.validation.scoping`) and the neighbourhood copied from an endpoint
(:mod:`kgtool.validation.remote_scope`) both walk this far.

>>> _MAX_DEPTH
8
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.engine.embedded import EmbeddedStore
from kgtool.vocab import RDF, RDF_TYPE, SH

_FIRST, _REST, _NIL = RDF + "first", RDF + "rest", ox.NamedNode(RDF + "nil")
_NOT_FOLLOWED = {RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
_PATH_WRAPPERS = tuple(SH + k for k in ("alternativePath", "zeroOrMorePath", "oneOrMorePath",
                                        "zeroOrOnePath"))
_NESTED = tuple(SH + k for k in ("node", "qualifiedValueShape", "and", "or", "xone", "not"))
_MAX_DEPTH = 8


@dataclass(frozen=True)
class ShapeReach:
    """What the shapes read around a focus node: predicates followed from it (paths; every
    IRI of a SPARQL constraint), predicates followed towards it (inverse paths,
    ``sh:targetObjectsOf``, SPARQL), and how many nodes away (``sh:node`` chains);
    ``core_inverse``: those that SHACL Core alone follows towards a node (no SPARQL's)."""

    forward: frozenset[str]
    inverse: frozenset[str]
    depth: int
    core_inverse: frozenset[str] = frozenset()


def _sparql_iris(query: str) -> set[str]:
    """Every IRI written in a query, prefixed names expanded with its PREFIX lines."""
    from kgtool.engine.sparql import tokens

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
    from kgtool.validation.sparql_constraints import load_constraints

    desc: dict[object, dict[str, list]] = {}
    for q in engine.quads(("shapes",)):
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
    core_inverse = frozenset(inverse - _NOT_FOLLOWED)
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
                      max(1, deepest), core_inverse)
