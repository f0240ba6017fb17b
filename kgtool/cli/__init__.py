"""The command-line room: the click group, the Session, shared options, one module per
command group; commands parse, call one library function and render (no SPARQL, no RDF).
May import: every capability (ingest, validation, export, query), the engine and the leaves.
Public: ``cli`` (the group), ``main`` (the console script) and ``COMMANDS``.

Commands are imported on demand.
Each command group lives in ``kgtool/cli/<name>.py``: it parses its options, calls one
library function and renders; the :class:`~kgtool.cli.session.Session` holds the global
options, the project and its engine. Errors from the library (:class:`~kgtool.errors.KgtoolError`)
become one ``Error:`` line, a ``Hint:`` line and the documented exit code.

>>> from click.testing import CliRunner
>>> CliRunner().invoke(cli, ["--version"]).output.startswith("kgtool, version")
True
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from kgtool import __version__
from kgtool.cli.session import Bytes, Endpoint, Seconds, Session, report_error
from kgtool.errors import KgtoolError

__all__ = ["COMMANDS", "cli", "main"]

# command name -> "module:function"; modules are imported only when needed.
COMMANDS = {
    "describe": "kgtool.cli.query:describe",
    "docs": "kgtool.cli.look:docs",
    "export": "kgtool.cli.export:export",
    "fmt": "kgtool.cli.export:fmt",
    "ingest": "kgtool.cli.validate:ingest",
    "load": "kgtool.cli.load:load",
    "plot": "kgtool.cli.look:plot",
    "queries": "kgtool.cli.query:queries",
    "query": "kgtool.cli.query:query",
    "serve": "kgtool.cli.serve:serve",
    "stats": "kgtool.cli.stats:stats",
    "validate": "kgtool.cli.validate:validate",
}


def _set_session(ctx: click.Context, param: click.Parameter, value) -> None:
    if value is not None:
        setattr(ctx.find_object(Session), param.name, value)


def with_session_options(command: click.Command) -> click.Command:
    """Let the global options follow the command too (``kgtool query NAME --timeout 2``, as
    Jena's ``arq --timeout``): hidden copies that set the Session, unless the command has an
    option of that name itself (``load --endpoint``). Adding them twice adds nothing.

    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(cli, ["queries", "--timeout", "0"]).output.splitlines()[-1]
    "Error: Invalid value for '--timeout': '0' is not between 0.1 and 604800 seconds (a week)"
    """
    taken = {opt for param in command.params for opt in getattr(param, "opts", ())}
    session_options = [("--root", {"metavar": "DIR"}), ("--endpoint", {"type": Endpoint()}),
                       ("--timeout", {"type": Seconds()})]
    for opt, kwargs in session_options:
        if opt not in taken:
            command.params.append(click.Option([opt], hidden=True, expose_value=False,
                                               callback=_set_session, **kwargs))
    return command


#: Commands that only read the graph and write to stdout and stderr: from the console script
#: they leave without the interpreter's teardown (freeing the store and every module takes
#: about 15 ms, a tenth of ``kgtool query NAME`` on the bundled graph).
LEAVE_AT_ONCE = frozenset({"describe", "queries", "query"})


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used or listed;
    ``ran`` names the last command it ran."""

    ran: str | None = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return with_session_options(getattr(importlib.import_module(module), attr))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgtoolError as error:
            report_error(error)
            ctx.exit(error.exit_code)
        finally:
            self.ran = ctx.invoked_subcommand


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgtool")
@click.option("--root", metavar="DIR", help="Project folder (else KGTOOL_ROOT, the current "
              "folder and its parents, then the bundled graph).")
@click.option("--endpoint", type=Endpoint(), envvar="KGTOOL_ENDPOINT",
              help="Query a remote SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--timeout", type=Seconds(), default=30.0, show_default=True,
              help="Stop a query that runs longer than this (exit 4).")
@click.option("--max-bytes", type=Bytes(), default="256M", show_default=True,
              help="Refuse a remote answer larger than this (exit 4); K, M and G suffixes.")
@click.pass_context
def cli(ctx: click.Context, root: str | None, endpoint: str | None, timeout: float,
        max_bytes: int) -> None:
    """Query, export and guard spacecoop, a knowledge graph of space cooperation
    of the member states of the Organisation of Islamic Cooperation.

    Exit codes: 0 success, 1 the answer is no (data does not conform, a check
    failed), 2 usage error, 3 input could not be loaded, 4 a limit was hit.

    The global options may also follow the command: kgtool query NAME --timeout 2.
    """
    ctx.obj = Session(root=root, endpoint=endpoint, timeout=timeout, max_bytes=max_bytes)


def main() -> None:
    """Entry point of the ``kgtool`` console script; after a command of
    :data:`LEAVE_AT_ONCE`, the process ends as soon as its output is flushed."""
    try:
        cli.main(prog_name="kgtool")
    except BrokenPipeError:  # e.g. `kgtool query ... | head`
        _closed_pipe()
    except SystemExit as done:
        if cli.ran not in LEAVE_AT_ONCE or not isinstance(done.code, int | None):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            _closed_pipe()
        os._exit(done.code or 0)


def _closed_pipe() -> None:
    sys.stderr.close()
    sys.exit(0)
