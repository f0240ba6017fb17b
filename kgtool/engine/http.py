"""HTTP for the remote engine and the Graph Store loader: one deadline per exchange, no
redirects, credentials from the environment only.

http.client is used rather than urllib.request: it can cap the whole exchange with one
deadline, and it never follows a redirect (which would forward credentials elsewhere).
Credentials come only from the environment: ``KGTOOL_ENDPOINT_USER`` and
``KGTOOL_ENDPOINT_PASSWORD`` (HTTP Basic) or ``KGTOOL_ENDPOINT_TOKEN`` (Bearer); they are sent
over https, or over http only to this machine.

>>> check_url("http://127.0.0.1:7878/query").port
7878
"""

from __future__ import annotations

import base64
import http.client
import os
import ssl
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from kgtool import __version__
from kgtool.errors import InputError, LimitError, UsageError

ENV_USER = "KGTOOL_ENDPOINT_USER"
ENV_PASSWORD = "KGTOOL_ENDPOINT_PASSWORD"
ENV_TOKEN = "KGTOOL_ENDPOINT_TOKEN"
MAX_RESPONSE_BYTES = 1 << 30
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


class EndpointError(InputError):
    """The endpoint could not be reached, refused the request or failed (exit 3)."""


@dataclass(frozen=True)
class Response:
    """A complete HTTP answer."""

    status: int
    content_type: str
    body: bytes
    location: str = ""

    @property
    def text(self) -> str:
        """The start of the body, for error messages."""
        return self.body[:300].decode("utf-8", "replace").strip()


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
    """One HTTP exchange at a time, each capped by ``timeout`` seconds in total."""

    def __init__(self, timeout: float, env: Mapping[str, str] | None = None) -> None:
        self.timeout = timeout
        self.env = os.environ if env is None else env

    def send(self, method: str, url: str, *, body: bytes | None = None,
             headers: Mapping[str, str] | None = None, what: str = "the request") -> Response:
        """Send a request and read the whole answer, or raise a KgtoolError."""
        parts = check_url(url)
        deadline = time.monotonic() + self.timeout
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout,
                context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = False
        try:
            conn.request(method, target, body=body, headers={
                "User-Agent": f"kgtool/{__version__}", **(headers or {}),
                **auth_headers(url, self.env)})
            sent = True
            sock = conn.sock
            assert sock is not None
            sock.settimeout(_remaining(deadline))
            answer = conn.getresponse()
            data = _read(answer, sock, deadline)
        except TimeoutError:
            raise LimitError(f"{what}: no complete answer from {parts.hostname} within "
                             f"{self.timeout:g} s", hint="raise --timeout, or ask for less"
                             ) from None
        except (http.client.HTTPException, ConnectionError) as error:
            if not sent:
                raise _unreachable(url, error) from None
            raise LimitError(f"{what}: the answer from {parts.hostname} was cut off "
                             f"({type(error).__name__})", hint="retry, raise --timeout, or "
                             "raise the endpoint's own time limit") from None
        except OSError as error:
            raise _unreachable(url, error) from None
        finally:
            conn.close()
        return Response(answer.status, answer.getheader("Content-Type", ""), data,
                        answer.getheader("Location", ""))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read(answer: http.client.HTTPResponse, sock, deadline: float) -> bytes:
    """The whole body; IncompleteRead when it is shorter than announced."""
    chunks, size = [], 0
    while True:
        sock.settimeout(_remaining(deadline))
        chunk = answer.read1(1 << 16)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise LimitError(f"the answer is larger than {MAX_RESPONSE_BYTES >> 20} MB",
                             hint="add LIMIT to the query")
        chunks.append(chunk)
    if answer.length:  # Content-Length promised more than arrived
        raise http.client.IncompleteRead(b"", answer.length)
    return b"".join(chunks)


def _unreachable(url: str, error: OSError) -> EndpointError:
    return EndpointError(f"cannot reach {url}: {error.strerror or error}",
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
    if status in (408, 413, 503, 504) or "timeout" in response.text.lower() \
            or "timed out" in response.text.lower():
        raise LimitError(f"{what}: the endpoint gave up (HTTP {status}: {response.text})",
                         hint="raise the endpoint's limits, or ask for less")
    if status == 400:
        raise InputError(f"{what}: the endpoint rejected it (HTTP 400: {response.text})",
                         hint="fix the request; the message above comes from the endpoint")
    raise EndpointError(f"{what}: the endpoint failed (HTTP {status}: {response.text})",
                        hint="see the endpoint's logs")

