"""``kgtool stats``: what is loaded, in a table or as JSON."""

from __future__ import annotations

import json

import click

from kgtool.cli.options import format_option


@click.command()
@format_option(("table", "json", "summary"))
@click.option("--coverage/--no-coverage", default=True, show_default=True,
              help="Add the coverage table per OIC member state (queries/coverage.rq).")
@click.pass_obj
def stats(session, fmt: str, coverage: bool) -> None:
    """Show triples, files, ontology version, instances per class, and coverage.

    Example: kgtool stats -f json
    """
    from kgtool.errors import escape_control
    from kgtool.output import render_rows
    from kgtool.prefixes import PrefixMap
    from kgtool.query import project_stats

    project = session.project
    result = project_stats(session.engine, project, coverage)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    if fmt == "summary":
        click.echo(result.summary())
        return
    prefixes = PrefixMap.from_context(project.context_path)
    # the folder's name and the version literal come from outside: escaped like any cell
    click.echo(escape_control(f"Project:          {project.root} (found by {project.how})"))
    click.echo(escape_control(f"Ontology version: {result.ontology_version or '(none)'}"))
    click.echo(f"Files loaded:     {result.files}")
    click.echo(f"Triples loaded:   {result.triples}")
    click.echo()
    click.echo(f"Fact nodes with a source: {result.sourced_nodes} of {result.fact_nodes} "
               f"({result.source_share:.1%})")
    click.echo(f"  with a primary or catalogue source: {result.strongly_sourced} "
               f"({result.strong_share:.1%})")
    if result.source_kinds:
        click.echo("  source URLs by kind of host: " + ", ".join(
            f"{kind} {n}" for kind, n in result.source_kinds.items()))
    click.echo(f"Spacecraft: {result.spacecraft}, with a COSPAR ID {result.with_cospar}, "
               f"with a NORAD number {result.with_norad}")
    click.echo()
    rows = [[prefixes.shorten(c), str(n)] for c, n in result.classes]
    click.echo(render_rows(["class", "instances"], rows,
                           footer=f"{len(rows)} classes with instances in data/"))
    if result.coverage:
        click.echo()
        columns = ["nation", "agency", "organizations", "agreements", "spacecraft", "people",
                   "reviewed"]
        rows = [[prefixes.shorten(str(r["nation"])), "yes" if r["organizations"] else "no",
                 str(r["organizations"]), str(r["agreements"]), str(r["spacecraftCount"]),
                 str(r["people"]), r.get("reviewedOn") or "not yet"] for r in result.coverage]
        with_agency = sum(1 for r in result.coverage if r["organizations"])
        click.echo(render_rows(columns, rows, footer=f"{len(rows)} OIC member states, "
                               f"{with_agency} with a recorded agency or operator, "
                               f"{result.reviewed} reviewed"))
