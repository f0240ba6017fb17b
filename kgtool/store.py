"""The engine behind one interface: an embedded pyoxigraph store (or, later, a remote endpoint).

Every loaded file goes into its own named graph, ``GRAPH_BASE + <path in the project>``,
so results can say where a triple came from. User queries see the ontology and data
graphs as their default graph; shapes are loaded too, for the hygiene checks.

>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/a> <https://e.org/p> "x" .', "data/a.nt", part="data")
1
>>> store.query('SELECT ?o WHERE { ?s ?p ?o }').rows[0][0].value
'x'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from kgtool.errors import InputError

if TYPE_CHECKING:
    from kgtool.project import Project

GRAPH_BASE = "https://w3id.org/spacecoop/graph/"
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

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Solutions:
    """The answer to a SELECT: variable names and rows of terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: list[tuple[Term | None, ...]]


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
    """What every engine offers: SPARQL over the project graph, and its size."""

    description: str

    def query(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None,
        parts: Iterable[str] = QUERYABLE_PARTS, display: str = "query",
    ) -> QueryResult: ...

    def triple_count(self) -> int: ...


def graph_iri(relpath: str) -> str:
    """The named graph that holds one project file.

    >>> graph_iri("data/nations.ttl")
    'https://w3id.org/spacecoop/graph/data/nations.ttl'
    """
    return GRAPH_BASE + relpath


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


class EmbeddedStore:
    """An in-memory pyoxigraph store with one named graph per loaded file."""

    description = "embedded pyoxigraph store"

    def __init__(self) -> None:
        self.store = ox.Store()
        self.graphs: dict[str, list[str]] = {}

    def load_text(self, text: str | bytes, display: str, *, part: str) -> int:
        """Load RDF text under the graph of ``display``; returns the triples added."""
        return self._load(display, part, input=text)

    def load_file(self, path: Path, display: str, *, part: str) -> int:
        """Load one file into its graph, or raise InputError with file:line:col."""
        try:
            return self._load(display, part, path=str(path))
        except OSError as error:
            raise InputError(
                f"{display}: cannot read file ({error.strerror or error})",
                hint="check that the file exists and is readable",
            ) from None

    def _load(self, display: str, part: str, **source: object) -> int:
        graph = ox.NamedNode(graph_iri(display))
        before = len(self.store)
        try:
            self.store.load(format=rdf_format(display), to_graph=graph, **source)
        except SyntaxError as error:
            raise syntax_error(display, error) from None
        self.graphs.setdefault(part, []).append(graph.value)
        return len(self.store) - before

    def default_graph(self, parts: Iterable[str] = QUERYABLE_PARTS) -> list[ox.NamedNode]:
        """The named graphs of the given parts, which queries see as their default graph."""
        return [ox.NamedNode(g) for part in parts for g in self.graphs.get(part, [])]

    def query(
        self, sparql: str, *, substitutions: Mapping[str, Term] | None = None,
        parts: Iterable[str] = QUERYABLE_PARTS, display: str = "query",
    ) -> QueryResult:
        """Run SPARQL over the graphs of ``parts``; variables pre-bound by ``substitutions``."""
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        try:
            result = self.store.query(
                sparql, default_graph=self.default_graph(parts) or ox.DefaultGraph(),
                substitutions=subs or None,
            )
        except SyntaxError as error:
            raise query_syntax_error(display, error) from None
        except RuntimeError as error:
            if "SELECT projection" not in str(error):
                raise
            raise InputError(f"{display}: a parameter must be a variable of the SELECT clause "
                             f"({error})", hint="add the parameter variable to SELECT") from None
        return to_result(result)

    def triple_count(self) -> int:
        """Triples in the queryable graph (ontology and data), counted per file."""
        return sum(
            sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
            for graph in self.default_graph()
        )


def to_result(result: object) -> QueryResult:
    """Convert a pyoxigraph answer to a typed result."""
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        return Solutions(variables, [tuple(s[v] for v in variables) for s in result])
    if isinstance(result, ox.QueryBoolean):
        return Boolean(bool(result))
    return Triples(list(result))


def load_project(project: Project, parts: Iterable[str] = ("ontology", "data", "shapes"),
                 ) -> EmbeddedStore:
    """Load the project's files, each into its own graph.

    >>> from kgtool.project import find_project
    >>> load_project(find_project(), parts=("ontology",)).triple_count() > 0
    True
    """
    engine = EmbeddedStore()
    files = {"ontology": project.ontology_files, "data": project.data_files,
             "shapes": project.shape_files, "examples": project.example_files}
    for part in parts:
        for path in files[part]():
            engine.load_file(path, project.relative(path), part="data" if part == "examples"
                             else part)
    return engine


def open_engine(project: Project) -> Engine:
    """The engine for a project: the embedded store of its files."""
    return load_project(project)
