"""``kgtool plot``: draw a picture into a file, SVG, PNG or an HTML page by its extension;
and the fragment that a web page embeds.

An HTML page loads its scripts from ``kgtool-look/`` beside it, which is written too.
Files are written whole or not at all (a temporary file renamed into place).

>>> output_format(Path("build/map.svg"))
'.svg'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kgtool.errors import InputError, UsageError
from kgtool.look.drawing import OUTPUT_FORMATS, Drawing, draw
from kgtool.look.html import Fragment, copy_assets, fragment_of, page

ASSET_FOLDER = "kgtool-look"


def output_format(path: Path) -> str:
    """The output format of a file name, by its extension."""
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise UsageError(f"{path}: unknown picture format {suffix or '(none)'}",
                         hint="write to a .svg, .png or .html file")
    return suffix


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(f"{path}: cannot write ({error.strerror or error})",
                         hint="check that the folder exists and is writable") from None


def picture_fragment(engine, project, name: str, params=(), *, lang: str = "en",
                     entity_base: str | None = None, timeout: float = 30.0) -> Fragment:
    """The HTML fragment of a picture and the static assets it needs (for ``kgtool serve``:
    serve :data:`kgtool.look.STATIC_DIR` and load ``fragment.assets`` from there)."""
    drawing = draw(engine, project, name, list(params), lang=lang, timeout=timeout)
    return fragment_of(drawing, entity_base=entity_base)


def plot(engine, project, name: str, params, output: Path, *, lang: str = "en",
         timeout: float = 30.0) -> Drawing:
    """Draw the picture ``name`` into ``output`` (.svg, .png or .html)."""
    suffix = output_format(output)
    drawing = draw(engine, project, name, list(params), lang=lang, timeout=timeout)
    if suffix == ".svg":
        write_atomic(output, drawing.svg().encode("utf-8"))
    elif suffix == ".png":
        write_atomic(output, drawing.png())
    else:
        fragment = fragment_of(drawing)
        copy_assets(fragment.assets, output.parent / ASSET_FOLDER)
        html = page(fragment.title, f"<main>{fragment.html}</main>", fragment.assets,
                    lang=lang, asset_prefix=f"{ASSET_FOLDER}/")
        write_atomic(output, html.encode("utf-8"))
    return drawing
