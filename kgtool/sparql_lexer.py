"""A SPARQL 1.1 tokenizer that finds what a query does, without running it.

Strings, IRIs, comments, variables and prefixed names are consumed as whole tokens,
so a keyword is only ever seen where the grammar puts one: ``ex:SERVICE``,
``?service``, ``"SERVICE"`` and ``# SERVICE`` are not the SERVICE keyword.

>>> analyse("SELECT * WHERE { SERVICE SILENT ?e { ?s ?p ?o } }").uses_service
True
>>> analyse('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE').uses_service
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: the first alternative that matches at a position wins. Non-ASCII name
# characters are [^\x00-\xBF] (from U+00C0 on, as SPARQL's PN_CHARS_BASE): a big range
# such as \u00C0-\uFFFF inside a class costs 15 ms to compile at every start.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$](?:[A-Za-z0-9_\u00B7]|[^\x00-\xBF])+)
  | (?P<pname>(?:(?:[A-Za-z]|[^\x00-\xBF])(?:[\w.\-\u00B7]|[^\x00-\xBF])*)?
              :(?:[\w\-.:%\\\u00B7]|[^\x00-\xBF])*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryFeatures:
    """What a query text does, as far as safety is concerned."""

    form: str | None
    uses_service: bool
    uses_dataset: bool
    update_keyword: str | None


def tokens(text: str) -> list[tuple[str, str]]:
    """The tokens of a query as (kind, text) pairs, white space included.

    >>> [t for t in tokens("ASK{$this ?p 1}") if t[0] != "ws"][:3]
    [('word', 'ASK'), ('other', '{'), ('var', '$this')]
    """
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text)]


def keywords(text: str) -> list[str]:
    """The bare words of a query (keywords and function names), upper-cased, in order.

    >>> keywords("select ?x { ?x a ex:load }")
    ['SELECT', 'A']
    """
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def analyse(text: str) -> QueryFeatures:
    """Find the query form, SERVICE, FROM (dataset clauses) and any SPARQL Update keyword.

    >>> analyse("DROP ALL").update_keyword
    'DROP'
    """
    words = keywords(text)
    form = next((w for w in words if w in QUERY_FORMS), None)
    update = next((w for w in words if w in UPDATE_KEYWORDS), None)
    return QueryFeatures(form=form, uses_service="SERVICE" in words,
                         uses_dataset="FROM" in words, update_keyword=update)
