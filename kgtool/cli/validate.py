"""``kgtool validate`` and ``kgtool ingest``: guard what enters the graph.

Only click is imported here; the RDF libraries load when a command runs.
"""

from __future__ import annotations

import re
import sys

import click

from kgtool.cli.options import format_option

# Equal to kgtool.validation.reading.INPUT_FORMATS (a test checks), kept here so --help stays fast.
INPUT_FORMAT_NAMES = ("turtle", "trig", "ntriples", "jsonld", "rdfxml")
_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3,
          "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}


class Size(click.ParamType):
    """A size in bytes: ``50MB``, ``512KiB`` or a plain number.

    >>> Size().convert("50MB", None, None)
    50000000
    """

    name = "SIZE"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]*)\s*", str(value))
        if not match or match[2].upper() not in _UNITS:
            self.fail(f"{value!r} is not a size such as 50MB, 512KiB or 1000000", param, ctx)
        return int(match[1]) * _UNITS[match[2].upper()]


def input_options(command):
    """``--input-format`` and ``--max-size``, for the commands that read submissions."""
    command = click.option(
        "--max-size", type=Size(), default="50MB", show_default=True,
        help="Refuse a submission file larger than this, before parsing it.")(command)
    return click.option(
        "--input-format", type=click.Choice(INPUT_FORMAT_NAMES),
        help="Format of the submission files (default: by extension; stdin: turtle).")(command)


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@input_options
@format_option(("text", "json", "turtle", "markdown"))
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]),
              default="violation", show_default=True,
              help="Lowest severity that makes validation fail (exit 1).")
@click.option("--no-checks", is_flag=True, help="Run the SHACL shapes only, not queries/checks.")
@click.option("--summary", is_flag=True,
              help="Print the number of results per rule and the summary line, not each result "
              "(text format).")
@click.option("--examples", is_flag=True,
              help="Validate ontology/examples (the contributor templates) instead of data/.")
@click.option("--engine", "shacl", type=click.Choice(["turbo", "pyshacl"]), default="turbo",
              show_default=True, help="SHACL engine for the whole graph: pyshacl-turbo (Rust), "
              "or pySHACL, the reference (slower; results are equal, a test checks).")
@click.pass_obj
def validate(session, paths: tuple[str, ...], input_format: str | None, max_size: int, fmt: str,
             fail_on: str, no_checks: bool, summary: bool, examples: bool, shacl: str) -> None:
    """Validate the whole graph, or submission files in the context of the graph.

    Without PATH: the whole graph against the shapes and the hygiene checks. With PATH
    (- for stdin; Turtle, TriG, N-Triples, JSON-LD or RDF/XML): the files as one
    submission, with the curator's checks (unknown links, IRI rule, duplicates,
    conflicts, sources); only results about the submission are reported.

    Exit 0 when it passes (no result reaches --fail-on), 1 when it does not, 3 when a
    file cannot be read. The W3C report's sh:conforms is true only without any result.

    Example: kgtool validate examples/submissions/valid/kari.ttl
    """
    from kgtool.errors import UsageError
    from kgtool.prefixes import PrefixMap
    from kgtool.validation import render_report, render_summary
    from kgtool.validation import validate as validate_graph

    if summary and fmt != "text":
        raise UsageError("--summary is a text report", hint="leave out -f, or --summary")
    project = session.project
    engine = None if examples and not paths else session.engine
    report = validate_graph(project, engine, paths, fmt=input_format, max_size=max_size,
                            checks=not no_checks, examples=examples, shacl=shacl)
    prefixes = PrefixMap.from_context(project.context_path)
    if summary:
        click.echo(render_summary(report, fail_on, short=prefixes.shorten_n3))
    else:
        click.echo(render_report(report, fmt, fail_on, color=sys.stdout.isatty(),
                                 short=prefixes.shorten_n3))
    if not report.passes(fail_on):
        click.get_current_context().exit(1)


@click.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@input_options
@click.option("--dry-run", is_flag=True,
              help="Validate, and print the triples each file of data/ would get; write nothing.")
@click.option("--recover", is_flag=True,
              help="Only roll back an interrupted ingest (data/.kgtool-journal.json).")
@click.option("--contributor", metavar="NAME",
              help="Who contributed the facts, recorded with the ingest in data/submissions.ttl.")
@click.pass_obj
def ingest(session, paths: tuple[str, ...], input_format: str | None, max_size: int,
           dry_run: bool, recover: bool, contributor: str | None) -> None:
    """Merge submission files into data/, once they conform.

    The files are validated as one submission (as 'kgtool validate PATH...' does) and
    refused, with the report, unless they conform. Each new triple goes to the
    collection file of its subject, in canonical Turtle; every file is replaced, or none
    is. The ingest is recorded in PROV-O in data/submissions.ttl. An ingest that was
    killed is rolled back by the next one, or by --recover. With --endpoint, the new
    triples and the record then go to the store too, into the graphs of their files.

    Exit 0 when ingested, 1 when refused (nothing written), 3 when a file cannot be read
    or data/ cannot be written.

    Example: kgtool ingest --contributor "Amina K." my-facts.ttl
    """
    from kgtool import ingest as library
    from kgtool.errors import UsageError
    from kgtool.export import canonical_turtle
    from kgtool.prefixes import PrefixMap
    from kgtool.validation import render_report

    project = session.project
    if recover:
        if paths:
            raise UsageError("--recover takes no files", hint="run it alone, then ingest")
        found = library.recover_project(project)
        click.echo("Rolled back an interrupted ingest." if found else
                   "Nothing to recover: no interrupted ingest.")
        return
    if not paths:
        raise UsageError("ingest needs at least one PATH", hint="kgtool ingest my-facts.ttl")
    store = None
    if session.endpoint and not dry_run:  # asked before data/ is touched
        from kgtool.ingest.remote import reachable

        store = reachable(session.endpoint, session.timeout)
    result = library.ingest(project, list(paths), dry_run=dry_run, contributor=contributor,
                            fmt=input_format, max_size=max_size)
    prefixes = PrefixMap.from_context(project.context_path)
    if result.report.results or not result.accepted:
        click.echo(render_report(result.report, "text", "violation",
                                 color=sys.stdout.isatty(), short=prefixes.shorten_n3))
    if not result.accepted:
        click.echo("Refused: nothing was written to data/.", err=True)
        click.get_current_context().exit(1)
    if not result.changes:
        click.echo("Nothing to add: every triple is already in data/.")
        return
    for change in result.changes:
        verb = "would get" if dry_run else "got"
        new = " (new file)" if change.created else ""
        click.echo(f"{change.path}{new} {verb} {len(change.added)} triples")
        if dry_run:
            click.echo(canonical_turtle(change.added, prefixes))
    if dry_run:
        click.echo("Dry run: nothing was written.")
    else:
        click.echo(f"data/submissions.ttl records the ingest as <{result.record}>")
    if store:
        from kgtool.ingest.remote import push

        sent = push(result, session.endpoint, store, timeout=session.timeout)
        click.echo(f"Sent {sent} triples to {store}.")
