"""Blank node labels from a hash of what surrounds them, so that exports are stable.

>>> p, b = ox.NamedNode("https://e.org/p"), ox.BlankNode("x1")
>>> t = ox.Triple(b, p, ox.Literal("x"))
>>> str(relabel(t, blank_labels([t])))
'_:b695177107af52d55 <https://e.org/p> "x"'
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Statement = ox.Triple | ox.Quad


def blank_labels(statements: Iterable[Statement]) -> dict[ox.BlankNode, str]:
    """A label for every blank node, from a hash of the statements around it.

    Hashes are refined within each group of connected blank nodes only, so a label
    does not change when unrelated parts of the graph do. Identical groups are told
    apart by a suffix (``_1``...), identical nodes within a group by ``x1``...

    >>> p, a, b = ox.NamedNode("https://e.org/p"), ox.BlankNode("one"), ox.BlankNode("two")
    >>> blank_labels([ox.Triple(a, p, ox.Literal("x"))])[a]
    'b695177107af52d55'
    >>> blank_labels([ox.Triple(b, p, ox.Literal("x"))])[b]  # same content, same label
    'b695177107af52d55'
    """
    edges: dict[ox.BlankNode, list[tuple[str, str, Term]]] = {}
    for st in statements:
        graph = str(st.graph_name) if isinstance(st, ox.Quad) else ""
        s, p, o = st.subject, st.predicate.value, st.object
        if isinstance(s, ox.BlankNode):
            edges.setdefault(s, []).append((">" + graph, p, o))
        if isinstance(o, ox.BlankNode):
            edges.setdefault(o, []).append(("<" + graph, p, s))
    seen: set[ox.BlankNode] = set()
    components = [_component(start, edges, seen) for start in edges if start not in seen]
    labels: dict[ox.BlankNode, str] = {}
    copies: Counter[str] = Counter()
    for component in components:
        color = _refine(component, edges)
        signature = _hash(sorted(color.values()))
        copy = f"_{copies[signature]}" if copies[signature] else ""
        copies[signature] += 1
        ties: Counter[str] = Counter()
        for node in sorted(component, key=color.get):
            label = "b" + _hash((signature, color[node]))[:16] + copy
            labels[node] = label + (f"x{ties[label]}" if ties[label] else "")
            ties[label] += 1
    return labels


def _hash(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _component(start: ox.BlankNode, edges: dict, seen: set) -> list[ox.BlankNode]:
    todo, out = [start], []
    seen.add(start)
    while todo:
        node = todo.pop()
        out.append(node)
        for _, _, other in edges[node]:
            if isinstance(other, ox.BlankNode) and other not in seen:
                seen.add(other)
                todo.append(other)
    return out


def _refine(nodes: list[ox.BlankNode], edges: dict) -> dict[ox.BlankNode, str]:
    """Colour refinement: hash each node with its neighbours' colours until stable."""
    color = {n: "" for n in nodes}
    classes = 0
    for _ in range(len(nodes) + 1):
        color = {n: _hash((color[n], sorted(
            (d, p, color[o] if isinstance(o, ox.BlankNode) else str(o))
            for d, p, o in edges[n]))) for n in nodes}
        if len(set(color.values())) == classes:
            break
        classes = len(set(color.values()))
    return color


def relabel(statement: Statement, labels: dict[ox.BlankNode, str]) -> Statement:
    """The statement with its blank nodes renamed by ``labels``.

    >>> b = ox.BlankNode("x1")
    >>> str(relabel(ox.Triple(b, ox.NamedNode("https://e.org/p"), b), {b: "n"}))
    '_:n <https://e.org/p> _:n'
    """
    def term(t):
        return ox.BlankNode(labels[t]) if isinstance(t, ox.BlankNode) else t

    s, o = term(statement.subject), term(statement.object)
    if isinstance(statement, ox.Quad):
        return ox.Quad(s, statement.predicate, o, statement.graph_name)
    return ox.Triple(s, statement.predicate, o)


def nestable(candidates: set[ox.BlankNode], parent: dict) -> set[ox.BlankNode]:
    """Blank nodes referenced once whose chain of referrers reaches a written subject."""
    status: dict[ox.BlankNode, bool] = {}
    for start in candidates:
        chain, seen, node = [], set(), start
        while node in candidates and node not in status and node not in seen:
            chain.append(node)
            seen.add(node)
            node = parent[node]
        ok = status.get(node, node not in candidates)
        status.update(dict.fromkeys(chain, ok))
    return {b for b, ok in status.items() if ok}
