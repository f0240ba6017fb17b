"""Draw a picture: its table, its alt text, and from them the static SVG and PNG and the
view that the browser runs (a compiled Vega spec, or Cytoscape.js elements).

>>> sorted(OUTPUT_FORMATS)
['.html', '.png', '.svg']
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from kgtool.errors import UsageError
from kgtool.look.alt import alt_text
from kgtool.look.definitions import LANGUAGES, Picture, find_picture
from kgtool.look.table import Table, picture_table
from kgtool.prefixes import PrefixMap

OUTPUT_FORMATS = {".svg": "SVG", ".png": "PNG", ".html": "HTML page"}


@dataclass
class Drawing:
    """One picture drawn for one set of parameters and one language."""

    engine: object
    table: Table
    prefixes: PrefixMap

    @property
    def picture(self) -> Picture:
        return self.table.picture

    @property
    def lang(self) -> str:
        return self.table.lang

    @property
    def title(self) -> str:
        return self.picture.text.get("title", self.picture.summary)[self.lang]

    @cached_property
    def alt(self) -> str:
        return alt_text(self.table)

    @cached_property
    def network(self):
        from kgtool.look.network import build_network

        return build_network(self.engine, self.table, self.prefixes)

    @cached_property
    def vega_lite(self) -> dict:
        """The filled Vega-Lite spec (a map gets the world's countries as ``world``)."""
        from kgtool.look.vega import vega_lite_spec

        table, datasets = self.table, None
        geo = self.picture.spec.get("usermeta", {}).get("geo")
        if geo:
            from kgtool.look.geo import with_numeric_codes, world_topology

            table = replace(table, records=with_numeric_codes(table.records, geo["alpha3"]))
            datasets = {"world": world_topology()}
        return vega_lite_spec(self.engine, table, self.prefixes, self.alt, datasets)

    def svg(self) -> str:
        """The static picture as an SVG document (with title, description and language)."""
        if self.picture.kind == "network":
            from kgtool.look.network_svg import network_svg

            text = self.picture.text
            headings = tuple(text.get(key, {}).get(self.lang, "") for key in ("edges", "nodes"))
            return network_svg(self.network, self.title, self.alt, self.lang, headings)
        from kgtool.look.vega import accessible_svg, vega_lite_svg

        return accessible_svg(vega_lite_svg(self.vega_lite), self.title, self.alt, self.lang)

    def png(self, scale: float = 2.0) -> bytes:
        """The static picture as PNG, its alt text in an iTXt ``Description`` chunk."""
        from kgtool.look.vega import png_with_description, svg_to_png, vega_lite_png

        if self.picture.kind == "network":
            png = svg_to_png(self.svg(), scale)
        else:
            png = vega_lite_png(self.vega_lite, scale)
        return png_with_description(png, self.alt)

    def view(self, entity_href=lambda curie: None) -> dict:
        """What the browser draws: ``{"kind": "vega", "spec": ...}`` or
        ``{"kind": "network", "elements": [...], ...}`` (the page gives the title). The
        view's container is left to right: Vega and Cytoscape place text themselves."""
        if self.picture.kind == "network":
            from kgtool.look.network_svg import cytoscape_elements

            net = self.network
            return {"kind": "network", "width": net.width, "height": net.height,
                    "elements": cytoscape_elements(net, entity_href),
                    "legend": {"edges": net.legend_edges, "nodes": net.legend_nodes}}
        from kgtool.look.vega import to_vega

        # the page's <figcaption> is the title in a page
        untitled = {key: value for key, value in self.vega_lite.items() if key != "title"}
        return {"kind": "vega", "spec": to_vega(untitled)}


def draw(engine, project, name: str, params: list[tuple[str, str]] = (), *, lang: str = "en",
         timeout: float = 30.0) -> Drawing:
    """Draw the picture ``name`` with ``-p`` parameters in a language (``en`` or ``ar``).

    >>> from kgtool.engine import load_project
    >>> from kgtool.project import find_project
    >>> project = find_project()
    >>> d = draw(load_project(project), project, "network", [("decade", "1980s")])
    >>> d.alt.startswith("The cooperation network: ")
    True
    """
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}", hint="use " + " or ".join(LANGUAGES))
    picture = find_picture(project, name)
    table = picture_table(engine, project, picture, list(params), lang=lang, timeout=timeout)
    return Drawing(engine, table, PrefixMap.from_context(project.context_path))
