"""What ``kgtool serve`` is started with, and the headers every answer carries.

>>> Settings(root=".").max_rows
100000
>>> "default-src 'none'" in CONTENT_SECURITY_POLICY
True
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.validation import DEFAULT_MAX_SIZE

#: Every asset comes from the server itself: a script, style, font or image from anywhere
#: else (a CDN) is blocked, and so are inline scripts and styles, frames and plugins.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin",
                    "Cross-Origin-Opener-Policy": "same-origin"}


@dataclass(frozen=True)
class Settings:
    """The server's options: where the project is, its limits, and who may call it."""

    root: str
    endpoint: str | None = None
    timeout: float = 30.0  # seconds per query (and per submission check)
    workers: int = 2  # queries answered at once, one worker process each
    queue: int = 64  # requests waiting for a worker; past that, 503 with Retry-After
    max_rows: int = 100_000  # rows of an answer; more is a 400, never a cut-off answer
    max_body: int = 1024 * 1024  # bytes of a request (a query); more is a 413
    max_size: int = DEFAULT_MAX_SIZE  # bytes of a submission on the check page
    cors: str | None = None  # the one origin that may call /sparql from a browser
    store: str | None = None  # KGTOOL_STORE for the workers
    pictures: bool = True  # the pictures of kgtool.look at /pictures/
