"""A picture in a web page: an HTML fragment that a page (the docs site, ``kgtool serve``)
embeds, and a whole page for ``kgtool plot -o FILE.html``.

The fragment is a ``<figure>`` with the alt text, the view's data as JSON in a
``<script type="application/json">`` (never an inline script), a legend where the view
needs one, and the data as a table; ``static/look.js`` draws every such figure on the page
with Vega (and its CSP-safe expression interpreter) or Cytoscape.js. The page therefore
runs under a Content Security Policy without ``unsafe-inline`` or ``unsafe-eval``.

>>> json_for_script({"a": "</script>"})
'{"a":"\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kgtool.look.drawing import Drawing
from kgtool.look.words import separator, word
from kgtool.vocab import ID

STATIC_DIR = Path(__file__).parent / "static"
VEGA_ASSETS = ("look.css", "vendor/vega.min.js", "look.js")
NETWORK_ASSETS = ("look.css", "vendor/cytoscape.min.js", "look.js")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Fragment:
    """A picture ready for a page: its HTML and the static assets that page must load
    (paths under :data:`STATIC_DIR`, stylesheets first, scripts in order)."""

    html: str
    assets: tuple[str, ...]
    title: str
    alt: str


def json_for_script(value: object) -> str:
    """JSON that cannot end its ``<script>`` element or start a comment in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def entity_linker(prefixes, entity_base: str | None):
    """A function from a CURIE (or IRI) to the web app's entity page
    (``<entity_base>/id/<type>/<slug>``), or to None when there is no web app.

    >>> from kgtool.prefixes import PrefixMap
    >>> entity_linker(PrefixMap({"nation": ID + "nation/"}), "")("nation:sau")
    '/id/nation/sau'
    """
    def href(term: str) -> str | None:
        if entity_base is None:
            return None
        try:
            iri = prefixes.expand(term)
        except Exception:
            return None
        if not iri.startswith(ID) or any(c in iri for c in "\"'<> "):
            return None
        return f"{entity_base.rstrip('/')}/id/{iri[len(ID):]}"

    return href


def _cell(record: dict, column: str, href) -> str:
    value = record.get(column)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(escape(str(v)) for v in record.get(column + "Label", value))
    text = escape(str(record.get(column + "Label", value)))
    link = href(str(value)) if column + "Label" in record else None
    return f'<a href={quoteattr(link)}>{text}</a>' if link else text


def data_table(drawing: Drawing, href) -> str:
    """The picture's records as an HTML table, one column per query variable."""
    columns = _variables(drawing)
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(r, c, href)}</td>" for c in columns)
                   + "</tr>" for r in drawing.table.records)
    return (f'<details class="kgtool-data"><summary>{escape(word("data", drawing.lang))} '
            f'({len(drawing.table.records)})</summary><div class="kgtool-scroll"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></details>")


def _variables(drawing: Drawing) -> list[str]:
    seen: dict[str, None] = {}
    for record in drawing.table.records:
        for key in record:
            if not key.endswith("Label") or key[:-5] not in record:
                seen.setdefault(key, None)
    return list(seen)


def _legend(drawing: Drawing, view: dict) -> str:
    if view["kind"] != "network":
        return ""
    text = drawing.picture.text
    parts = []
    for key, items, shape in (("edges", view["legend"]["edges"], "line"),
                              ("nodes", view["legend"]["nodes"], "circle")):
        mark = ('<svg width="16" height="12" aria-hidden="true"><line x1="1" y1="6" x2="15" '
                'y2="6" stroke="{c}" stroke-width="3"/></svg>' if shape == "line" else
                '<svg width="16" height="12" aria-hidden="true"><circle cx="8" cy="6" r="5" '
                'fill="{c}"/></svg>')
        entries = "".join(f"<li>{mark.format(c=escape(colour))} {escape(label)}</li>"
                          for label, colour in items)
        heading = escape(text.get(key, {}).get(drawing.lang, key))
        parts.append(f"<div><strong>{heading}</strong><ul>{entries}</ul></div>")
    return f'<div class="kgtool-legend">{"".join(parts)}</div>'


def fragment_of(drawing: Drawing, *, entity_base: str | None = None,
                element_id: str | None = None) -> Fragment:
    """The fragment of a drawing; ``entity_base`` makes nodes and cells link to the web
    app's entity pages."""
    href = entity_linker(drawing.prefixes, entity_base)
    view = drawing.view(href)
    lang = drawing.lang
    element_id = element_id or f"picture-{drawing.picture.name}"
    kind = "network" if view["kind"] == "network" else "vega"
    filters = separator(lang).join(f"{k}: {v}" for k, v in sorted(drawing.table.filters.items()))
    html = (f'<figure class="kgtool-picture kgtool-{kind}" id={quoteattr(element_id)} '
            f'lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'
            f"<figcaption>{escape(drawing.title)}"
            + (f" <small>({escape(filters)})</small>" if filters else "") + "</figcaption>"
            f'<div class="kgtool-view" dir="ltr" role="img" aria-label={quoteattr(drawing.alt)}>'
            f"</div>"
            + _legend(drawing, view)
            + f'<p class="kgtool-alt">{escape(drawing.alt)}</p>'
            f'<script type="application/json" class="kgtool-picture-data">'
            f"{json_for_script(view)}</script>"
            + data_table(drawing, href) + "</figure>")
    assets = NETWORK_ASSETS if kind == "network" else VEGA_ASSETS
    return Fragment(html, assets, drawing.title, drawing.alt)


def page(title: str, body: str, assets: tuple[str, ...], *, lang: str, asset_prefix: str) -> str:
    """A whole HTML document under the strict CSP, loading ``assets`` from
    ``asset_prefix``."""
    links = "".join(f'<link rel="stylesheet" href={quoteattr(asset_prefix + a)}>'
                    for a in assets if a.endswith(".css"))
    scripts = "".join(f'<script src={quoteattr(asset_prefix + a)}></script>'
                      for a in assets if a.endswith(".js"))
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'
            f'<head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="icon" href="data:,">'
            f"<title>{escape(title)}</title>{links}</head>"
            f"<body>{body}{scripts}</body></html>\n")


def copy_assets(assets: tuple[str, ...] | list[str], target: Path) -> None:
    """Copy static assets (and the vendored licences) under ``target``, as pages expect."""
    for asset in [*assets, "vendor/LICENSES.txt"]:
        destination = target / asset
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATIC_DIR / asset, destination)
