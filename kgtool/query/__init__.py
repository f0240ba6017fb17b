"""The query room: the named-query catalogue and its parameters, the deadline worker, the W3C
result writers, labels for display, search by label, ``describe`` and ``stats``.
May import: the engine and the leaves; no other capability.
Public: the names in ``__all__``; the modules other than the catalogue are imported on
first use (PEP 562), so that ``kgtool query NAME`` loads only what it runs.

>>> import kgtool.query.catalogue, kgtool.query.description
>>> from kgtool.query import catalogue, describe
>>> callable(catalogue), callable(describe)
(True, True)
"""

import importlib

# imported now, so that ``catalogue`` names the function: the first import of the submodule
# ``kgtool.query.catalogue`` (which other rooms import directly) binds the module to it
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

#: module -> the public names it defines, imported on first use.
_MODULES = {
    "description": ("Description", "describe", "describe_triples", "find_term", "label_of",
                    "render_description"),
    "labels": ("cell_renderer", "english_labels", "labels_in"),
    "params": ("bind_value",),
    "results": ("BOOLEAN_FORMATS", "GRAPH_FORMATS", "SELECT_FORMATS", "render_boolean",
                "render_solutions", "render_triples", "stream_solutions"),
    "run": ("BATCH_ROWS", "DEFAULT_MAX_ROWS", "Answer", "Streamed", "ask", "ask_streaming",
            "execute", "stream", "write_stream"),
    "search": ("LabelIndex", "Match"),
    "stats": ("Stats", "compute_stats", "project_stats"),
    "worker": ("run_with_deadline",),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'kgtool.query' has no attribute {name!r}")
    loaded = importlib.import_module(f"kgtool.query.{module}")
    globals().update({n: getattr(loaded, n) for n in _MODULES[module]})
    return globals()[name]


__all__ = [
    "BATCH_ROWS", "BOOLEAN_FORMATS", "DEFAULT_MAX_ROWS", "GRAPH_FORMATS", "PARAM_KINDS",
    "SELECT_FORMATS", "Answer", "Description", "LabelIndex", "Match", "NamedQuery", "Stats",
    "Streamed", "ask", "ask_streaming", "bind_value", "bindings", "catalogue",
    "catalogue_markdown", "cell_renderer", "check_safety", "compute_stats", "describe",
    "describe_triples", "english_labels", "execute", "find_term", "label_of", "labels_in",
    "parse_query", "project_stats", "read_query", "render_boolean", "render_description",
    "render_solutions", "render_triples", "resolve", "run_with_deadline", "stream",
    "stream_solutions", "write_stream",
]
