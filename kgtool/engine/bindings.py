"""Pre-binding in SPARQL text: VALUES blocks that open a query's WHERE group.

pyoxigraph pre-binds only projected variables, and the SPARQL 1.1 Protocol has no
pre-binding at all, so a parameter (``kgtool query -p``) or a set of focus nodes (the
hygiene checks of a submission) travels as a VALUES block of serialized terms.

>>> with_value_rows("ASK { ?s ?p ?o }", "s", [ox.NamedNode("https://e.org/a")])
'ASK { VALUES ?s { <https://e.org/a> } ?s ?p ?o }'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.errors import UsageError

if TYPE_CHECKING:
    from kgtool.engine.base import Term


def with_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """Bind variables with a VALUES block that opens the query's WHERE group.

    A VALUES block at the start of the group joins with everything in it, FILTERs and
    OPTIONALs included, which is what pre-binding means for the queries we run. Queries
    without a WHERE group (``DESCRIBE <x>``, ``CONSTRUCT WHERE``) get a trailing VALUES.

    >>> with_values("SELECT ?n WHERE { ?s ?p ?n }", {"s": ox.NamedNode("https://e.org/a")})
    'SELECT ?n WHERE { VALUES (?s) { (<https://e.org/a>) } ?s ?p ?n }'
    """
    if not substitutions:
        return sparql
    names = sorted(substitutions)
    for name in names:
        if not isinstance(substitutions[name], ox.NamedNode | ox.Literal):
            raise UsageError(f"?{name} can only be bound to an IRI or a literal",
                             hint="give an IRI, CURIE or literal value")
    return _open_where(sparql, f"VALUES ({' '.join('?' + n for n in names)}) "
                               f"{{ ({' '.join(str(substitutions[n]) for n in names)}) }}")


def with_value_rows(sparql: str, name: str, terms: Iterable[Term]) -> str:
    """Bind ``?name`` to each of ``terms`` in turn, with one VALUES block as in
    :func:`with_values`: one run of the query instead of one per term.

    >>> with_value_rows("SELECT ?s WHERE { ?s ?p ?o }", "s", [ox.NamedNode("https://e.org/a")])
    'SELECT ?s WHERE { VALUES ?s { <https://e.org/a> } ?s ?p ?o }'
    """
    return _open_where(sparql, f"VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}")


def _open_where(sparql: str, block: str) -> str:
    """Insert ``block`` at the start of the WHERE group (or after the query, if none)."""
    head, tail = _split_at_where(sparql)
    return f"{sparql}\n{block}" if tail is None else f"{head} {block}{tail}"


@lru_cache(maxsize=256)  # the same checks and constraints, bound again for each submission
def _split_at_where(sparql: str) -> tuple[str, str | None]:
    """The query up to the ``{`` that opens its WHERE group, and the rest (None: no group).

    >>> _split_at_where("ASK { ?s ?p ?o }")
    ('ASK {', ' ?s ?p ?o }')
    """
    from kgtool.engine.sparql import tokens

    parts = tokens(sparql)
    where = _where_group(parts)
    if where is None:
        return sparql, None
    return "".join(t for _, t in parts[:where + 1]), "".join(t for _, t in parts[where + 1:])


def _where_group(parts: list[tuple[str, str]]) -> int | None:
    """The index of the ``{`` that opens the WHERE group, or None."""
    braces = parens = 0
    words: list[str] = []
    form = None
    for index, (kind, text) in enumerate(parts):
        if kind in ("ws", "comment"):
            continue
        if kind == "word":
            words.append(text.upper())
            form = form or next((w for w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
                                 if w == words[-1]), None)
        elif text in ("(", ")") and kind == "other":
            parens += 1 if text == "(" else -1
        elif text == "{" and kind == "other":
            if braces == 0 and parens == 0:
                after_where = bool(words) and words[-1] == "WHERE"
                if form != "CONSTRUCT" or (after_where and words[-2:-1] != ["CONSTRUCT"]):
                    return index
            braces += 1
        elif text == "}" and kind == "other":
            braces -= 1
        if kind != "word":
            words.append("")
    return None
