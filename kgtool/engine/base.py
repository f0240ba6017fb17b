"""The engine's shared vocabulary: per-file graph names, typed answers, the Engine protocol.

Every loaded file goes into its own named graph, ``GRAPH_BASE + <path in the project>``, so
results can say where a triple came from. An engine answers SPARQL with a typed result:
:class:`Solutions` for a SELECT, :class:`Boolean` for an ASK, :class:`Triples` for a
CONSTRUCT or DESCRIBE.

>>> graph_iri("data/nations.ttl")
'https://w3id.org/spacecoop/graph/data/nations.ttl'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kgtool.errors import InputError

GRAPH_BASE = "https://w3id.org/spacecoop/graph/"
SUBMISSION_GRAPH = GRAPH_BASE + "submission"
QUERYABLE_PARTS = ("ontology", "data")

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
_PARSER_POSITION = re.compile(
    r"^Parser error (?:at line \d+ (?:column \d+|between columns \d+ and \d+)"
    r"|between line \d+ column \d+ and line \d+ column \d+): "
)
_QUERY_POSITION = re.compile(r"^error at (\d+):(\d+): ")
PROJECT_PARTS = ("ontology", "data", "shapes")

Term = ox.NamedNode | ox.BlankNode | ox.Literal
@dataclass(frozen=True)
class Solutions:
    """The answer to a SELECT: variable names and rows of terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: list[tuple[Term | None, ...]]


@dataclass(frozen=True)
class SolutionStream:
    """The answer to a SELECT read as it is wanted: variable names and an iterator of rows,
    one pass (:meth:`kgtool.engine.EmbeddedStore.query` with ``lazy=True``)."""

    variables: tuple[str, ...]
    rows: Iterator[tuple[Term | None, ...]]


@dataclass(frozen=True)
class Boolean:
    """The answer to an ASK."""

    value: bool


@dataclass(frozen=True)
class Triples:
    """The answer to a CONSTRUCT or DESCRIBE."""

    triples: list[ox.Triple]


QueryResult = Solutions | Boolean | Triples


class Engine(Protocol):
    """What every engine offers: SPARQL over the project graph, its size, graphs and quads."""

    description: str

    def query(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None,
        parts: Iterable[str] = QUERYABLE_PARTS, display: str = "query",
        allow_service: bool = False,
    ) -> QueryResult: ...

    def triple_count(self) -> int: ...

    def default_graph(self, parts: Iterable[str] = QUERYABLE_PARTS) -> list[ox.NamedNode]: ...

    def quads(self, parts: Iterable[str] = QUERYABLE_PARTS) -> Iterator[ox.Quad]: ...


def graph_iri(relpath: str) -> str:
    """The named graph that holds one project file.

    >>> graph_iri("data/nations.ttl")
    'https://w3id.org/spacecoop/graph/data/nations.ttl'
    """
    return GRAPH_BASE + relpath


def graph_part(iri: str) -> str | None:
    """The part a per-file graph holds, from its IRI (None for other graphs).

    >>> graph_part("https://w3id.org/spacecoop/graph/ontology/shapes/core.ttl")
    'shapes'
    """
    if not iri.startswith(GRAPH_BASE):
        return None
    path = iri[len(GRAPH_BASE):]
    for prefix, part in (("ontology/shapes/", "shapes"), ("ontology/examples/", "examples"),
                         ("ontology/", "ontology"), ("data/", "data")):
        if path.startswith(prefix):
            return part
    return None


def rdf_format(path: Path | str) -> ox.RdfFormat:
    """The RDF format for a file name, by its extension.

    >>> rdf_format("data/nations.ttl") == ox.RdfFormat.TURTLE
    True
    """
    suffix = Path(path).suffix.lower()
    try:
        return _FORMATS[suffix]
    except KeyError:
        raise InputError(
            f"{path}: unknown RDF file extension {suffix or '(none)'}",
            hint="use one of " + ", ".join(sorted(_FORMATS)),
        ) from None


def syntax_error(display: str, error: SyntaxError) -> InputError:
    """Turn a pyoxigraph parser error into ``file:line:col: message``."""
    message = _PARSER_POSITION.sub("", str(error))
    message = re.sub(r" \((?:[^()]*, )?line \d+\)$", "", message)
    where = display if error.lineno is None else f"{display}:{error.lineno}:{error.offset or 1}"
    return InputError(f"{where}: {message}", hint="fix the syntax at that position and retry")


def query_syntax_error(display: str, error: SyntaxError) -> InputError:
    """Turn a SPARQL parser error into ``name:line:col: message``.

    >>> query_syntax_error("q.rq", SyntaxError("error at 2:7: expected ...")).message
    'q.rq:2:7: expected ...'
    """
    text = str(error)
    match = _QUERY_POSITION.match(text)
    where = f"{display}:{match[1]}:{match[2]}" if match else display
    return InputError(
        f"{where}: {text[match.end():] if match else text}",
        hint="fix the SPARQL at that position (see https://www.w3.org/TR/sparql11-query/)",
    )


def to_result(result: object, lazy: bool = False) -> QueryResult | SolutionStream:
    """Convert a pyoxigraph answer to a typed result (a SolutionStream if ``lazy``)."""
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = (tuple(s) for s in result)  # in the order of the variables, None if unbound
        return SolutionStream(variables, rows) if lazy else Solutions(variables, list(rows))
    if isinstance(result, ox.QueryBoolean):
        return Boolean(bool(result))
    return Triples(list(result))

