"""The query room: the named-query catalogue and its parameters, the deadline worker, the W3C
result writers, labels for display, search by label, ``describe`` and ``stats``.
May import: the engine and the leaves; no other capability.
Public: the names in ``__all__``.
"""

from kgtool.query.catalogue import (
    PARAM_KINDS,
    NamedQuery,
    bindings,
    catalogue,
    catalogue_markdown,
    check_safety,
    parse_query,
    read_query,
    resolve,
)
from kgtool.query.describe import (
    Description,
    describe,
    describe_triples,
    find_term,
    label_of,
    render_description,
)
from kgtool.query.labels import cell_renderer, english_labels, labels_in
from kgtool.query.params import bind_value
from kgtool.query.results import (
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    render_boolean,
    render_solutions,
    render_triples,
    stream_solutions,
)
from kgtool.query.run import (
    BATCH_ROWS,
    DEFAULT_MAX_ROWS,
    Answer,
    Streamed,
    ask,
    ask_streaming,
    execute,
    stream,
    write_stream,
)
from kgtool.query.search import LabelIndex, Match
from kgtool.query.stats import Stats, compute_stats, project_stats
from kgtool.query.worker import run_with_deadline

__all__ = [
    "BATCH_ROWS",
    "BOOLEAN_FORMATS",
    "DEFAULT_MAX_ROWS",
    "GRAPH_FORMATS",
    "PARAM_KINDS",
    "SELECT_FORMATS",
    "Answer",
    "Description",
    "LabelIndex",
    "Match",
    "NamedQuery",
    "Stats",
    "Streamed",
    "ask",
    "ask_streaming",
    "bind_value",
    "bindings",
    "catalogue", "catalogue_markdown",
    "cell_renderer",
    "check_safety",
    "compute_stats",
    "describe",
    "describe_triples",
    "english_labels",
    "execute",
    "find_term",
    "label_of",
    "labels_in",
    "parse_query",
    "project_stats",
    "read_query",
    "render_boolean",
    "render_description",
    "render_solutions",
    "render_triples",
    "resolve",
    "run_with_deadline",
    "stream",
    "stream_solutions",
    "write_stream",
]
