"""The work a server's worker process does: each job opens nothing, reads the engine the worker
holds, and returns a small picklable answer (rendered bytes, or rows with their labels).

>>> sorted(JOBS)
['check', 'entity', 'home', 'picture', 'query', 'search']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from kgtool.engine import Boolean, Solutions, Triples, open_engine
from kgtool.errors import LimitError, UsageError
from kgtool.prefixes import PrefixMap, read_context
from kgtool.project import find_project
from kgtool.query import (
    LabelIndex,
    Match,
    describe,
    describe_triples,
    labels_in,
    project_stats,
    render_boolean,
    render_solutions,
    render_triples,
)
from kgtool.validation import load_checks, parse_bytes, render_report, validate_submission

#: Media type of each answer format (the SPARQL 1.1 result formats and the RDF syntaxes).
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
               "turtle": "text/turtle; charset=utf-8", "json-ld": "application/ld+json",
               "nt": "application/n-triples"}
#: Rows an HTML table shows; the downloads have all of them.
SHOWN_ROWS = 1000


class NotFound(UsageError):
    """The graph holds nothing about an IRI (HTTP 404)."""


@dataclass
class WorkerState:
    """What a worker holds for its whole life: the project, its engine and prefixes."""

    project: object
    engine: object
    prefixes: PrefixMap
    cache: dict = field(default_factory=dict)

    @classmethod
    def open(cls, config) -> WorkerState:
        """Find the project of ``config`` (a :class:`~kgtool.serve.pool.WorkerConfig`) and open
        its engine, as the command line does."""
        import os

        if config.store:
            os.environ["KGTOOL_STORE"] = config.store
        project = find_project(config.root)
        project.endpoint, project.timeout = config.endpoint, config.timeout
        return cls(project, open_engine(project), PrefixMap.from_context(project.context_path))

    @cached_property
    def labels(self) -> LabelIndex:
        return LabelIndex.build(self.engine)


@dataclass(frozen=True)
class Rendered:
    """An answer in a wire format: its bytes and media type."""

    body: bytes
    media_type: str


@dataclass(frozen=True)
class Table:
    """An answer for a web page: at most SHOWN_ROWS rows, the count, and a label per IRI
    as (text, language tag)."""

    variables: tuple[str, ...]
    rows: list[tuple]
    total: int
    labels: dict[str, tuple[str, str]]
    boolean: bool | None = None


def _iris(rows) -> set[str]:
    return {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}


def _too_many(count: int, max_rows: int, display: str) -> LimitError:
    return LimitError(f"{display}: the answer has more than {max_rows:,} rows, the server's "
                      "row cap", hint="add LIMIT to the query, or narrow it")


def query(state: WorkerState, text: str, display: str, substitutions: dict, fmt: str,
          max_rows: int, language: str = "en") -> Rendered | Table:
    """Run a (checked) query; ``fmt`` is a key of MEDIA_TYPES, or ``html`` for a Table."""
    result = state.engine.query(text, substitutions=substitutions, display=display)
    if isinstance(result, Boolean):
        if fmt == "html":
            return Table((), [], 0, {}, boolean=result.value)
        return Rendered(render_boolean(result.value, fmt).encode(), MEDIA_TYPES[fmt])
    if isinstance(result, Solutions):
        variables, rows = result.variables, result.rows
    else:
        assert isinstance(result, Triples)
        variables = ("subject", "predicate", "object")
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    if len(rows) > max_rows:
        raise _too_many(len(rows), max_rows, display)
    if fmt == "html":
        shown = rows[:SHOWN_ROWS]
        return Table(variables, shown, len(rows), labels_in(state.engine, _iris(shown), language))
    if isinstance(result, Solutions):
        return Rendered(render_solutions(result, fmt).encode(), MEDIA_TYPES[fmt])
    return Rendered(render_triples(result, fmt, state.prefixes.prefixes), MEDIA_TYPES[fmt])


@dataclass(frozen=True)
class Entity:
    """An entity page: what ``kgtool describe`` shows, with a label for every IRI on it."""

    iri: str
    facts: dict[str, list]
    incoming: list[tuple[str, str, list[str]]]
    sources: list[str]
    labels: dict[str, tuple[str, str]]


def entity(state: WorkerState, iri: str, fmt: str, language: str = "en") -> Entity | Rendered:
    """The entity page of ``iri`` (``html``), or its subgraph in an RDF format."""
    try:
        node = describe(state.engine, iri)
    except UsageError as error:
        raise NotFound(error.message, hint="search for it by label on the home page") from None
    if fmt != "html":
        triples = describe_triples(state.engine, iri)
        return Rendered(render_triples(triples, fmt, state.prefixes.prefixes), MEDIA_TYPES[fmt])
    iris = {iri, *node.facts, *(p for _, p, _ in node.incoming), *(s for s, _, _ in node.incoming)}
    iris |= {v.value for values in node.facts.values() for v in values
             if isinstance(v, ox.NamedNode)}
    return Entity(iri, node.facts, node.incoming, node.sources,
                  labels_in(state.engine, iris, language))


@dataclass(frozen=True)
class Found:
    """Search results, with each thing's label in the page's language."""

    matches: list[Match]
    labels: dict[str, tuple[str, str]]


def search(state: WorkerState, text: str, language: str = "en", limit: int = 20) -> Found:
    """Things labelled ``text`` in any language, or close to it."""
    matches = state.labels.search(text, limit)
    return Found(matches, labels_in(state.engine, {m.iri for m in matches}, language))


@dataclass(frozen=True)
class Home:
    """What the home page shows: the ``stats`` summary and coverage per OIC member state."""

    summary: str
    triples: int
    classes: list[tuple[str, int]]
    coverage: list[dict]
    labels: dict[str, tuple[str, str]]


def home(state: WorkerState, language: str = "en") -> Home:
    """The graph's counts (computed once per worker) and the labels of the page's IRIs."""
    if "stats" not in state.cache:
        state.cache["stats"] = project_stats(state.engine, state.project)
    stats = state.cache["stats"]
    iris = {r["nation"] for r in stats.coverage or []} | {c for c, _ in stats.classes}
    return Home(stats.summary(), stats.triples, stats.classes, stats.coverage or [],
                labels_in(state.engine, iris, language))


@dataclass(frozen=True)
class Checked:
    """A submission's report: the text ``kgtool validate`` prints, and its verdicts:
    ``conforms`` (SHACL's, no result at all) and ``passes`` (no violation)."""

    text: str
    summary: str
    conforms: bool
    passes: bool
    counts: dict[str, int]


def check(state: WorkerState, data: bytes, display: str, fmt: str) -> Checked:
    """Validate ``data`` (one file's bytes, read under the size cap) as ``kgtool validate
    FILE`` does: safe reading, the shapes, the checks and the curator. Nothing is stored."""
    if "context" not in state.cache:
        state.cache["context"] = read_context(state.project.context_path)
        state.cache["checks"] = load_checks(state.project)
    submission = parse_bytes(data, display, fmt, state.cache["context"])
    # over --endpoint the engine refuses: a submission is checked in the embedded store
    report = validate_submission(state.engine, submission, state.cache["checks"],
                                 prefixes=state.prefixes)
    return Checked(render_report(report, "text", "violation", short=state.prefixes.shorten_n3),
                   report.summary(), report.conforms, report.passes(),
                   {s: report.count(s) for s in ("Violation", "Warning", "Info")})


def picture(state: WorkerState, picture_name: str, params: list[tuple[str, str]],
            language: str = "en", deadline: float = 30.0):
    """A picture of :mod:`kgtool.look` as an HTML fragment (a ``Fragment``: its HTML, the
    static assets it needs, its title and alt text), with nodes linked to entity pages."""
    from kgtool.look import picture_fragment

    return picture_fragment(state.engine, state.project, picture_name, params, lang=language,
                            entity_base="", timeout=deadline)


JOBS = {"query": query, "entity": entity, "search": search, "home": home, "check": check,
        "picture": picture}
