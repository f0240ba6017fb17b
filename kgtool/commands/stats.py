"""``kgtool stats``: what is loaded, in a table or as JSON."""

from __future__ import annotations

import json

import click

from kgtool.commands.options import format_option


@click.command()
@format_option(("table", "json"))
@click.pass_obj
def stats(session, fmt: str) -> None:
    """Show triples loaded, files, ontology version and instances per class.

    Example: kgtool stats -f json
    """
    from kgtool.output import render_rows
    from kgtool.prefixes import PrefixMap
    from kgtool.stats import compute_stats

    project = session.project
    result = compute_stats(project.engine, files=len(project.graph_files()))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    prefixes = PrefixMap.from_context(project.context_path)
    click.echo(f"Project:          {project.root} (found by {project.how})")
    click.echo(f"Ontology version: {result.ontology_version or '(none)'}")
    click.echo(f"Files loaded:     {result.files}")
    click.echo(f"Triples loaded:   {result.triples}")
    click.echo()
    rows = [[prefixes.shorten(c), str(n)] for c, n in result.classes]
    click.echo(render_rows(["class", "instances"], rows,
                           footer=f"{len(rows)} classes with instances in data/"))
