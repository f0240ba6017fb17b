"""The state one command line shares: global options, the project found from them, and its
engine, each made on first use; the option types that check ``--timeout`` and
``--endpoint`` before any command runs; and how an error is printed.

>>> Session(root=None).timeout
30.0
"""

from __future__ import annotations

from typing import ClassVar

import click

from kgtool.errors import KgtoolError, escape_control


class Session:
    """Global options, and the project and engine found from them on first use."""

    def __init__(self, root: str | None = None, endpoint: str | None = None,
                 timeout: float = 30.0, max_bytes: int = 256 << 20) -> None:
        self.root, self.endpoint, self.timeout, self.max_bytes = root, endpoint, timeout, max_bytes
        self._project: object = None
        self._engine: object = None

    @property
    def project(self):  # -> kgtool.project.Project
        if self._project is None:
            from kgtool.project import find_project

            project = find_project(self.root)
            project.endpoint, project.timeout = self.endpoint, self.timeout
            project.max_bytes = self.max_bytes
            self._project = project
        return self._project

    @property
    def engine(self):  # -> kgtool.engine.Engine
        """The project's engine (``--endpoint``, else the embedded store), opened once."""
        if self._engine is None:
            from kgtool.engine import open_engine

            self._engine = open_engine(self.project)
        return self._engine


def report_error(error: KgtoolError) -> None:
    """Print ``Error: message`` and ``Hint: hint`` on stderr, control characters escaped."""
    click.echo(f"Error: {escape_control(error.message)}", err=True)
    if error.hint:
        click.echo(f"Hint: {escape_control(error.hint)}", err=True)


MAX_TIMEOUT = 7 * 24 * 3600.0


class Seconds(click.ParamType):
    """A finite number of seconds from 0.1 to a week: ``nan``, ``inf`` and ``1e308`` are
    refused, since no clock can wait for them.

    >>> Seconds().convert("2.5", None, None)
    2.5
    """

    name = "SECONDS"

    def convert(self, value, param, ctx) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not 0.1 <= seconds <= MAX_TIMEOUT:  # also false for nan
            self.fail(f"{value!r} is not between 0.1 and {MAX_TIMEOUT:g} seconds (a week)",
                      param, ctx)
        return seconds


class Bytes(click.ParamType):
    """A size in bytes, with an optional K, M or G suffix (powers of 1024), at least 1 KB.

    >>> Bytes().convert("256M", None, None)
    268435456
    """

    name = "SIZE"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B")
        unit = text[-1:] if text[-1:] in "KMG" and text[-1:] else ""
        try:
            size = int(text[:len(text) - len(unit)]) * self._UNITS[unit]
        except ValueError:
            self.fail(f"{value!r} is not a size (e.g. 256M)", param, ctx)
        if size < 1024:
            self.fail(f"{value!r} is less than 1K", param, ctx)
        return size


class Endpoint(click.ParamType):
    """An http(s) URL without credentials, checked before any command runs."""

    name = "URL"

    def convert(self, value, param, ctx) -> str:
        from kgtool.engine.http import check_url
        from kgtool.errors import UsageError

        try:
            check_url(value)
        except UsageError as error:
            self.fail(error.message, param, ctx)
        return value
