"""``kgtool export`` and ``kgtool fmt``: write the graph out, keep the Turtle files canonical.

Only click is imported here; the RDF libraries load when a command runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from kgtool.cli.options import format_option

# Equal to kgtool.export.FORMATS (a test checks), kept here so that --help stays fast.
FORMAT_NAMES = ("turtle", "json-ld", "nt", "nq", "trig", "xml")
PART_NAMES = ("data", "ontology", "shapes", "all")


@click.command()
@format_option(FORMAT_NAMES)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE (replaced only when the export succeeds) instead of stdout.")
@click.option("--part", "parts", type=click.Choice(PART_NAMES), multiple=True,
              help="Files to export: data (default), ontology, shapes or all; repeatable.")
@click.option("--class", "classes", multiple=True, metavar="CURIE",
              help="Only instances of the class or its subclasses; repeatable.")
@click.option("--entity", "entities", multiple=True, metavar="IRI",
              help="Only the entity and its signings, launches, spaceflights and memberships; "
                   "repeatable.")
@click.option("--query", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE.rq", help="Only the triples that this CONSTRUCT query builds.")
@click.option("--frame", metavar="FRAME.json|nation|agreement",
              help="Frame the JSON-LD output with a frame file or a built-in frame.")
@click.pass_obj
def export(session, fmt: str, output: Path | None, parts: tuple[str, ...],
           classes: tuple[str, ...], entities: tuple[str, ...], query: Path | None,
           frame: str | None) -> None:
    """Export the graph or a subset as Turtle, JSON-LD, N-Triples, N-Quads, TriG or RDF/XML.

    Output is deterministic. Turtle is the canonical form of 'kgtool fmt'; JSON-LD is
    compacted with ontology/context.jsonld (nothing is fetched); N-Triples and N-Quads
    of whole parts stream. Subsets: instances of --class with their blank nodes, an
    --entity with its fact nodes, or what a CONSTRUCT --query builds.

    Example: kgtool export -f json-ld --frame nation -o nations.jsonld
    """
    from kgtool import export as library

    options = dict(part=parts or ("data",), classes=classes, entities=entities, query=query,
                   frame=frame, context_path=session.project.context_path,
                   timeout=session.timeout)
    if output is None:
        with click.open_file("-", "wb") as stdout:
            library.export(session.engine, fmt, stdout, **options)
        return
    with library.open_atomic(output) as out:
        count = library.export(session.engine, fmt, out, **options)
    click.echo(f"{count} statements written to {output}", err=True)


@click.command()
@click.option("--check", is_flag=True,
              help="Change nothing; list the files that are not canonical and exit 1.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_obj
def fmt(session, check: bool, paths: tuple[Path, ...]) -> None:
    """Rewrite Turtle files in canonical form (default: every .ttl file of the project).

    Project prefixes only, subjects grouped by class and sorted, so that a diff shows
    only real changes. Comments are not kept (section comments are generated). Files
    are written atomically, and only after all of them were parsed and checked.

    Example: kgtool fmt --check data/nations.ttl
    """
    from kgtool.export import format_files, turtle_files
    from kgtool.prefixes import PrefixMap

    project = session.project
    files = turtle_files(project, paths)
    changed = format_files(files, PrefixMap.from_context(project.context_path), check=check,
                           display=project.relative)
    for path in changed:
        click.echo(project.relative(path))
    if check and changed:
        click.echo(f"{len(changed)} of {len(files)} files are not canonical; "
                   "run 'kgtool fmt' to rewrite them", err=True)
        raise click.exceptions.Exit(1)
    done = "would be reformatted" if check else "reformatted"
    click.echo(f"{len(changed)} files {done}, {len(files) - len(changed)} already canonical",
               err=True)
