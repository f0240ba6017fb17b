"""A real `kgtool serve` process on 127.0.0.1 for the tests, stopped (SIGINT) at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from conftest import REPO

KGTOOL = Path(sys.executable).with_name("kgtool")


@contextlib.contextmanager
def running_server(*options: str, root: Path = REPO, timeout: float = 3.0,
                   endpoint: str | None = None, env: dict | None = None) -> Iterator[str]:
    """Start ``kgtool --root ROOT --timeout T [--endpoint URL] serve --port 0 OPTIONS``; yield
    its base URL (without the final slash). On leaving, Ctrl-C stops it; it must exit with 0."""
    remote = ["--endpoint", endpoint] if endpoint else []
    command = [str(KGTOOL), "--root", str(root), "--timeout", str(timeout), *remote, "serve",
               "--port", "0", *options]
    # stderr goes to a file: a pipe that nobody reads could fill up and block the server
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True,
                                   env={**os.environ, **(env or {})})

        def stderr() -> str:
            log.seek(0)
            return log.read()

        try:
            line = process.stdout.readline()
            if " on http://" not in line:
                process.kill()
                process.wait()
                raise RuntimeError(f"kgtool serve did not start: {line}{stderr()}")
            yield line.split(" on ", 1)[1].split()[0].rstrip("/")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise
        assert process.returncode == 0, stderr()
