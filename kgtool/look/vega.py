"""Vega-Lite pictures: the definition's spec filled for one table, compiled to Vega for the
browser and rendered to SVG and PNG by vl-convert (no browser, no network).

A spec reads its rows from the named dataset ``rows`` (and a map its countries from
``world``). Objects with one ``$`` key are filled in for the table's language:
``{"$text": key}`` a text of the definition, ``{"$label": "curie"}`` the label of a term
in the graph, ``{"$param": name}`` the value chosen for a choice parameter,
``{"$choice-label": name}`` that value's label, ``{"$values": column}`` the labels of the
column's translated values in the definition's order, and ``{"$lang": {"en": ..., "ar":
...}}`` a value per language (an axis on the right in Arabic, say).

>>> fill({"title": {"$lang": {"en": "left", "ar": "right"}}}, {"$lang": lambda v: v["ar"]})
{'title': 'right'}
"""

from __future__ import annotations

import copy
import struct
import zlib

from kgtool.look.table import Table, labels_in
from kgtool.prefixes import PrefixMap

VEGA_LITE = "6.4"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def fill(node, forms: dict):
    """Replace every one-key ``{"$form": value}`` object by ``forms[form](value)``."""
    if isinstance(node, dict):
        if len(node) == 1:
            (key, value), = node.items()
            if key in forms:
                return forms[key](value)
        return {key: fill(value, forms) for key, value in node.items()}
    if isinstance(node, list):
        return [fill(item, forms) for item in node]
    return node


def _curies(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        if set(node) == {"$label"}:
            found.add(node["$label"])
        for value in node.values():
            _curies(value, found)
    elif isinstance(node, list):
        for item in node:
            _curies(item, found)
    return found


def vega_lite_spec(engine, table: Table, prefixes: PrefixMap, alt: str,
                   datasets: dict | None = None) -> dict:
    """The definition's spec with its forms filled, the rows as dataset ``rows`` (and any
    other ``datasets``), the alt text as its description, and text set right to left in
    Arabic."""
    picture, lang = table.picture, table.lang
    curies = _curies(picture.spec, set())
    labels = labels_in(engine, {prefixes.expand(c) for c in curies}, lang)
    forms = {
        "$text": lambda key: picture.text[key][lang],
        "$label": lambda curie: labels.get(prefixes.expand(curie), curie),
        "$param": lambda name: table.choices[name],
        "$choice-label": lambda name: picture.params[name].choices[table.choices[name]][lang],
        "$lang": lambda values: values[lang],
        "$values": lambda column: [text[lang] for text in picture.values[column].values()],
    }
    spec = fill(copy.deepcopy(picture.spec), forms)
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    spec["description"] = alt
    spec["datasets"] = {**(datasets or {}), "rows": table.records}
    config = spec.setdefault("config", {})
    config.setdefault("font", FONT)
    if lang == "ar":
        config.setdefault("title", {}).setdefault("anchor", "end")
        config.setdefault("legend", {}).setdefault("orient", "left")
    return spec


def to_vega(spec: dict) -> dict:
    """The Vega spec that the browser runs (compiled here, so it needs no Vega-Lite)."""
    import vl_convert

    return vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE)


def vega_lite_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE)


def vega_lite_png(spec: dict, scale: float = 2.0) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE, scale=scale)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """Rasterize an SVG with vl-convert's renderer (resvg)."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)


def accessible_svg(svg: str, title: str, alt: str, lang: str) -> str:
    """Give an SVG document a ``<title>``, a ``<desc>`` with the alt text, ``role="img"``
    and its language.

    >>> accessible_svg('<svg a="1"><g/></svg>', "T", "D", "en")[:60]
    '<svg a="1" role="img" aria-labelledby="title desc" lang="en"'
    """
    from xml.sax.saxutils import escape

    end = svg.index(">", svg.index("<svg"))
    head = svg[:end].replace(' role="graphics-document document"', "")
    return (f'{head} role="img" aria-labelledby="title desc" lang="{lang}">'
            f'<title id="title">{escape(title)}</title><desc id="desc">{escape(alt)}</desc>'
            + svg[end + 1:])


def png_with_description(png: bytes, text: str) -> bytes:
    """Add the alt text to a PNG as an iTXt chunk with the keyword ``Description``.

    >>> png = png_with_description(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0\\0\\0\\rIHDR" + bytes(17), "x")
    >>> b"iTXtDescription" in png
    True
    """
    body = b"Description\0\0\0\0\0" + text.encode("utf-8")
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF)
    after_header = 8 + 4 + 4 + 13 + 4  # signature, IHDR length, type, data, CRC
    return png[:after_header] + chunk + png[after_header:]
