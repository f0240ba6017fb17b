"""One renderer for tabular results: aligned text table, CSV, TSV, JSON and Markdown.

Cells are plain strings (or None); the caller decides how terms look. The views for people
(table, Markdown) escape control and bidi characters, so a cell cannot retitle a terminal or
reverse a line; the machine formats (CSV, TSV, JSON) keep every byte.

>>> print(render_rows(["class", "n"], [["sc:Nation", "57"]], "markdown"))
| class | n |
| --- | --- |
| sc:Nation | 57 |
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence

from kgtool.errors import escape_control

TABULAR_FORMATS = ("table", "csv", "tsv", "json", "markdown")


def display_width(text: str) -> int:
    """Columns a string takes on a terminal (wide CJK characters count two, marks none).

    >>> display_width("abc"), display_width("مرحبا")
    (3, 5)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render_rows(
    columns: Sequence[str], rows: Sequence[Sequence[str | None]], fmt: str = "table",
    *, footer: str | None = None,
) -> str:
    """Render rows of strings in one of TABULAR_FORMATS; ``footer`` ends a table.

    >>> print(render_rows(["x"], [["a" + chr(0x1b) + "]0;t" + chr(7) + chr(0x202e) + "b"]]))
    x
    --------------------
    a\\x1b]0;t\\x07\\u202eb
    """
    cells = [["" if c is None else str(c) for c in row] for row in rows]
    if fmt == "json":
        return json.dumps([dict(zip(columns, row, strict=True)) for row in rows],
                          ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return buf.getvalue().rstrip("\n")
    columns = [escape_control(c) for c in columns]
    cells = [[escape_control(c) for c in row] for row in cells]
    if fmt == "markdown":
        def line(values: Sequence[str]) -> str:
            return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

        out = [line(columns), line(["---"] * len(columns)), *(line(r) for r in cells)]
        return "\n".join(out)
    widths = [max([display_width(c), *(display_width(r[i]) for r in cells)])
              for i, c in enumerate(columns)]
    out = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in cells]
    if footer:
        out.append(escape_control(footer))
    return "\n".join(out)
