"""Replace several files of data/ atomically, with a journal that a crash leaves behind and
the next ingest (or ``kgtool ingest --recover``) rolls back, restartable at every step.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_files(folder, {"a.ttl": "# a"}); (folder / "a.ttl").read_text()
'# a'
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kgtool.errors import KgtoolError
from kgtool.journal import JOURNAL, NEW, OLD, read_journal


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(data_dir: Path) -> bool:
    """Roll back an interrupted ingest from its journal; True when there was one.

    Restartable at every step: a backup already moved back is skipped, so a recovery
    killed half-way and run again restores the same files. The journal goes last, then
    the leftover copies. Its entries are checked first (:func:`kgtool.journal.read_journal`):
    one that names a file outside data/ stops everything before a file is touched.
    """
    entries = read_journal(data_dir)
    if entries is not None:
        for entry in entries:
            target = data_dir / entry["target"]
            if entry["backup"] is None:
                target.unlink(missing_ok=True)
            elif (data_dir / entry["backup"]).exists():
                os.replace(data_dir / entry["backup"], target)
        _sync_dir(data_dir)
        (data_dir / JOURNAL).unlink()
        _sync_dir(data_dir)
    for leftover in [*data_dir.glob("*" + NEW), *data_dir.glob("*" + OLD)]:
        leftover.unlink()
    _sync_dir(data_dir)
    return entries is not None


def write_files(data_dir: Path, texts: dict[str, str]) -> None:
    """Replace several files of ``data_dir``: every one changes, or none does."""
    entries = []
    try:
        for name in sorted(texts):
            target = data_dir / name
            _write_synced(data_dir / f".{name}{NEW}", texts[name].encode("utf-8"))
            backup = f".{name}{OLD}" if target.exists() else None
            if backup:
                _write_synced(data_dir / backup, target.read_bytes())
            entries.append({"target": name, "backup": backup, "new": f".{name}{NEW}"})
        _write_synced(data_dir / (JOURNAL + NEW), json.dumps(entries).encode("utf-8"))
        _sync_dir(data_dir)
        os.rename(data_dir / (JOURNAL + NEW), data_dir / JOURNAL)
        _sync_dir(data_dir)
        for entry in entries:
            os.replace(data_dir / entry["new"], data_dir / entry["target"])
        _sync_dir(data_dir)
        (data_dir / JOURNAL).unlink()
    except BaseException as error:
        recover(data_dir)
        if isinstance(error, OSError):
            raise KgtoolError(f"could not write data/ ({error}); every file was restored",
                              hint="check the free space and permissions of data/ and retry"
                              ) from None
        raise
    recover(data_dir)  # removes the backups
