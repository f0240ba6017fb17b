"""Text that must stay valid where it goes: characters that XML 1.0 cannot carry.

XML 1.0 (section 2.2) allows tab, line feed, carriage return and the characters from U+0020
on, except the surrogates and U+FFFE/U+FFFF. A literal with another character (a form feed,
an escape) cannot be written as RDF/XML or as SPARQL XML results: no XML parser would read
the file back. Validation refuses such literals; the XML writers check before they write.

>>> xml_problem("fine\\ttext"), xml_problem("form\\x0cfeed")
(None, 'U+000C')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache


@cache
def _not_xml() -> re.Pattern:
    """Compiled on first use: the class spans the astral planes, 6 ms to compile."""
    return re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_problem(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 forbids, as ``U+XXXX``, or None."""
    match = _not_xml().search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def first_xml_problem(terms: Iterable) -> tuple[object, str] | None:
    """The first term (an IRI, blank node or literal, with ``.value``) whose text XML 1.0
    cannot carry, and the character, or None.

    >>> import pyoxigraph as ox
    >>> first_xml_problem([ox.Literal("a"), ox.Literal("b\\x01")])[1]
    'U+0001'
    """
    for term in terms:
        if term is not None and (char := xml_problem(term.value)):
            return term, char
    return None


def refuse_xml_problem(terms: Iterable, what: str) -> None:
    """InputError (exit 3) when a term holds a character that XML 1.0 cannot carry."""
    from kgtool.errors import InputError

    found = first_xml_problem(terms)
    if found is not None:
        term, char = found
        raise InputError(f"{what} holds {term.value[:60]!r}, with the character {char} that "
                         "XML 1.0 forbids: no XML parser could read it back",
                         hint="use another format (JSON, CSV, TSV; N-Triples or Turtle for "
                              "RDF), and fix the literal (validation refuses such characters)")


def read_stdin_text() -> str:
    """All of standard input as text, or InputError when it is closed (``<&-``)."""
    import sys

    from kgtool.errors import InputError

    if sys.stdin is None:
        raise InputError("<stdin>: standard input is closed",
                         hint="pipe the query or submission in, or name a file")
    return sys.stdin.read()
