"""Write files atomically, and keep the project's Turtle files canonical (``kgtool fmt``).

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "out.nt"
>>> with open_atomic(path) as out:
...     _ = out.write(b"")
>>> path.exists()
True
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgtool.errors import InputError, KgtoolError, UsageError
from kgtool.export.turtle import canonical_turtle, parse_turtle
from kgtool.prefixes import PrefixMap
from kgtool.project import Project


@contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` only when the block ends without error.

    The data goes to a temporary file in the same folder, is flushed and fsynced, then
    renamed over ``path`` (keeping its permissions).
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise KgtoolError(f"cannot write {path} ({error.strerror or error})",
                          hint="check that the folder exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def turtle_files(project: Project, paths: Sequence[Path] = ()) -> list[Path]:
    """The files ``fmt`` works on: the given ones (folders: their .ttl files), else all."""
    if not paths:
        return (project.ontology_files() + project.shape_files() + project.example_files()
                + project.data_files())
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.ttl"))
        elif path.suffix == ".ttl":
            files.append(path)
        else:
            raise UsageError(f"{path}: not a Turtle file", hint="fmt works on .ttl files")
    return list(dict.fromkeys(files))


def format_files(paths: Sequence[Path], prefixes: PrefixMap, *, check: bool = False,
                 display: Callable[[Path], str] = str) -> list[Path]:
    """The files whose text is not canonical; unless ``check``, rewrite them atomically.

    Every file is parsed and formatted before any is written.
    """
    results = [(path, *format_file(path, prefixes, display=display(path))) for path in paths]
    changed = [(path, text) for path, differs, text in results if differs]
    if not check:
        for path, text in changed:
            with open_atomic(path) as out:
                out.write(text.encode())
    return [path for path, _ in changed]


def format_file(path: Path, prefixes: PrefixMap, *, display: str | None = None,
                ) -> tuple[bool, str]:
    """(changed, canonical text) of a Turtle file; the file itself is not written.

    The new text is parsed again and compared with the old triples before it is returned.
    """
    shown = display or str(path)
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{shown}: cannot read file ({error})",
                         hint="check that the file exists and is UTF-8") from None
    triples = parse_turtle(old, shown)
    new = canonical_turtle(triples, prefixes)
    again = parse_turtle(new, shown + " (formatted)")
    ground = [t for t in triples if not _has_blank(t)]
    if len(set(again)) != len(set(triples)) or set(ground) != {
            t for t in again if not _has_blank(t)}:
        raise KgtoolError(f"{shown}: the canonical form would change the triples",
                          hint="the file was left alone; please report this as a kgtool bug")
    return new != old, new


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
