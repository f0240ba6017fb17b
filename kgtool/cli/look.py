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
