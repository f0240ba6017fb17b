"""A SPARQL 1.1 tokenizer that finds what a query does, without running it.

Strings, IRIs, comments, variables and prefixed names are consumed as whole tokens by the
terminals of the SPARQL 1.1 grammar (section 19.8), ``PN_LOCAL`` escapes such as ``ex:a\\#b``
included, so a keyword is only ever seen where the grammar puts one: ``ex:SERVICE``,
``?service``, ``"SERVICE"`` and ``# SERVICE`` are not the SERVICE keyword.

pyoxigraph's parser matches keywords without a word boundary (``SERVICESILENT``,
``trueSERVICE``, ``FROMNAMED`` and the prefixed name ``SERVICE:x`` all reach a SERVICE or
FROM clause), so the check fails closed: a bare word or a prefix that *contains* SERVICE or
FROM counts as one.

>>> analyse("SELECT * WHERE { SERVICE SILENT ?e { ?s ?p ?o } }").uses_service
True
>>> analyse('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE').uses_service
False
>>> analyse("SELECT * WHERE { BIND (ex:a\\\\#x AS ?z) SERVICE <http://e.org/> {} }").uses_service
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Name characters outside ASCII are [^\x00-\xBF] (from U+00C0 on, as PN_CHARS_BASE starts): a
# wider set than the grammar's, which only ever makes a token longer where the grammar has a
# syntax error, and a big range such as \u00C0-\uFFFF costs 15 ms to compile at every start.
_U = r"[^\x00-\xBF]"
_PN_CHARS = rf"(?:[A-Za-z0-9_\-\u00B7]|{_U})"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"(?:[A-Za-z]|{_U})(?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?"
_PN_LOCAL = (rf"(?:[A-Za-z0-9_:]|{_U}|{_PLX})"
             rf"(?:(?:{_PN_CHARS}|[.:]|{_PLX})*(?:{_PN_CHARS}|:|{_PLX}))?")
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

# Order matters: the first alternative that matches at a position wins.
_TOKEN = re.compile(
    rf"""
    (?P<ws>[\x20\t\r\n]+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<var>[?$](?:[A-Za-z0-9_\u00B7]|{_U})+)
  | (?P<bnode>_:(?:[A-Za-z0-9_]|{_U})(?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?)
  | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
  | (?P<word>(?:[A-Za-z_]|{_U})(?:[A-Za-z0-9_]|{_U})*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

#: pyoxigraph's parser recurses on nested groups and on chains of operators, and overflows
#: its stack (the process aborts) from 300 nested lists, 700 nested blank nodes, 3,000 braces
#: or 10,000 UNIONs or ``||``: these bounds, checked on the tokens, stay well below.
MAX_NESTING = 64
MAX_CHAIN = 512
_OPENERS, _CLOSERS = frozenset("({["), frozenset(")}]")
_OPERATORS = frozenset("|&/^!+-*=<>")


@dataclass(frozen=True)
class QueryFeatures:
    """What a query text does, as far as safety is concerned."""

    form: str | None
    uses_service: bool
    uses_dataset: bool
    update_keyword: str | None


def tokens(text: str) -> list[tuple[str, str]]:
    """The tokens of a query as (kind, text) pairs, white space included.

    >>> [t for t in tokens("ASK{$this ?p ex:a\\\\#b}") if t[0] != "ws"]
    [('word', 'ASK'), ('other', '{'), ('var', '$this'), ('var', '?p'), ('pname', 'ex:a\\\\#b'), \
('other', '}')]
    """
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text)]


def keywords(text: str) -> list[str]:
    """The bare words of a query (keywords and function names), upper-cased, in order.

    >>> keywords("select ?x { ?x a ex:load }")
    ['SELECT', 'A']
    """
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def _names(text: str) -> list[str]:
    """Bare words and the prefixes of prefixed names, upper-cased: where a keyword can hide."""
    out = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            out.append(match.group().upper())
        elif match.lastgroup == "pname":
            out.append(match.group().partition(":")[0].upper())
    return out


@lru_cache(maxsize=512)  # the same queries come again: checks, constraints, a server's
def analyse(text: str) -> QueryFeatures:
    """Find the query form, SERVICE, FROM (dataset clauses) and any SPARQL Update keyword.

    >>> analyse("DROP ALL").update_keyword
    'DROP'
    >>> analyse("PREFIX s: <http://e.org/> SELECT * { SERVICE:x {} }").uses_service
    True
    """
    words = keywords(text)
    names = _names(text)
    form = next((w for w in words if w in QUERY_FORMS), None)
    update = next((w for w in words if w in UPDATE_KEYWORDS), None)
    return QueryFeatures(form=form, uses_service=any("SERVICE" in n for n in names),
                         uses_dataset=any("FROM" in n for n in names), update_keyword=update)


