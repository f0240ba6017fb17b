"""The engine room: the store behind one interface (embedded in memory, on-disk cache, remote
endpoint), VALUES pre-binding and the SPARQL tokenizer that guards every query.
May import: the leaves (errors, project, journal, vocab, prefixes) only, never a capability.
Public: the names in ``__all__``; ``open_engine`` is the one place that picks an engine.
"""

from kgtool.engine.base import (
    GRAPH_BASE,
    PROJECT_PARTS,
    QUERYABLE_PARTS,
    SUBMISSION_GRAPH,
    Boolean,
    Engine,
    QueryResult,
    Solutions,
    SolutionStream,
    Term,
    Triples,
    graph_iri,
    graph_part,
    rdf_format,
    syntax_error,
)
from kgtool.engine.bindings import with_value_rows, with_values
from kgtool.engine.embedded import EmbeddedStore, load_project, project_files, shapes_apart
from kgtool.engine.select import STORE_ENV, open_engine, use_disk
from kgtool.engine.sparql import (
    MAX_CHAIN,
    MAX_NESTING,
    analyse,
    nesting_problem,
    projection,
    refuse_too_deep,
    refuse_unsafe,
    tokens,
)

#: Loaded on first use (PEP 562): the Graph Store loader pulls in http.client and ssl (25 ms),
#: which no query needs.
_LAZY = {"Loader": "kgtool.engine.graphstore", "project_loader": "kgtool.engine.graphstore",
         "store_url": "kgtool.engine.graphstore", "RemoteEndpoint": "kgtool.engine.remote"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kgtool.engine' has no attribute {name!r}")


__all__ = [
    "GRAPH_BASE", "MAX_CHAIN", "MAX_NESTING", "PROJECT_PARTS", "QUERYABLE_PARTS", "STORE_ENV",
    "SUBMISSION_GRAPH", "Boolean", "EmbeddedStore", "Engine", "Loader", "QueryResult",
    "RemoteEndpoint", "SolutionStream", "Solutions", "Term", "Triples", "analyse",
    "graph_iri", "graph_part", "load_project", "nesting_problem", "open_engine", "project_files",
    "project_loader", "projection",
    "rdf_format", "refuse_too_deep", "refuse_unsafe", "shapes_apart", "store_url",
    "syntax_error", "tokens", "use_disk",
    "with_value_rows", "with_values",
]
