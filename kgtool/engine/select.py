"""The one place that picks an engine: a remote endpoint, or the embedded store in memory or
on disk (rebuilt only when a file changes).

>>> use_disk(None, "memory")
False
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kgtool.engine.base import Engine
from kgtool.engine.embedded import load_project, project_files
from kgtool.errors import UsageError

if TYPE_CHECKING:
    from kgtool.project import Project

STORE_ENV = "KGTOOL_STORE"
MODES = ("auto", "memory", "disk")
#: ``KGTOOL_STORE=auto`` keeps projects up to this many bytes of source files in memory
#: (60,000 to 90,000 triples of Turtle); larger ones get the on-disk store. Measured on the
#: benchmark graphs: at 100,000 triples ``kgtool query`` takes 0.52 s parsing in memory and
#: 0.38 s opening the store (1M: 4.4 s and 2.7 s); at 10,000 both take 0.2 s, but a rebuild
#: after each edit costs more than one parse.
DISK_THRESHOLD_BYTES = 4 * 1024 * 1024


def use_disk(project: Project | None, mode: str) -> bool:
    """True when the project's store should live on disk (``mode``: auto, memory or disk).

    >>> use_disk(None, "memory")
    False
    """
    if mode not in MODES:
        raise UsageError(f"KGTOOL_STORE={mode!r} is not one of {', '.join(MODES)}",
                         hint="set KGTOOL_STORE to memory, disk or auto (the default)")
    if mode != "auto":
        return mode == "disk"
    assert project is not None
    return sum(path.stat().st_size for _, path in project_files(project)) > DISK_THRESHOLD_BYTES


def open_engine(project: Project) -> Engine:
    """The engine for a project: its ``--endpoint``, else the embedded store of its files.

    The files are read under data/'s shared lock, and refused while an interrupted ingest's
    journal is pending (:func:`kgtool.journal.reading`). ``KGTOOL_STORE`` chooses the
    embedded store: ``memory``, ``disk`` (``.kgtool/store/``) or ``auto`` (the default: on
    disk when the source files are larger than :data:`DISK_THRESHOLD_BYTES`); the on-disk
    store's module is imported only then.
    """
    if project.endpoint:
        from kgtool.engine.http import MAX_RESPONSE_BYTES
        from kgtool.engine.remote import RemoteEndpoint

        return RemoteEndpoint(project.endpoint, timeout=project.timeout or 30.0,
                              max_bytes=project.max_bytes or MAX_RESPONSE_BYTES)
    from kgtool.journal import reading

    mode = os.environ.get(STORE_ENV, "auto").strip().lower() or "auto"
    with reading(project.data_dir):  # never half an ingest, nor a pending journal
        if use_disk(project, mode):
            from kgtool.engine.cache import open_cached

            return open_cached(project, required=mode == "disk")
        return load_project(project)
