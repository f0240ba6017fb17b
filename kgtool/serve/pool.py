"""A pool of worker processes that answer the server's jobs under a real deadline.

pyoxigraph cannot be interrupted, and forking a process that runs threads (as an ASGI server
does) can deadlock the child, so the workers are started by ``forkserver`` (``spawn`` where
there is none), each opens the project's engine once, and the server hands them one job at a
time over a pipe. A job past its deadline gets its worker killed (SIGKILL) and replaced, and
so does a job whose worker died (a parser's stack overflow on 20,000 nested braces, a memory
limit): the server itself never runs the engine, so it keeps answering.

At most ``size`` jobs run at once and at most ``queue`` more wait for a worker; past that,
:class:`Busy` (the server answers 503 with Retry-After).

>>> Busy("full").retry_after
1
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from kgtool.errors import KgtoolError, LimitError

log = logging.getLogger("kgtool.serve")
WORKER_MEMORY_MB = 4096  # address space each worker may add to what it maps once loaded
START_TIMEOUT = 600.0  # seconds a worker may take to open the store (a 1M-triple build: ~10 s)


class Busy(KgtoolError):
    """Every worker is busy and the queue is full (HTTP 503 with Retry-After)."""

    exit_code = 4

    def __init__(self, message: str, hint: str | None = None, retry_after: int = 1) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after


class TimedOut(LimitError):
    """A job ran past its deadline; its worker was killed (HTTP 504)."""


class WorkerDied(KgtoolError):
    """The worker died while running the job (HTTP 500): the engine crashed on it."""


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to open the project's engine: picklable, for spawn/forkserver."""

    root: str
    endpoint: str | None
    timeout: float
    store: str | None = None  # KGTOOL_STORE for the workers (None: the environment's)


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # each worker forks from a server that already imported these
        context.set_forkserver_preload(["kgtool.serve.jobs"])
    return context


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def worker_main(conn, config: WorkerConfig) -> None:
    """A worker's life: open the engine, say ready, then answer one job at a time."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    from kgtool.serve.jobs import JOBS, WorkerState

    try:
        state = WorkerState.open(config)
    except KgtoolError as error:
        conn.send(("error", (type(error), error.message, error.hint)))
        return
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        # the data segment and private mappings, not the address space: V8 (vl-convert, for
        # the pictures) reserves a large address range up front and aborts under RLIMIT_AS
        limit = _address_space() + WORKER_MEMORY_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    conn.send(("ready", None))
    while True:
        try:
            name, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            payload = ("ok", JOBS[name](state, **kwargs))
        except KgtoolError as error:
            payload = ("error", (type(error), error.message, error.hint))
        except MemoryError:
            payload = ("memory", None)
        except Exception as error:  # a bug: answer 500, keep the worker
            log.exception("job %s failed", name)
            payload = ("crash", f"{type(error).__name__}: {error}")
        try:
            conn.send(payload)
        except Exception as error:  # an answer that cannot be pickled
            conn.send(("crash", f"the answer could not be sent: {error}"))
        if payload[0] == "memory":
            return  # a process that ran out of memory is not trusted again


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, config: WorkerConfig) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, config), daemon=True,
                                       name="kgtool-serve-worker")
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        """Block until the worker has opened the engine; its error if it could not."""
        status, value = self._receive(START_TIMEOUT, "opening the project")
        if status == "error":
            self.kill()
            cls, message, hint = value
            raise cls(message, hint=hint)

    def _receive(self, timeout: float, what: str) -> tuple[str, Any]:
        if not self.conn.poll(timeout):
            self.kill()
            raise TimedOut(f"{what} ran longer than {timeout:g} s and was stopped",
                           hint="simplify the query, add LIMIT, or ask the server's operator "
                                "to raise --timeout")
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            code = self.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            raise WorkerDied(f"the engine crashed on {what} (its worker died with {how}); "
                             "the server is still running",
                             hint="a very deeply nested query, or a very long chain of UNION, "
                                  "overflows the SPARQL parser: write it flatter") from None

    def call(self, name: str, kwargs: dict, timeout: float, what: str) -> Any:
        """Run one job; TimedOut, WorkerDied, or the job's own KgtoolError."""
        try:
            self.conn.send((name, kwargs))
        except (BrokenPipeError, OSError):
            self.kill()
            raise WorkerDied(f"the worker for {what} was gone; the server is still running",
                             hint="retry the request") from None
        status, value = self._receive(timeout, what)
        if status == "ok":
            return value
        if status == "error":
            cls, message, hint = value
            raise cls(message, hint=hint)
        if status == "memory":
            self.kill()
            raise LimitError(f"{what} used more than {WORKER_MEMORY_MB} MB of memory and was "
                             "stopped", hint="narrow the query or add LIMIT")
        raise KgtoolError(f"{what} failed: {value}",
                          hint="this is a bug in kgtool; please report it with the request")

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, AttributeError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` workers, at most ``queue`` jobs waiting for one; dead workers are replaced."""

    def __init__(self, config: WorkerConfig, *, size: int, queue: int) -> None:
        self.config, self.size, self.queue = config, size, queue
        self._context = _context()
        self._threads = ThreadPoolExecutor(max_workers=size + 2,
                                           thread_name_prefix="kgtool-serve-pool")
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._waiting = 0
        self._workers: set[Worker] = set()
        self._replacing: set[asyncio.Task] = set()
        self.replaced = 0

    def start(self) -> None:
        """Start every worker and wait until each has opened the engine (or raise why not)."""
        started = [Worker(self._context, self.config) for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready()
        except BaseException:
            for worker in started:
                worker.kill()
            raise
        for worker in started:
            self._workers.add(worker)
            self._idle.put_nowait(worker)

    async def run(self, name: str, what: str, timeout: float, **kwargs) -> Any:
        """Run job ``name`` in a free worker, waiting at most ``timeout`` s for one."""
        if self._idle.empty() and self._waiting >= self.queue:
            raise Busy(f"the server is answering {self.size} requests and {self._waiting} more "
                       "are waiting", hint="retry in a moment")
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise Busy(f"no worker was free within {timeout:g} s",
                       hint="retry in a moment") from None
        finally:
            self._waiting -= 1
        healthy = False
        try:
            result = await asyncio.get_running_loop().run_in_executor(
                self._threads, worker.call, name, kwargs, timeout, what)
            healthy = True
            return result
        except KgtoolError:
            healthy = worker.alive
            raise
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        self._workers.discard(worker)
        self.replaced += 1

        def start() -> Worker:
            worker.kill()
            fresh = Worker(self._context, self.config)
            fresh.wait_ready()
            return fresh

        async def replace() -> None:
            try:
                fresh = await asyncio.get_running_loop().run_in_executor(self._threads, start)
            except Exception:
                log.exception("a worker could not be replaced; the pool has one fewer")
                return
            self._workers.add(fresh)
            self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(replace())
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
