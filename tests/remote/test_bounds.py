"""Remote answers are bounded (issue 18): one wall-clock deadline for connect, headers and
body, and ``--max-bytes`` counted while the body streams to disk, memory flat whatever its
size. Each test runs kgtool as a child process against a misbehaving server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import REPO

KGTOOL = str(Path(sys.executable).with_name("kgtool"))
_HEAD = (b'{"head":{"vars":["n"]},"results":{"bindings":'
         b'[{"n":{"type":"literal","value":"7"}}]}}')


@contextlib.contextmanager
def server(reply: Callable[[socket.socket, bytes], None]) -> Iterator[str]:
    """A threaded HTTP server: each connection's request is read, then ``reply`` answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
            while length and len(body) < int(length[1]):
                body += conn.recv(65536)
            reply(conn, head + b"\r\n\r\n" + body)

    def serve() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    finally:
        stop.set()
        thread.join()
        sock.close()


def drip_headers(conn: socket.socket, request: bytes) -> None:
    """A status line, then one header byte every 0.2 s for a minute."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(300):
        conn.sendall(b"X")
        time.sleep(0.2)


def silent(conn: socket.socket, request: bytes) -> None:
    time.sleep(60)


def big(size: int) -> Callable[[socket.socket, bytes], None]:
    """A valid answer of ``size`` bytes: one row, then white space, sent in 1 MB chunks."""
    def reply(conn: socket.socket, request: bytes) -> None:
        if b"GRAPH" in request:  # the graph listing: none
            body = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json"
                         b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % size + _HEAD)
        left, pad = size - len(_HEAD), b" " * (1 << 20)
        while left > 0:
            conn.sendall(pad[:left])
            left -= len(pad)
    return reply


def kgtool(*args: str, limit: float = 60) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run kgtool under GNU time: (result, seconds, peak RSS in MB)."""
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "RSS %M", KGTOOL, "--root", str(REPO),
                             *args], capture_output=True, text=True, timeout=limit, check=False)
    rss = int(result.stderr.rsplit("RSS ", 1)[1].split()[0]) // 1024
    return result, time.monotonic() - started, rss


@pytest.mark.parametrize("reply", [drip_headers, silent], ids=["drip", "silent"])
@pytest.mark.parametrize("command", [["--timeout", "2", "stats"],
                                     ["--timeout", "3", "load"]], ids=["stats", "load"])
def test_one_deadline_covers_connect_headers_and_body(reply, command) -> None:
    with server(reply) as url:
        result, seconds, _ = kgtool("--endpoint", url, *command)
    assert result.returncode == 4, result.stderr
    assert seconds < float(command[1]) + 1.5
    assert "no complete answer from 127.0.0.1 within" in result.stderr


def test_an_answer_past_max_bytes_is_refused_with_flat_memory(tmp_path) -> None:
    query = tmp_path / "n.rq"
    query.write_text("SELECT ?n WHERE { ?s ?p ?n }\n", encoding="utf-8")
    with server(big(300 << 20)) as url:
        result, _, rss = kgtool("--endpoint", url, "--max-bytes", "100M", "query", str(query))
    assert result.returncode == 4, result.stderr
    assert "the answer is larger than 100 MB (--max-bytes)" in result.stderr
    assert rss < 150


def test_a_big_answer_under_max_bytes_is_read_from_disk(tmp_path) -> None:
    query = tmp_path / "n.rq"
    query.write_text("SELECT ?n WHERE { ?s ?p ?n }\n", encoding="utf-8")
    peaks = {}
    for size in (1 << 20, 200 << 20):
        with server(big(size)) as url:
            result, _, peaks[size] = kgtool("--endpoint", url, "query", str(query), "-f",
                                            "csv")
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["n", "7"]
    assert peaks[200 << 20] < peaks[1 << 20] + 40  # MB: the body went to a file
