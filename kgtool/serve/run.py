"""Start the server: the workers first (so a project that cannot be opened is one ``Error:``
line before anything listens), then the socket, then Uvicorn on it until Ctrl-C or SIGTERM.

>>> listen("127.0.0.1", 0).getsockname()[0]
'127.0.0.1'
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable

from kgtool.errors import UsageError
from kgtool.serve.settings import Settings


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port), or UsageError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted sockets inherit it: an answer's headers and body go out at once, not 40 ms apart
    # (Nagle's algorithm against the client's delayed ACK)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port} ({error.strerror or error})",
                         hint="pick another --port, or stop what listens there") from None
    sock.listen(1024)
    return sock


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000,
          announce: Callable[[str], None] = print) -> None:
    """Run ``kgtool serve`` until stopped; ``announce(url)`` once it accepts requests."""
    import uvicorn

    from kgtool.serve.app import create_app
    from kgtool.serve.pool import WorkerConfig, WorkerPool

    pool = WorkerPool(WorkerConfig(settings.root, settings.endpoint, settings.timeout,
                                   settings.store), size=settings.workers, queue=settings.queue)
    pool.start()
    try:
        app = create_app(settings, pool)
        sock = listen(host, port)
        bound_host, bound_port = sock.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=5, server_header=False)
        server = uvicorn.Server(config)
        announce(f"http://{shown}:{bound_port}/")
        with contextlib.suppress(KeyboardInterrupt):  # Uvicorn re-raises Ctrl-C once stopped
            server.run(sockets=[sock])
    finally:
        pool.close()
