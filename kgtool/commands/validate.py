"""``kgtool validate`` and ``kgtool ingest``: guard what enters the graph."""

from __future__ import annotations

import sys

import click

from kgtool.commands.options import format_option


@click.command()
@format_option(("text", "json", "turtle", "markdown"))
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]),
              default="violation", show_default=True,
              help="Lowest severity that makes validation fail (exit 1).")
@click.option("--no-checks", is_flag=True, help="Run the SHACL shapes only, not queries/checks.")
@click.pass_obj
def validate(session, fmt: str, fail_on: str, no_checks: bool) -> None:
    """Validate the whole graph against the shapes and the hygiene checks.

    Exit 0 when it conforms, 1 when it does not.

    Example: kgtool validate --fail-on warning
    """
    from kgtool.prefixes import PrefixMap
    from kgtool.queries import load_checks
    from kgtool.render_report import render_report
    from kgtool.validate import validate_engine

    project = session.project
    checks = [] if no_checks else load_checks(project)
    report = validate_engine(project.engine, checks)
    prefixes = PrefixMap.from_context(project.context_path)
    click.echo(render_report(report, fmt, fail_on, color=sys.stdout.isatty(),
                             short=prefixes.shorten_n3))
    if not report.conforms(fail_on):
        click.get_current_context().exit(1)
