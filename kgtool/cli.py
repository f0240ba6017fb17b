"""The ``kgtool`` command line: a click group whose commands are imported on demand.

Each command lives in ``kgtool/commands/<name>.py``, parses its options, calls the
library and renders. Errors from the library (:class:`~kgtool.errors.KgtoolError`)
become one ``Error:`` line, a ``Hint:`` line and the documented exit code.

>>> from click.testing import CliRunner
>>> CliRunner().invoke(cli, ["--version"]).output.startswith("kgtool, version")
True
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field

import click

from kgtool import __version__
from kgtool.errors import KgtoolError, escape_control

# command name -> "module:function"; modules are imported only when needed.
COMMANDS = {
    "describe": "kgtool.commands.query:describe",
    "export": "kgtool.commands.export:export",
    "fmt": "kgtool.commands.export:fmt",
    "ingest": "kgtool.commands.validate:ingest",
    "load": "kgtool.commands.load:load",
    "queries": "kgtool.commands.query:queries",
    "query": "kgtool.commands.query:query",
    "stats": "kgtool.commands.stats:stats",
    "validate": "kgtool.commands.validate:validate",
}


@dataclass
class Session:
    """Global options, and the project found from them on first use."""

    root: str | None = None
    endpoint: str | None = None
    timeout: float = 30.0
    _project: object = field(default=None, repr=False)

    @property
    def project(self):  # -> kgtool.project.Project
        if self._project is None:
            from kgtool.project import find_project

            project = find_project(self.root)
            project.endpoint, project.timeout = self.endpoint, self.timeout
            self._project = project
        return self._project


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


class Endpoint(click.ParamType):
    """An http(s) URL without credentials, checked before any command runs."""

    name = "URL"

    def convert(self, value, param, ctx) -> str:
        from kgtool.errors import UsageError
        from kgtool.remote import check_url

        try:
            check_url(value)
        except UsageError as error:
            self.fail(error.message, param, ctx)
        return value


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgtoolError as error:
            report_error(error)
            ctx.exit(error.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgtool")
@click.option("--root", metavar="DIR", help="Project folder (else KGTOOL_ROOT, the current "
              "folder and its parents, then the bundled graph).")
@click.option("--endpoint", type=Endpoint(), envvar="KGTOOL_ENDPOINT",
              help="Query a remote SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--timeout", type=Seconds(), default=30.0, show_default=True,
              help="Stop a query that runs longer than this (exit 4).")
@click.pass_context
def cli(ctx: click.Context, root: str | None, endpoint: str | None, timeout: float) -> None:
    """Query, export and guard spacecoop, a knowledge graph of space cooperation
    of the member states of the Organisation of Islamic Cooperation.

    Exit codes: 0 success, 1 the answer is no (data does not conform, a check
    failed), 2 usage error, 3 input could not be loaded, 4 a limit was hit.
    """
    ctx.obj = Session(root=root, endpoint=endpoint, timeout=timeout)


def main() -> None:
    """Entry point of the ``kgtool`` console script."""
    try:
        cli.main(prog_name="kgtool")
    except BrokenPipeError:  # e.g. `kgtool query ... | head`
        sys.stderr.close()
        sys.exit(0)
