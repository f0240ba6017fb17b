"""Run a named query: in a worker with a deadline, its rows capped and limited; the whole
answer at once (:func:`execute`, :func:`ask`), or its rows streaming from the worker in
batches (:func:`stream`, :func:`ask_streaming`, which ``kgtool query`` uses).

>>> from kgtool.engine import EmbeddedStore
>>> from kgtool.query.catalogue import parse_query
>>> execute(EmbeddedStore(), parse_query("ASK {}", "q"), {}, timeout=5).result.value
True
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TextIO

from kgtool.engine import EmbeddedStore, Solutions, SolutionStream, Triples
from kgtool.errors import LimitError
from kgtool.project import Project
from kgtool.query.catalogue import NamedQuery
from kgtool.query.worker import alarm_at, run_with_deadline, stream_with_deadline

DEFAULT_MAX_ROWS = 1_000_000


class Answer:
    """A query's answer, and whether ``--limit`` cut rows off (a plain class: a dataclass
    costs half a millisecond to make, at every start of ``kgtool query``)."""

    __slots__ = ("result", "truncated")

    def __init__(self, result: object, truncated: bool = False) -> None:
        self.result = result  # Solutions | Boolean | Triples
        self.truncated = truncated


def execute(engine, query: NamedQuery, substitutions: dict, *, timeout: float,
            limit: int | None = None, max_rows: int = DEFAULT_MAX_ROWS,
            allow_service: bool = False) -> Answer:
    """Run a (safety-checked) query in a worker with a deadline; cap and limit its rows."""
    def work() -> Answer:
        return _capped(engine.query(query.text, substitutions=substitutions,
                                    display=query.display, allow_service=allow_service),
                       query, limit, max_rows)

    return run_with_deadline(work, timeout, what=f"query {query.display}")


BATCH_ROWS = 5000
#: Writes a SELECT's rows as text: ``render(variables, batches)`` yields pieces.
Render = Callable[[tuple[str, ...], Iterator[list[tuple]]], Iterator[str]]


class Streamed:
    """A query's answer as it arrives from its worker: ``result`` is a Boolean or Triples
    (whole), or for a SELECT the Solutions of its variables with no rows, which
    :meth:`batches` then yields (or pieces of their text, see :func:`stream`);
    ``truncated`` says, once they are read, whether ``--limit`` cut rows off.

    >>> from kgtool.engine import EmbeddedStore
    >>> from kgtool.query.catalogue import parse_query
    >>> answer = stream(EmbeddedStore(), parse_query("SELECT ?n { VALUES ?n { 1 2 3 } }", "q"),
    ...                 {}, timeout=5, limit=2)
    >>> [[row[0].value for row in batch] for batch in answer.batches()], answer.truncated
    ([['1', '2']], True)
    """

    def __init__(self, messages: Iterator[tuple[str, object]], deadline: float,
                 what: str) -> None:
        self._messages, self.deadline, self.what = messages, deadline, what
        kind, value = next(messages)
        self.result = Solutions(value, []) if kind == "head" else value
        self.truncated = False
        if kind != "head":
            for _ in self.batches():  # only the truncated mark can follow
                pass

    def batches(self) -> Iterator[list[tuple]]:
        """The SELECT's rows, batch by batch, each before the deadline."""
        with contextlib.closing(self._messages):
            for kind, value in self._messages:
                if kind in ("rows", "text"):
                    yield value
                else:
                    self.truncated = True


def _produce(engine, query: NamedQuery, substitutions: dict, limit: int | None, max_rows: int,
             allow_service: bool, render: Render | None) -> Iterator[tuple[str, object]]:
    """In the worker: the head, then batches of rows, or pieces of their text if ``render``
    (or the whole ASK or CONSTRUCT answer)."""
    result = engine.query(query.text, substitutions=substitutions, display=query.display,
                          allow_service=allow_service,
                          **({"lazy": True} if isinstance(engine, EmbeddedStore) else {}))
    if not isinstance(result, Solutions | SolutionStream):
        answer = _capped(result, query, limit, max_rows)
        yield "whole", answer.result
        if answer.truncated:
            yield "truncated", True
        return
    yield "head", result.variables
    rows, counted = iter(result.rows), [0]

    def batches() -> Iterator[list[tuple]]:
        wanted = max_rows + 1 if limit is None else min(limit, max_rows + 1)
        while counted[0] < wanted and (
                batch := list(islice(rows, min(BATCH_ROWS, wanted - counted[0])))):
            counted[0] += len(batch)
            if counted[0] > max_rows:
                raise _too_many(query, max_rows)
            yield batch

    if render is None:
        yield from (("rows", batch) for batch in batches())
    else:
        yield from (("text", piece) for piece in render(result.variables, batches()))
    if limit is not None and counted[0] == limit and next(rows, None) is not None:
        yield "truncated", True


