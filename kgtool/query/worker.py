"""Run a query with a real deadline: in a forked worker that is killed when time is up.

pyoxigraph has no query timeout and ignores SIGALRM while it works, so the only way
to stop a runaway query is to run it in another process. ``fork`` makes that cheap:
the worker shares the loaded store copy-on-write and starts in about a millisecond.
The worker also gets an address-space limit, so a query cannot exhaust memory.

>>> run_with_deadline(lambda: 6 * 7, timeout=5)
42
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from kgtool.errors import InputError, KgtoolError, LimitError

T = TypeVar("T")
WORKER_MEMORY_MB = 4096  # on top of what the parent already maps


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _child(func: Callable[[], T], write_fd: int, memory_mb: int) -> None:
    try:
        import resource

        limit = _address_space() + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:  # inside a process that is limited already (a
            limit = min(limit, hard)         # server's worker): never ask to raise it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        payload = ("ok", func())
    except KgtoolError as error:
        payload = ("error", (type(error), error.message, error.hint))
    except MemoryError:
        payload = ("memory", None)
    except BaseException as error:
        payload = ("crash", f"{type(error).__name__}: {error}")
    try:
        data = pickle.dumps(payload)
    except Exception as error:
        data = pickle.dumps(("crash", f"result could not be sent: {error}"))
    view = memoryview(data)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]


def _resident() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _death(status: int, grown: int, memory_mb: int, what: str) -> KgtoolError:
    """What to say of a worker that died without an answer: out of memory when it had grown
    near its limit, else a crash of the engine (a stack overflow in its parser, most often).

    >>> print(_death(6, 40 << 20, 4096, "query q").message)
    query q crashed the engine (its worker died by SIGABRT at 40 MB): the query is nested too \
deeply for the engine, or it hit a bug of the engine
    """
    if grown > memory_mb * (1 << 20) // 2 or not os.WIFSIGNALED(status):
        return LimitError(f"{what} used more than {memory_mb} MB of memory and was stopped",
                          hint="narrow the query or add LIMIT")
    name = signal.Signals(os.WTERMSIG(status)).name
    return InputError(f"{what} crashed the engine (its worker died by {name} at "
                      f"{max(grown, 0) >> 20} MB): the query is nested too deeply for the engine, "
                      "or it hit a bug of the engine",
                      hint="write it flatter: fewer nested groups, and VALUES or IN instead of "
                           "long chains of UNION or ||")


def run_with_deadline(func: Callable[[], T], timeout: float, *,
                      memory_mb: int = WORKER_MEMORY_MB, what: str = "the query") -> T:
    """Call ``func`` in a forked worker; LimitError (exit 4) past ``timeout`` seconds."""
    if not hasattr(os, "fork"):  # no fork (Windows): run here, without a deadline
        return func()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read_fd)
        try:
            _child(func, write_fd, memory_mb)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LimitError(f"{what} ran longer than {timeout:g} s and was stopped",
                                 hint="simplify it, add LIMIT, or raise --timeout")
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if ready:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
    if not chunks:
        raise _death(status, usage.ru_maxrss * 1024 - _resident(), memory_mb, what)
    status, value = pickle.loads(b"".join(chunks))
    if status == "ok":
        return value
    if status == "error":
        cls, message, hint = value
        raise cls(message, hint=hint)
    if status == "memory":
        raise LimitError(f"{what} used more than {memory_mb} MB of memory and was stopped",
                         hint="narrow the query or add LIMIT")
    raise KgtoolError(f"{what} failed in its worker: {value}",
                      hint="this is a bug in kgtool; please report it with the query")
