"""HTTP for the remote engine and the Graph Store loader: one wall-clock deadline per
exchange, answers bounded in bytes and spooled to disk, no redirects, credentials from the
environment only.

http.client is used rather than urllib.request: it never follows a redirect (which would
forward credentials elsewhere). A socket timeout restarts with every byte, so a watchdog shuts
the socket when the exchange's deadline passes: connect, headers and body together. The body
is counted as it arrives (``--max-bytes``) and kept in a temporary file past 1 MB, so memory
stays flat whatever the answer's size.

Credentials come only from the environment: ``KGTOOL_ENDPOINT_USER`` and
``KGTOOL_ENDPOINT_PASSWORD`` (HTTP Basic, or Digest when the server asks for it, as
Virtuoso's Graph Store endpoint does) or ``KGTOOL_ENDPOINT_TOKEN`` (Bearer); they are sent
over https, or over http only to this machine.

>>> check_url("http://127.0.0.1:7878/query").port
7878
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import socket
import ssl
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from kgtool import __version__
from kgtool.engine.digest import digest_header
from kgtool.errors import InputError, LimitError, UsageError

ENV_USER = "KGTOOL_ENDPOINT_USER"
ENV_PASSWORD = "KGTOOL_ENDPOINT_PASSWORD"
ENV_TOKEN = "KGTOOL_ENDPOINT_TOKEN"
#: The default of ``--max-bytes``: the largest answer read from an endpoint.
MAX_RESPONSE_BYTES = 256 << 20
_SPOOL_BYTES = 1 << 20
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class EndpointError(InputError):
    """The endpoint could not be reached, refused the request or failed (exit 3)."""


@dataclass(frozen=True)
class Response:
    """A complete HTTP answer; its body in ``stream`` (rewound), in memory or on disk."""

    status: int
    content_type: str
    stream: BinaryIO
    location: str = ""
    server: str = ""
    challenge: str = ""

    @property
    def body(self) -> bytes:
        """The whole body (for small answers: errors, graph listings)."""
        self.stream.seek(0)
        data = self.stream.read()
        self.stream.seek(0)
        return data

    @property
    def text(self) -> str:
        """The start of the body, for error messages."""
        self.stream.seek(0)
        start = self.stream.read(300)
        self.stream.seek(0)
        return start.decode("utf-8", "replace").strip()


def check_url(url: str, option: str = "--endpoint") -> urllib.parse.SplitResult:
    """Accept only http(s) URLs without credentials in them.

    >>> check_url("file:///etc/passwd")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    kgtool.errors.UsageError: --endpoint file:///etc/passwd is not an http(s) URL
    """
    bad = UsageError(f"{option} {url} is not an http(s) URL",
                     hint="give the endpoint's URL, e.g. http://127.0.0.1:7878/query")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(
            ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise bad
    if parts.username or parts.password:
        raise UsageError(f"{option} must not carry credentials in the URL",
                         hint=f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
    return parts


def auth_headers(url: str, env: Mapping[str, str]) -> dict[str, str]:
    """The Authorization header from the environment, if any.

    >>> auth_headers("https://e.org/q", {"KGTOOL_ENDPOINT_TOKEN": "t"})
    {'Authorization': 'Bearer t'}
    """
    token, user = env.get(ENV_TOKEN), env.get(ENV_USER)
    if not token and not user:
        return {}
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        raise UsageError(f"credentials would cross the network in clear text to {parts.hostname}",
                         hint=f"use an https URL, or unset {ENV_USER}/{ENV_TOKEN}")
    if token:
        return {"Authorization": f"Bearer {token}"}
    pair = f"{user}:{env.get(ENV_PASSWORD, '')}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


class Http:
    """One HTTP exchange at a time, each capped by ``timeout`` seconds in total and
    ``max_bytes`` of body."""

    def __init__(self, timeout: float, env: Mapping[str, str] | None = None, *,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> None:
        self.timeout, self.max_bytes = timeout, max_bytes
        self.env = os.environ if env is None else env
        self._scheme = ""  # "basic" or "digest", once a probe has told

    def send(self, method: str, url: str, *, body: bytes | None = None,
             headers: Mapping[str, str] | None = None, what: str = "the request") -> Response:
        """Send a request and read the whole answer, or raise a KgtoolError.

        With a user and password in the environment, the first request asks (GET, without
        credentials) which scheme the server wants; a server that wants Digest gets a fresh
        challenge answered before each request, so no body is sent only to be refused."""
        deadline = time.monotonic() + self.timeout
        headers = dict(headers or {})
        user = self.env.get(ENV_USER)
        if user and not self.env.get(ENV_TOKEN) and self._scheme != "basic":
            auth_headers(url, self.env)  # refuses clear text to another machine
            probe = self._exchange("GET", url, None, {}, what, deadline)
            if probe.status == 401 and probe.challenge.lower().startswith("digest"):
                self._scheme = "digest"
                path = urllib.parse.urlsplit(url)
                target = (path.path or "/") + (f"?{path.query}" if path.query else "")
                headers["Authorization"] = digest_header(
                    probe.challenge, method, target, user, self.env.get(ENV_PASSWORD, ""))
                return self._exchange(method, url, body, headers, what, deadline)
            self._scheme = "basic"
        return self._exchange(method, url, body, {**headers, **auth_headers(url, self.env)},
                              what, deadline)

    def _exchange(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str],
                  what: str, deadline: float) -> Response:
        parts = check_url(url)
        left = max(deadline - time.monotonic(), 0.001)
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=left, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=left)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            sock = conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(left, expire)
        watchdog.daemon = True
        watchdog.start()
        sent = False
        try:
            conn.request(method, target, body=body, headers={
                "User-Agent": f"kgtool/{__version__}", **headers})
            sent = True
            answer = conn.getresponse()
            stream = self._read(answer, deadline)
        except (TimeoutError, http.client.HTTPException, OSError) as error:
            if expired.is_set() or isinstance(error, TimeoutError) \
                    or time.monotonic() >= deadline:
                raise LimitError(f"{what}: no complete answer from {parts.hostname} within "
                                 f"{self.timeout:g} s", hint="raise --timeout, or ask for less"
                                 ) from None
            if not sent or not isinstance(error, http.client.HTTPException | ConnectionError):
                raise _unreachable(url, error) from None
            raise LimitError(f"{what}: the answer from {parts.hostname} was cut off "
                             f"({type(error).__name__})", hint="retry, raise --timeout, or "
                             "raise the endpoint's own time limit") from None
        finally:
            watchdog.cancel()
            conn.close()
        return Response(answer.status, answer.getheader("Content-Type", ""), stream,
                        answer.getheader("Location", ""), answer.getheader("Server", ""),
                        answer.getheader("WWW-Authenticate", ""))

    def _read(self, answer: http.client.HTTPResponse, deadline: float) -> BinaryIO:
        """The whole body, spooled; IncompleteRead when shorter than announced."""
        spool = tempfile.SpooledTemporaryFile(_SPOOL_BYTES)  # noqa: SIM115 (returned open)
        size = 0
        try:
            while True:
                if time.monotonic() >= deadline:
                    raise TimeoutError
                chunk = answer.read1(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise LimitError(f"the answer is larger than {_size(self.max_bytes)} "
                                     "(--max-bytes)", hint="add LIMIT to the query, or raise "
                                     "--max-bytes")
                spool.write(chunk)
            if answer.length:  # Content-Length promised more than arrived
                raise http.client.IncompleteRead(b"", answer.length)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool


def _size(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n} bytes"


def _unreachable(url: str, error: OSError | Exception) -> EndpointError:
    return EndpointError(f"cannot reach {url}: {getattr(error, 'strerror', None) or error}",
                         hint="check the URL and that the server is running")


def check_status(response: Response, url: str, what: str) -> None:
    """Map an HTTP error status to the matching KgtoolError."""
    status = response.status
    if status < 300:
        return
    if status < 400:
        raise EndpointError(f"{url} redirects to {response.location or '(nowhere)'}",
                            hint="use the URL it redirects to; kgtool does not follow redirects")
    if status in (401, 403):
        raise EndpointError(f"{url} refused access (HTTP {status})",
                            hint=f"set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
    if status == 404:
        raise EndpointError(f"no endpoint at {url} (HTTP 404)", hint="check the URL")
    text = response.text
    if status in (408, 413, 503, 504) or "timeout" in text.lower() \
            or "timed out" in text.lower():
        raise LimitError(f"{what}: the endpoint gave up (HTTP {status}: {text})",
                         hint="raise the endpoint's limits, or ask for less")
    if status == 400:
        raise InputError(f"{what}: the endpoint rejected it (HTTP 400: {text})",
                         hint="fix the request; the message above comes from the endpoint")
    raise EndpointError(f"{what}: the endpoint failed (HTTP {status}: {text})",
                        hint="see the endpoint's logs")
