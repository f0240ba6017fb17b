"""A picture's data: its query's rows, filtered by the picture's parameters, as records.

``-p`` values go to the picture's own parameters (filters, choices) or, when the picture does
not declare the name, to its query. Each record maps a column to a JSON value: an IRI
becomes its CURIE (with ``<column>Label``, its label in the chosen language), a number a
number, any other literal its lexical form (with ``<column>Label`` when the definition
translates it); an ``iris`` column becomes a list of CURIEs (with a list of labels).

>>> decade_of("2013-11-21"), decade_of("1985")
(2010, 1980)
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.look.definitions import Picture
from kgtool.prefixes import PrefixMap
from kgtool.query import NamedQuery, bindings, check_safety, execute, resolve
from kgtool.vocab import XSD

NUMBERS = {XSD + name for name in ("integer", "decimal", "double", "float", "int", "long")}
_LABELS = ("<http://www.w3.org/2000/01/rdf-schema#label>|"
           "<http://www.w3.org/2004/02/skos/core#prefLabel>")


@dataclass(frozen=True)
class Table:
    """What a picture draws: the query, the chosen parameter values and the records."""

    picture: Picture
    query: NamedQuery
    lang: str
    choices: dict[str, str]  # choice parameter -> chosen value
    filters: dict[str, str]  # filter parameter -> what it is shown for (label or decade)
    records: list[dict]


def decade_of(value: str) -> int | None:
    """The decade of a date, year-month or year literal (None if it has no year)."""
    digits = value.lstrip("-")[:4]
    return int(digits) // 10 * 10 if digits.isdigit() else None


def _decade(value: str) -> int:
    text = value.removesuffix("s")
    if not (text.isdigit() and len(text) == 4 and int(text) % 10 == 0):
        raise UsageError(f"{value!r} is not a decade", hint="give a decade as 2010s or 2010")
    return int(text)


def split_params(picture: Picture, given: list[tuple[str, str]], prefixes: PrefixMap
                 ) -> tuple[dict[str, str], dict[str, object], list[tuple[str, str]]]:
    """Sort ``-p`` pairs into the picture's choices, its filters (IRIs expanded, decades as
    numbers) and the pairs left for its query."""
    choices = {name: p.default for name, p in picture.params.items() if p.kind == "choice"}
    filters: dict[str, object] = {}
    rest = []
    for name, value in given:
        name = name.lstrip("?$")
        param = picture.params.get(name)
        if param is None:
            rest.append((name, value))
        elif param.kind == "choice":
            if value not in param.choices:
                raise UsageError(f"{picture.name}: {value!r} is not a choice of {name}",
                                 hint="choices: " + ", ".join(param.choices))
            choices[name] = value
        elif param.kind == "decade":
            filters[name] = _decade(value)
        else:
            filters[name] = prefixes.expand(value)
    return choices, filters, rest


def _keep(picture: Picture, filters: dict[str, object], variables: tuple[str, ...]):
    index = {name: i for i, name in enumerate(variables)}

    def values(row, column) -> list[str]:
        term = row[index[column]] if column in index else None
        if term is None:
            return []
        return term.value.split() if picture.columns.get(column) == "iris" else [term.value]

    def keep(row) -> bool:
        for name, wanted in filters.items():
            param = picture.params[name]
            found = [v for column in param.filter for v in values(row, column)]
            if param.kind == "decade":
                if wanted not in {decade_of(v) for v in found}:
                    return False
            elif wanted not in found:
                return False
        return True

    return keep


def labels_in(engine, iris: set[str], lang: str) -> dict[str, str]:
    """A label of each IRI in ``lang``, else in English (rdfs:label or skos:prefLabel)."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = engine.query(
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s {_LABELS} ?l "
        f"FILTER (LANGMATCHES(LANG(?l), '{lang}') || LANGMATCHES(LANG(?l), 'en')) }}").rows
    found: dict[str, tuple[int, str]] = {}
    for subject, label in rows:
        rank = 0 if label.language == lang else 1
        best = found.get(subject.value)
        if best is None or (rank, label.value) < best:
            found[subject.value] = (rank, label.value)
    return {iri: label for iri, (_, label) in found.items()}


def _cell(term, column: str, picture: Picture, prefixes: PrefixMap, lang: str,
          labels: dict[str, str], record: dict) -> None:
    if picture.columns.get(column) == "iris":
        iris = term.value.split() if term is not None else []
        record[column] = [prefixes.shorten(i) for i in iris]
        record[column + "Label"] = [labels.get(i, prefixes.shorten(i)) for i in iris]
    elif term is None:
        return
    elif isinstance(term, ox.NamedNode):
        record[column] = prefixes.shorten(term.value)
        record[column + "Label"] = labels.get(term.value, record[column])
    elif isinstance(term, ox.Literal) and term.datatype.value in NUMBERS:
        number = float(term.value)
        record[column] = int(number) if number.is_integer() else number
    else:
        boolean = term.datatype.value == XSD + "boolean"
        record[column] = term.value in ("true", "1") if boolean else term.value
        translated = picture.values.get(column, {}).get(term.value)
        if translated:
            record[column + "Label"] = translated[lang]


def picture_table(engine, project, picture: Picture, params: list[tuple[str, str]], *,
                  lang: str = "en", timeout: float = 30.0) -> Table:
    """Run the picture's query with its parameters and turn the kept rows into records."""
    from kgtool.engine import Solutions

    prefixes = PrefixMap.from_context(project.context_path)
    choices, filters, rest = split_params(picture, params, prefixes)
    query = resolve(project, picture.query)
    check_safety(query)
    try:
        subs = bindings(query, rest, prefixes)
    except UsageError as error:
        own = ", ".join(picture.params) or "none"
        raise UsageError(f"{picture.name}: {error.message}",
                         hint=f"{error.hint}; the picture's own parameters: {own}") from None
    result = execute(engine, query, subs, timeout=timeout).result
    if not isinstance(result, Solutions):
        raise UsageError(f"{picture.display}: its query {query.name} is not a SELECT",
                         hint="a picture draws the rows of a SELECT query")
    keep = _keep(picture, filters, result.variables)
    rows = [row for row in result.rows if keep(row)]
    iris = {v for row in rows for column, term in zip(result.variables, row, strict=True)
            if term is not None for v in (term.value.split() if picture.columns.get(column)
                                          == "iris" else [term.value])
            if isinstance(term, ox.NamedNode) or picture.columns.get(column) == "iris"}
    wanted = {v for name, v in filters.items() if picture.params[name].kind == "iri"}
    labels = labels_in(engine, iris | wanted, lang)
    records = []
    for row in rows:
        record: dict = {}
        for column, term in zip(result.variables, row, strict=True):
            _cell(term, column, picture, prefixes, lang, labels, record)
        records.append(record)
    shown = {name: f"{value}s" if isinstance(value, int) else labels.get(value, value)
             for name, value in filters.items()}
    return Table(picture, query, lang, choices, shown, records)