@lru_cache(maxsize=512)
def nesting_problem(text: str) -> str | None:
    """Why the engine's parser could not take ``text`` without overflowing its stack: more
    than MAX_NESTING levels of ``{ ( [``, or more than MAX_CHAIN UNIONs or operator
    characters (``||``, ``&&``, ``/``, ``!``...) in one group; None when it can.

    >>> nesting_problem("SELECT * WHERE " + "{" * 65 + "}" * 65)
    'more than 64 levels of nested braces, parentheses or brackets'
    >>> nesting_problem("ASK { FILTER(" + " || ".join(["?o"] * 300) + ") }")
    'more than 512 UNIONs or operators (||, &&, /, ...) in a chain'
    >>> nesting_problem("SELECT * WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } }") is None
    True
    """
    chains = [0]
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "other":
            if token in _OPENERS:
                chains.append(0)
                if len(chains) > MAX_NESTING + 1:
                    return (f"more than {MAX_NESTING} levels of nested braces, parentheses or "
                            "brackets")
                continue
            if token in _CLOSERS:
                if len(chains) > 1:  # an unbalanced closer is the parser's syntax error
                    chains.pop()
                continue
        if (kind == "other" and token in _OPERATORS) or (
                kind == "word" and token.upper() == "UNION"):
            chains[-1] += 1
            if chains[-1] > MAX_CHAIN:
                return f"more than {MAX_CHAIN} UNIONs or operators (||, &&, /, ...) in a chain"
    return None


def refuse_too_deep(text: str, display: str = "query") -> None:
    """InputError (exit 3) for a query nested too deeply for the engine (:func:`nesting_problem`).

    >>> refuse_too_deep("ASK " + "{" * 100 + "}" * 100, "q.rq")
    Traceback (most recent call last):
    kgtool.errors.InputError: q.rq: the query is nested too deeply for the engine (more than \
64 levels of nested braces, parentheses or brackets)
    """
    from kgtool.errors import InputError

    problem = nesting_problem(text)
    if problem:
        raise InputError(f"{display}: the query is nested too deeply for the engine ({problem})",
                         hint="write it flatter: fewer nested groups, and VALUES or IN instead "
                              "of long chains of UNION or ||")


def refuse_unsafe(text: str, display: str = "query", *, allow_service: bool = False) -> None:
    """Refuse SPARQL Update always, and SERVICE and FROM unless ``allow_service``; refuse a
    query nested too deeply for the engine's parser (:func:`refuse_too_deep`, exit 3).

    Every query kgtool runs passes here (named queries, files, hygiene checks, the SPARQL of
    the shapes, the library's own queries), so none can make the engine call another server.

    >>> refuse_unsafe("SELECT * { SERVICE <http://e.org/> {} }", "q.rq")
    Traceback (most recent call last):
    kgtool.errors.UsageError: q.rq: SERVICE would make the engine call another server
    """
    from kgtool.errors import UsageError

    features = analyse(text)
    if features.update_keyword:
        raise UsageError(f"{display}: SPARQL Update ({features.update_keyword}) is refused: "
                         "kgtool queries are read-only", hint="use 'kgtool ingest' to add data")
    refuse_too_deep(text, display)
    if allow_service:
        return
    if features.uses_service:
        raise UsageError(f"{display}: SERVICE would make the engine call another server",
                         hint="pass --allow-service if you trust that endpoint")
    if features.uses_dataset:
        raise UsageError(f"{display}: FROM clauses are refused (they can read other graphs, "
                         "files or URLs)",
                         hint="query the project graph without FROM, or pass --allow-service")


def projection(text: str) -> tuple[str, ...] | None:
    """The variables a SELECT projects, in order; None for ``SELECT *`` or another form.

    >>> projection("SELECT DISTINCT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s")
    ('s', 'n')
    >>> projection("SELECT * { ?s ?p ?o }") is None
    True
    """
    out: list[str] = []
    started = False
    depth = 0
    previous = ""
    for kind, value in tokens(text):
        if kind in ("ws", "comment"):
            continue
        word = value.upper() if kind == "word" else ""
        if not started:
            if word in ("ASK", "CONSTRUCT", "DESCRIBE"):
                return None
            started = word == "SELECT"
            continue
        if depth == 0 and (word == "WHERE" or word == "FROM" or value == "{"):
            break
        if value == "*" and depth == 0:
            return None
        if value in ("(", ")"):
            depth += 1 if value == "(" else -1
        elif kind == "var" and (depth == 0 or previous == "AS"):
            out.append(value[1:])
        previous = word
    return tuple(out) if started else None
