"""Run a named query: in a worker with a deadline, its rows capped and limited.

>>> from kgtool.engine import EmbeddedStore
>>> from kgtool.query.catalogue import parse_query
>>> execute(EmbeddedStore(), parse_query("ASK {}", "q"), {}, timeout=5).result.value
True
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.engine import Solutions, Triples
from kgtool.errors import LimitError
from kgtool.project import Project
from kgtool.query.catalogue import NamedQuery
from kgtool.query.worker import run_with_deadline

DEFAULT_MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Answer:
    """A query's answer, and whether ``--limit`` cut rows off."""

    result: object  # Solutions | Boolean | Triples
    truncated: bool = False


def execute(engine, query: NamedQuery, substitutions: dict, *, timeout: float,
            limit: int | None = None, max_rows: int = DEFAULT_MAX_ROWS,
            allow_service: bool = False) -> Answer:
    """Run a (safety-checked) query in a worker with a deadline; cap and limit its rows."""
    def work() -> Answer:
        result = engine.query(query.text, substitutions=substitutions, display=query.display,
                              allow_service=allow_service)
        items = result.rows if isinstance(result, Solutions) else (
            result.triples if isinstance(result, Triples) else None)
        if items is None:
            return Answer(result)
        if len(items) > max_rows:
            raise LimitError(f"{query.display}: the answer has more than {max_rows} rows",
                             hint="add LIMIT to the query or pass --limit")
        if limit is not None and len(items) > limit:
            del items[limit:]
            return Answer(result, truncated=True)
        return Answer(result)

    return run_with_deadline(work, timeout, what=f"query {query.display}")


def ask(engine, project: Project, ref: str, params: list[tuple[str, str]], *, timeout: float,
        limit: int | None = None, max_rows: int = DEFAULT_MAX_ROWS, allow_service: bool = False,
        stdin_text: str | None = None) -> tuple[NamedQuery, Answer]:
    """``kgtool query``: find the query (name, ``.rq`` file, or ``-`` with ``stdin_text``),
    refuse what is unsafe, bind the ``-p`` parameters and run it under the deadline."""
    from kgtool.prefixes import PrefixMap
    from kgtool.query.catalogue import bindings, check_safety, resolve

    named = resolve(project, ref, stdin_text)
    check_safety(named, allow_service)
    subs = bindings(named, list(params), PrefixMap.from_context(project.context_path))
    return named, execute(engine, named, subs, timeout=timeout, limit=limit, max_rows=max_rows,
                          allow_service=allow_service)
