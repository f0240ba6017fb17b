"""Run a query with a real deadline: in a forked worker that is killed when time is up.

pyoxigraph has no query timeout and ignores SIGALRM while it works, so the only way
to stop a runaway query is to run it in another process. ``fork`` makes that cheap:
the worker shares the loaded store copy-on-write and starts in about a millisecond.
The worker also gets an address-space limit, so a query cannot exhaust memory.

The worker sends what it makes as a stream of frames (a length, a kind, a body), so a big
answer flows to the writer batch by batch (:func:`stream_with_deadline`) and neither
process holds all of it. The text of an answer, its head and the end travel as UTF-8;
anything else is pickled (pickle is imported only then).

>>> run_with_deadline(lambda: 6 * 7, timeout=5)
42
>>> list(stream_with_deadline(lambda: iter(["a", "b"]), deadline=time.monotonic() + 5))
['a', 'b']
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from kgtool.errors import InputError, KgtoolError, LimitError

# imported here, not in the worker: after the fork an import costs about twice as much (each
# page it writes is copied first)
if hasattr(os, "fork"):
    import resource

T = TypeVar("T")
WORKER_MEMORY_MB = 4096  # on top of what the parent already maps
_LENGTH = 8  # bytes of a frame's length, big-endian
_TEXT, _HEAD, _END, _PICKLE = b"t", b"h", b"e", b"p"  # the kinds of frame


def _statm(field: int) -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _encode(message: tuple) -> bytes:
    """A frame's kind and body: an item ``("text", str)``, an item ``("head", names)`` and
    the end as UTF-8, anything else as a pickle.

    >>> _decode(_encode(("item", ("head", ("a", "b"))))), _decode(_encode(("end", None)))
    (('item', ('head', ('a', 'b'))), ('end', None))
    """
    status, value = message
    if status == "end" and value is None:
        return _END
    if status == "item" and type(value) is tuple and len(value) == 2:
        kind, body = value
        if kind == "text" and type(body) is str:
            return _TEXT + body.encode("utf-8", "surrogatepass")
        if kind == "head" and type(body) is tuple and all(type(n) is str for n in body):
            return _HEAD + "\n".join(body).encode("utf-8")  # a variable name has no newline
    import pickle

    try:
        return _PICKLE + pickle.dumps(message)
    except Exception as error:
        return _PICKLE + pickle.dumps(("crash", f"result could not be sent: {error}"))


def _decode(data: bytes) -> tuple:
    kind, body = data[:1], data[1:]
    if kind == _TEXT:
        return "item", ("text", body.decode("utf-8", "surrogatepass"))
    if kind == _HEAD:
        return "item", ("head", tuple(body.decode("utf-8").split("\n")) if body else ())
    if kind == _END:
        return "end", None
    import pickle

    return pickle.loads(body)


def _send(write_fd: int, message: tuple) -> None:
    data = _encode(message)
    view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
    while view:
        view = view[os.write(write_fd, view):]


def _child(produce: Callable[[], Iterator], write_fd: int, memory_mb: int) -> None:
    try:
        limit = _statm(0) + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:  # inside a process that is limited already (a
            limit = min(limit, hard)         # server's worker): never ask to raise it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        for item in produce():
            _send(write_fd, ("item", item))
        message: tuple = ("end", None)
    except KgtoolError as error:
        message = ("error", (type(error), error.message, error.hint))
    except MemoryError:
        message = ("memory", None)
    except BrokenPipeError:
        return  # the reader stopped (--limit): nobody listens
    except BaseException as error:
        message = ("crash", f"{type(error).__name__}: {error}")
    with contextlib.suppress(BrokenPipeError):
        _send(write_fd, message)


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


class _Frames:
    """The parent's end of the pipe: whole frames, each read before ``deadline``."""

    def __init__(self, fd: int, deadline: float, timeout: float, what: str) -> None:
        self.fd, self.deadline, self.timeout, self.what = fd, deadline, timeout, what
        self.buffer = bytearray()

    def _fill(self, size: int) -> bool:
        while len(self.buffer) < size:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise LimitError(f"{self.what} ran longer than {self.timeout:g} s and was "
                                 "stopped", hint="simplify it, add LIMIT, or raise --timeout")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    return False
                self.buffer += chunk
        return True

    def next(self) -> tuple | None:
        """The next message, or None when the worker died without one."""
        if not self._fill(_LENGTH):
            return None
        size = int.from_bytes(self.buffer[:_LENGTH], "big")
        if not self._fill(_LENGTH + size):
            return None
        data = bytes(self.buffer[_LENGTH:_LENGTH + size])
        del self.buffer[:_LENGTH + size]
        return _decode(data)


def stream_with_deadline(produce: Callable[[], Iterator[T]], deadline: float, *,
                         memory_mb: int = WORKER_MEMORY_MB, what: str = "the query",
                         timeout: float | None = None) -> Iterator[T]:
    """Yield what ``produce()`` yields in a forked worker, each item before ``deadline`` (a
    ``time.monotonic()`` value; LimitError, exit 4, past it). Closing the iterator early
    kills the worker. ``timeout`` is only named in the error."""
    timeout = deadline - time.monotonic() if timeout is None else timeout
    if not hasattr(os, "fork"):  # no fork (Windows): run here, without a deadline
        yield from produce()
        return
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read_fd)
        try:
            _child(produce, write_fd, memory_mb)
        finally:
            os._exit(0)
    os.close(write_fd)
    frames = _Frames(read_fd, deadline, timeout, what)
    message = None
    try:
        while (message := frames.next()) is not None and message[0] == "item":
            yield message[1]
    finally:
        os.close(read_fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
    if message is None:
        raise _death(status, usage.ru_maxrss * 1024 - _statm(1), memory_mb, what)
    status_name, value = message
    if status_name == "end":
        return
    if status_name == "error":
        cls, text, hint = value
        raise cls(text, hint=hint)
    if status_name == "memory":
        raise LimitError(f"{what} used more than {memory_mb} MB of memory and was stopped",
                         hint="narrow the query or add LIMIT")
    raise KgtoolError(f"{what} failed in its worker: {value}",
                      hint="this is a bug in kgtool; please report it with the query")


@contextlib.contextmanager
def alarm_at(deadline: float, error: KgtoolError) -> Iterator[None]:
    """Raise ``error`` in this process when ``deadline`` (``time.monotonic()``) passes inside
    the block, even in a blocked write. Only the main thread can take a signal: elsewhere
    the block runs without the alarm.

    >>> with alarm_at(time.monotonic() + 5, LimitError("late")):
    ...     pass
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum, frame) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_with_deadline(func: Callable[[], T], timeout: float, *,
                      memory_mb: int = WORKER_MEMORY_MB, what: str = "the query") -> T:
    """Call ``func`` in a forked worker; LimitError (exit 4) past ``timeout`` seconds."""
    items = list(stream_with_deadline(lambda: iter([func()]), time.monotonic() + timeout,
                                      memory_mb=memory_mb, what=what, timeout=timeout))
    return items[0]
