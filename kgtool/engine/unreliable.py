"""Query shapes that Virtuoso 7 answers wrongly and no rewrite makes right: refused there.

A variable given a value by ``BIND`` inside the branches of a ``UNION`` and then read by an
``OPTIONAL`` after that ``UNION`` (in the same group) loses the OPTIONAL's match on some
rows: on the bundled graph, 7 of the 682 rows of ``queries/network.rq`` come back without
their nation. Moving the OPTIONAL into each branch, or the UNION into a sub-SELECT, gives
other wrong rows, so the shape is refused on that store (tests/engine/test_remote_virtuoso.py).

>>> late_optional_on_bound("SELECT * { { BIND (1 AS ?x) } UNION { ?x ?p ?o } "
...                        "OPTIONAL { ?x ?q ?r } }")
'?x'
>>> late_optional_on_bound("SELECT * { { BIND (1 AS ?x) } UNION { ?x ?p ?o } } ") is None
True
"""

from __future__ import annotations

from kgtool.engine.sparql import tokens

_Group = list  # of tokens (kind, text) and nested groups


def late_optional_on_bound(sparql: str) -> str | None:
    """The first variable that a BIND in a UNION branch sets and a later OPTIONAL of the
    same group reads, or None when the query has no such shape."""
    code = [t for t in tokens(sparql) if t[0] not in ("ws", "comment")]
    return _search(_groups(code))


def _groups(code: list[tuple[str, str]]) -> _Group:
    root: _Group = []
    stack = [root]
    for token in code:
        if token == ("other", "{"):
            child: _Group = []
            stack[-1].append(child)
            stack.append(child)
        elif token == ("other", "}") and len(stack) > 1:
            stack.pop()
        else:
            stack[-1].append(token)
    return root


def _search(group: _Group) -> str | None:
    bound: set[str] = set()
    for i, item in enumerate(group):
        if not isinstance(item, list):
            continue
        before = group[i - 1] if i else None
        after = group[i + 1] if i + 1 < len(group) else None
        if _is_word(before, "UNION") or _is_word(after, "UNION"):
            bound |= _bound_by_bind(item)
        elif _is_word(before, "OPTIONAL"):
            read = _variables(item) & bound
            if read:
                return min(read)
        found = _search(item)
        if found:
            return found
    return None


def _is_word(item, word: str) -> bool:
    return isinstance(item, tuple) and item[0] == "word" and item[1].upper() == word


def _flat(group: _Group):
    for item in group:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def _bound_by_bind(group: _Group) -> set[str]:
    flat = list(_flat(group))
    return {flat[i + 1][1] for i, t in enumerate(flat[:-1])
            if _is_word(t, "AS") and flat[i + 1][0] == "var"}


def _variables(group: _Group) -> set[str]:
    return {text for kind, text in _flat(group) if kind == "var"}