def _too_many(query: NamedQuery, max_rows: int) -> LimitError:
    return LimitError(f"{query.display}: the answer has more than {max_rows} rows",
                      hint="add LIMIT to the query or pass --limit")


def _capped(result, query: NamedQuery, limit: int | None, max_rows: int) -> Answer:
    items = result.rows if isinstance(result, Solutions) else (
        result.triples if isinstance(result, Triples) else None)
    if items is None:
        return Answer(result)
    if len(items) > max_rows:
        raise _too_many(query, max_rows)
    if limit is not None and len(items) > limit:
        del items[limit:]
        return Answer(result, truncated=True)
    return Answer(result)


def stream(engine, query: NamedQuery, substitutions: dict, *, timeout: float,
           limit: int | None = None, max_rows: int = DEFAULT_MAX_ROWS,
           allow_service: bool = False, render: Render | None = None) -> Streamed:
    """Run a (safety-checked) query in a worker whose rows stream to the caller in batches,
    under one deadline ``timeout`` seconds from now for the query and the reading of its
    rows; past ``max_rows`` the stream ends in LimitError (rows before it were yielded).

    With ``render(variables, batches)``, the worker writes the rows' text itself (pieces of
    it stream instead of the terms): the caller copies text, and no term is pickled."""
    deadline, what = time.monotonic() + timeout, f"query {query.display}"
    return Streamed(stream_with_deadline(
        lambda: _produce(engine, query, substitutions, limit, max_rows, allow_service, render),
        deadline, timeout=timeout, what=what), deadline, what)


def write_stream(answer: Streamed, pieces: Iterable[str], out: TextIO) -> None:
    """Write ``pieces`` (of ``answer``'s rows) to ``out`` as they come, under the answer's
    deadline: the whole command stops at ``--timeout``, even with a reader that has stopped
    reading (an alarm interrupts the blocked write)."""
    error = LimitError(f"{answer.what} and the writing of its answer ran longer than the "
                       "--timeout and were stopped",
                       hint="write fewer rows (LIMIT, --limit), or raise --timeout")
    with alarm_at(answer.deadline, error):
        for piece in pieces:
            out.write(piece)
        out.flush()


def _prepared(project: Project, ref: str, params: list[tuple[str, str]], allow_service: bool,
              stdin_text: str | None) -> tuple[NamedQuery, dict]:
    from kgtool.prefixes import PrefixMap
    from kgtool.query.catalogue import bindings, check_safety, resolve

    named = resolve(project, ref, stdin_text)
    check_safety(named, allow_service)
    return named, bindings(named, list(params), PrefixMap.from_context(project.context_path))


def ask(engine, project: Project, ref: str, params: list[tuple[str, str]], *, timeout: float,
        limit: int | None = None, max_rows: int = DEFAULT_MAX_ROWS, allow_service: bool = False,
        stdin_text: str | None = None) -> tuple[NamedQuery, Answer]:
    """Find the query (name, ``.rq`` file, or ``-`` with ``stdin_text``), refuse what is
    unsafe, bind the ``-p`` parameters and run it under the deadline: the whole answer."""
    named, subs = _prepared(project, ref, params, allow_service, stdin_text)
    return named, execute(engine, named, subs, timeout=timeout, limit=limit, max_rows=max_rows,
                          allow_service=allow_service)


def ask_streaming(engine, project: Project, ref: str, params: list[tuple[str, str]], *,
                  timeout: float, limit: int | None = None, max_rows: int = DEFAULT_MAX_ROWS,
                  allow_service: bool = False, stdin_text: str | None = None,
                  render: Render | None = None) -> tuple[NamedQuery, Streamed]:
    """``kgtool query``: as :func:`ask`, the rows streaming from the worker (:func:`stream`)."""
    named, subs = _prepared(project, ref, params, allow_service, stdin_text)
    return named, stream(engine, named, subs, timeout=timeout, limit=limit, max_rows=max_rows,
                         allow_service=allow_service, render=render)
