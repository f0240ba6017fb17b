"""``kgtool plot`` and ``kgtool docs``: pictures of the graph, and the documentation site."""

from __future__ import annotations

from pathlib import Path

import click

LANGUAGES = ("en", "ar")


@click.command()
@click.argument("name")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="VAR VALUE",
              help="A parameter of the picture (a filter, a choice) or of its query.")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write: FILE.svg, FILE.png or FILE.html (by its extension).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of labels and alt text (ar: Arabic, right to left).")
@click.pass_obj
def plot(session, name: str, params, output: Path, lang: str) -> None:
    """Draw a picture (queries/NAME.plot.json) from its named query.

    Prints the file written and the picture's alt text. Pictures: network,
    timeline, map, launches-per-decade, spacecraft-by-maker, benefits-by-nation.

    Example: kgtool plot network -p nation nation:sau -o build/network.svg
    """
    from kgtool.look import plot as draw_into

    drawing = draw_into(session.engine, session.project, name, list(params), output,
                        lang=lang, timeout=session.timeout)
    click.echo(f"{output}: {drawing.alt}")


@click.command()
@click.option("-o", "--output", "output", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the site into (its en/, ar/, static/ and files/ "
                   "are replaced).")
@click.option("--entity-base", metavar="URL",
              help="Link things of the graph to a web app's entity pages, URL/id/<type>/<slug> "
                   "(e.g. '' for the same host, as kgtool serve gives them).")
@click.pass_obj
def docs(session, output: Path, entity_base: str | None) -> None:
    """Build the documentation site of the ontology, in English and Arabic.

    Classes, properties, vocabularies, shapes as "what a record needs", the
    named queries with sample results, the pictures, coverage with the map,
    and the project's Markdown pages; static HTML under a strict CSP.

    Example: kgtool docs -o site/
    """
    from kgtool.look import build_site

    report = build_site(session.engine, session.project, output, entity_base=entity_base,
                        timeout=session.timeout)
    kinds = ", ".join(f"{len(paths)} {kind}" for kind, paths in sorted(report.pages.items()))
    click.echo(f"{output}: {report.count} pages ({kinds})")
