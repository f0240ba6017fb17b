"""Options shared by several commands, as decorators.

>>> import click
>>> @click.command()
... @format_option(("table", "json"))
... def demo(fmt): click.echo(fmt)
>>> from click.testing import CliRunner
>>> CliRunner().invoke(demo, ["-f", "json"]).output
'json\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click


def format_option(choices: Sequence[str], default: str | None = None) -> Callable:
    """``-f/--format`` limited to ``choices``; the first is the default."""
    return click.option(
        "-f", "--format", "fmt", type=click.Choice(list(choices)),
        default=default or choices[0], show_default=True, help="Output format.",
    )
