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
from collections.abc import Iterable, Iterator, Sequence

from kgtool.errors import escape_control

TABULAR_FORMATS = ("table", "csv", "tsv", "json", "markdown")


def display_width(text: str) -> int:
    """Columns a string takes on a terminal (wide CJK characters count two, marks none).

    >>> display_width("abc"), display_width("مرحبا")
    (3, 5)
    """
    if text.isascii():
        return len(text)
    import unicodedata  # not on the path of an ASCII answer

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
    lines = view_lines(columns, [cells], fmt)
    return "\n".join([*lines, escape_control(footer)] if footer and fmt == "table" else lines)


def view_lines(columns: Sequence[str], batches: Iterable[Sequence[Sequence[str | None]]],
               fmt: str = "table") -> Iterator[str]:
    """The lines of a table or Markdown view of rows that come in batches, control and bidi
    characters escaped. A table takes its column widths from the header and the first batch,
    so it can be written as the rows arrive; a longer cell later pushes its line out.

    >>> list(view_lines(["n", "name"], [[["1", "a"]], [["22", "bbb"]]]))
    ['n  name', '-  ----', '1  a', '22  bbb']
    """
    def shown(row: Sequence[str | None]) -> list[str]:
        return ["" if c is None else escape_control(str(c)) for c in row]

    columns = shown(columns)
    if fmt == "markdown":
        def cells(values: Sequence[str]) -> str:
            return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

        yield cells(columns)
        yield cells(["---"] * len(columns))
        yield from (cells(shown(row)) for batch in batches for row in batch)
        return
    batches = iter(batches)
    first = [shown(row) for row in next(batches, [])]
    widths = [max([display_width(c), *(display_width(r[i]) for r in first)])
              for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(_pad(c, w) for c, w in zip(values, widths, strict=True)).rstrip()

    yield line(columns)
    yield "  ".join("-" * w for w in widths)
    yield from (line(r) for r in first)
    yield from (line(shown(row)) for batch in batches for row in batch)
