"""A ``-p NAME VALUE`` parameter as an RDF term of its declared kind, checked with the rules
of the term itself: an IRI as RFC 3987 (and pyoxigraph) reads it, a date and a year in the
lexical space of ``xsd:date`` and ``xsd:gYear`` with real calendar days, a number as
``xsd:integer`` or ``xsd:decimal``. A value the type would call ill-typed is refused (exit 2),
never bound as a literal that no query can compare.

>>> from kgtool.prefixes import PrefixMap
>>> bind_value("date", "2024-02-29", PrefixMap({})).value
'2024-02-29'
>>> bind_value("date", "2023-02-29", PrefixMap({}))
Traceback (most recent call last):
kgtool.errors.UsageError: '2023-02-29' is not a date: February 2023 has 28 days
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.vocab import XSD

if TYPE_CHECKING:
    from kgtool.prefixes import PrefixMap

# XSD 1.1 Part 2 lexical spaces, in ASCII digits only (``\d`` would take Arabic-Indic ones);
# matched whole with fullmatch (``$`` would let a trailing newline through); compiled on
# first use (re's cache), not at every start of ``kgtool query``
_YEAR = r"(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))"
_ZONE = r"(Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DATE = rf"{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_ZONE}"
_GYEAR = _YEAR + _ZONE
_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_TAGGED = r'"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)'


def _literal(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _date(value: str) -> ox.Literal:
    match = re.fullmatch(_DATE, value)
    if match is None:
        raise UsageError(f"{value!r} is not YYYY-MM-DD", hint="give the date as YYYY-MM-DD")
    import calendar

    year, month, day = int(match[1]), int(match[2]), int(match[3])
    days = calendar.mdays[month] + (month == 2 and calendar.isleap(year))
    if day > days:
        raise UsageError(f"{value!r} is not a date: {calendar.month_name[month]} {year} has "
                         f"{days} days", hint="give a day that exists, as YYYY-MM-DD")
    return _literal(value, "date")


def _iri(value: str, prefixes: PrefixMap) -> ox.NamedNode:
    iri = prefixes.expand(value)
    problem = None
    if re.search(r'[\s<>"{}|^`\\\x00-\x1f\x7f-\x9f]', iri):
        problem = "IRIs have no spaces, quotes, angle brackets or control characters"
    else:
        try:
            return ox.NamedNode(iri)
        except ValueError as error:
            problem = f"it is not an absolute IRI ({error})"
    raise UsageError(f"{value!r} is not a valid IRI",
                     hint=f"{problem}; give an absolute IRI or a CURIE such as nation:sau")


def bind_value(kind: str, value: str, prefixes: PrefixMap) -> ox.NamedNode | ox.Literal:
    """Turn a ``-p`` value into an RDF term of the declared kind (UsageError if it is not one).

    >>> from kgtool.prefixes import PrefixMap
    >>> bind_value("date", "2020-10-13", PrefixMap({})).datatype.value
    'http://www.w3.org/2001/XMLSchema#date'
    """
    if kind == "iri":
        return _iri(value, prefixes)
    if kind == "date":
        return _date(value)
    if kind == "year":
        if not re.fullmatch(_GYEAR, value):
            raise UsageError(f"{value!r} is not YYYY", hint="give the year as YYYY")
        return _literal(value, "gYear")
    if kind == "number":
        if re.fullmatch(_INTEGER, value):
            return _literal(value, "integer")
        if re.fullmatch(_DECIMAL, value):
            return _literal(value, "decimal")
        raise UsageError(f"{value!r} is not a decimal number",
                         hint="give the number as digits, with an optional sign and '.'")
    tagged = re.fullmatch(_TAGGED, value, re.DOTALL)
    if tagged:
        return ox.Literal(tagged[1], language=tagged[2].lower())
    return ox.Literal(value)
