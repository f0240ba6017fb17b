"""The lock and the journal of data/: how the one writer (ingest) and its readers agree.

An ingest holds ``data/.kgtool.lock`` exclusively while it writes; every reader (query,
validate, export, a dry run) holds it shared while it loads the files, so nobody reads a
half-applied ingest. An ingest that is killed leaves ``data/.kgtool-journal.json``: until
the next ingest (or ``kgtool ingest --recover``) rolls it back, readers refuse to load data/.

A journal is untrusted input (a checkout or a pull request can carry one): each entry must
name a plain ``.ttl`` file directly inside data/, and its backup and new copy by the names
ingest gives them, none of them a symbolic link. Anything else is refused before any file
is touched.

>>> check_entries([{"target": "../ontology/x.ttl", "backup": None, "new": ".x"}], Path("data"))
Traceback (most recent call last):
kgtool.errors.InputError: data/.kgtool-journal.json names '../ontology/x.ttl', which is not a \
.ttl file directly inside data/: refusing to recover; nothing was changed
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kgtool.errors import InputError

LOCK, JOURNAL = ".kgtool.lock", ".kgtool-journal.json"
NEW, OLD = ".kgtool-new", ".kgtool-old"
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*\.ttl$")


@contextmanager
def data_lock(data_dir: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold ``data/.kgtool.lock``: exclusively (the writer) or shared (a reader).

    A reader opens the lock file read-only when it cannot create it, and reads without the
    lock when there is none and the folder is not writable (an installed bundle, a
    read-only checkout): nothing can write there either.
    """
    path = data_dir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if not shared:
            raise
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            yield
            return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def check_entries(entries: object, data_dir: Path) -> list[dict]:
    """The journal's entries, each naming files inside ``data_dir`` only, else InputError."""
    where = f"{data_dir.name}/{JOURNAL}"
    if not isinstance(entries, list):
        raise _refused(where, "is not a list of entries")
    folder = data_dir.resolve()
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"target", "backup", "new"}:
            raise _refused(where, f"holds an entry that ingest does not write: {entry!r:.200}")
        target = entry["target"]
        if not isinstance(target, str) or not _NAME.match(target):
            raise _refused(where, f"names {target!r:.200}, which is not a .ttl file directly "
                                  "inside data/")
        if entry["backup"] not in (None, f".{target}{OLD}") or entry["new"] != f".{target}{NEW}":
            raise _refused(where, f"names other backup files than ingest writes for {target}")
        for name in (target, entry["backup"], entry["new"]):
            path = data_dir / name if name else None
            if path is not None and (path.is_symlink() or path.resolve().parent != folder):
                raise _refused(where, f"names {name}, which is a symbolic link or outside data/")
    return entries


def _refused(where: str, why: str) -> InputError:
    return InputError(f"{where} {why}: refusing to recover; nothing was changed",
                      hint="kgtool never writes such a journal: if it came with a checkout or a "
                           "pull request, delete it (and tell whoever sent it)")


def read_journal(data_dir: Path) -> list[dict] | None:
    """The checked entries of a pending journal, or None when there is none."""
    path = data_dir / JOURNAL
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_symlink() or not path.is_file():
        raise _refused(f"{data_dir.name}/{JOURNAL}", "is not a regular file")
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise _refused(f"{data_dir.name}/{JOURNAL}", f"cannot be read ({error})") from None
    return check_entries(entries, data_dir)


def refuse_pending(data_dir: Path) -> None:
    """Refuse to read data/ while an interrupted ingest's journal is pending.

    >>> refuse_pending(Path("/nonexistent"))
    """
    if (data_dir / JOURNAL).exists() or (data_dir / JOURNAL).is_symlink():
        raise InputError(
            f"{data_dir.name}/ holds an interrupted ingest ({data_dir.name}/{JOURNAL}): its "
            "files may be half old, half new",
            hint="run 'kgtool ingest --recover' to roll it back, then retry; if the journal "
                 "came with a checkout, delete it instead")


@contextmanager
def reading(data_dir: Path) -> Iterator[None]:
    """Hold the shared lock while data/ is read, refusing a pending journal."""
    with data_lock(data_dir, shared=True):
        refuse_pending(data_dir)
        yield
