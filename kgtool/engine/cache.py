"""A persistent pyoxigraph store in ``.kgtool/store/``, rebuilt only when a source file changes.

Parsing a million triples takes seconds; opening a store on disk takes milliseconds. The
store holds the ontology and the data (the shapes stay apart, see
:meth:`kgtool.engine.EmbeddedStore.extended`) and is keyed by a digest of the SHA-256 of each
of their files, so a warm ``kgtool query`` opens it without reading a single Turtle file::

    .kgtool/store/
      files.json      size, mtime and SHA-256 per file (saves re-hashing unchanged files)
      build.lock      held by the one process that builds
      db-<digest>/    a complete store and its index of English labels (labels.tsv,
                      .idx); its manifest.json is written last

Each ``db-<digest>`` is built in a temporary folder and renamed into place when complete, and
never written again: readers open it read-only and hold a shared lock on it, so any number
of processes can query while another builds; an old store is deleted only when no reader
holds it. A store that fails to open (corrupt or half-deleted) is set aside and rebuilt.

>>> FORMAT
4
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from kgtool.engine.base import QUERYABLE_PARTS, graph_iri
from kgtool.engine.embedded import EmbeddedStore, load_project, project_files, shapes_apart
from kgtool.engine.labels import LabelIndex, build_label_index
from kgtool.errors import InputError, KgtoolError

if TYPE_CHECKING:
    from kgtool.engine.scratch import Scratch
    from kgtool.project import Project

T = TypeVar("T")

FORMAT = 4  # bump when the layout of a store changes (2: compacted; 3: without the shapes;
#             4: with its index of English labels, kgtool/engine/labels.py)
_KEPT = 20_000  # answers of contains() an open store keeps (a few MB); past it, it starts again
_RACY_NS = 2_000_000_000  # a file changed within this time of its hashing is hashed again


class CachedStore(EmbeddedStore):
    """An on-disk store opened read-only, with a shared lock that keeps it from deletion."""

    def __init__(self, location: Path, manifest: dict, lock_fd: int, *, rebuilt: bool) -> None:
        super().__init__(ox.Store.read_only(str(location)), manifest["graphs"],
                         description=f"on-disk pyoxigraph store {location}", fixed=True)
        self.location = location
        self.manifest = manifest
        self.rebuilt = rebuilt
        self._lock_fd = lock_fd
        self._scratch: Scratch | None = None
        self._labels: LabelIndex | None = None
        self._contains: dict[tuple, bool] = {}

    def contains(self, subject=None, predicate=None, obj=None,
                 parts: Iterable[str] = QUERYABLE_PARTS) -> bool:
        """:meth:`EmbeddedStore.contains`, each answer kept: the store never changes while
        open, and a server's submissions ask about much the same nodes, predicates and
        classes (a lookup in RocksDB is 25-50 us, one per graph without a subject)."""
        parts = tuple(parts)
        key = (subject, predicate, obj, parts)
        found = self._contains.get(key)
        if found is None:
            if len(self._contains) >= _KEPT:
                self._contains.clear()
            found = self._contains[key] = super().contains(subject, predicate, obj, parts)
        return found

    @property
    def labels(self) -> LabelIndex:
        """The store's index of English labels (:mod:`kgtool.engine.labels`), mapped once."""
        if self._labels is None:
            self._labels = LabelIndex(self.location)
        return self._labels

    def extended(self, work: Callable[[EmbeddedStore], T], *, parts: Iterable[str] = (),
                 triples: Iterable[ox.Triple] = ()) -> T:
        """``work(view)`` on the store's writable copy (:class:`kgtool.engine.scratch.Scratch`,
        made on first use and kept): the files of ``parts`` held apart, loaded once, and
        ``triples`` as one more data graph for the call."""
        files = [f for f in self.apart if f[0] in set(parts)]
        triples = list(triples)
        if not files and not triples:
            return work(self)
        if self._scratch is None:
            from kgtool.engine.scratch import Scratch

            self._scratch = Scratch(self.store, self.location)
        return self._scratch.run(work, self.graphs, files, triples, self.description)

    def read_memo(self, name: str, key: object) -> object | None:
        """What :meth:`write_memo` kept under ``name`` for ``key`` (JSON), or None."""
        found = _read_json(self.location.parent / f"{name}.json")
        if isinstance(found, dict) and found.get("key") == json.loads(json.dumps(key)):
            return found.get("value")
        return None

    def write_memo(self, name: str, key: object, value: object) -> None:
        """Keep ``value`` (JSON) under ``name`` beside the stores, for the next process."""
        with contextlib.suppress(OSError):
            _write_json(self.location.parent / f"{name}.json", {"key": key, "value": value})

    def close(self) -> None:
        """Delete the writable copy, if one was made (it goes at exit otherwise)."""
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None

    def __del__(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.close()
            os.close(self._lock_fd)


def store_folder(project: Project) -> Path:
    """Where the project's on-disk stores live."""
    return project.root / ".kgtool" / "store"


def open_cached(project: Project, *, required: bool = False) -> EmbeddedStore:
    """The project's on-disk store, built first if no store matches the files.

    Without a writable ``.kgtool/`` the project is loaded in memory instead, unless
    ``required`` (``KGTOOL_STORE=disk``).
    """
    folder = store_folder(project)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# kgtool's cache: safe to delete\n*\n", encoding="utf-8")
    except OSError as error:
        if required:
            raise InputError(f"cannot create {folder} ({error.strerror or error})",
                             hint="make the project folder writable, or set "
                                  "KGTOOL_STORE=memory") from None
        return load_project(project)
    digest, files = fingerprint(project, folder)
    location = folder / f"db-{digest[:32]}"
    opened = _open(location, digest, rebuilt=False)
    if opened is None:
        with _locked(folder / "build.lock"):
            opened = _open(location, digest, rebuilt=False)
            if opened is None:
                _set_aside(location)
                build(project, location, digest, files)
                collect(folder, keep=location)
                opened = _open(location, digest, rebuilt=True)
    if opened is None:
        raise InputError(f"the store built in {location} cannot be opened",
                         hint=f"delete {folder} and retry, or set KGTOOL_STORE=memory")
    opened.apart = shapes_apart(project)
    return opened


def fingerprint(project: Project, folder: Path) -> tuple[str, list[dict]]:
    """The digest that names the store for the current files, and each file's record."""
    known = _read_json(folder / "files.json")
    known = known if isinstance(known, dict) else {}
    files, records = [], {}
    for part, path in project_files(project):
        relpath = project.relative(path)
        stat = path.stat()
        entry = known.get(relpath)
        if not (isinstance(entry, dict) and entry.get("size") == stat.st_size
                and entry.get("mtime_ns") == stat.st_mtime_ns
                and stat.st_mtime_ns + _RACY_NS < entry.get("hashed_ns", 0)):
            with path.open("rb") as handle:
                entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                         "hashed_ns": time.time_ns(),
                         "sha256": hashlib.file_digest(handle, "sha256").hexdigest()}
        files.append({"part": part, "path": relpath, "sha256": entry["sha256"]})
        records[relpath] = entry
    if records != known:
        with contextlib.suppress(OSError):
            _write_json(folder / "files.json", records)
    key = json.dumps([FORMAT, ox.__version__, files], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest(), files


def build(project: Project, location: Path, digest: str, files: list[dict]) -> None:
    """Load every file into a new store at ``location`` (atomically: all or nothing)."""
    partial = location.parent / f"build-{uuid.uuid4().hex}"
    try:
        failure = _fill(project, partial, digest, files)
        if failure is None:
            os.rename(partial, location)
        else:
            gc.collect()  # the failed load's frames (a cycle) hold the store open until then
    except OSError as error:
        failure = InputError(f"cannot put the new store in place at {location} ({error})",
                             hint=f"stop other kgtool processes, delete {location.parent} "
                                  "and retry")
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    if failure is not None:
        raise failure


def _fill(project: Project, partial: Path, digest: str, files: list[dict]) -> KgtoolError | None:
    """Build the store in ``partial`` and close it; an error comes back as a fresh copy,
    without the traceback whose frames would keep the store open."""
    try:
        engine = EmbeddedStore(ox.Store(str(partial)), bulk=True)
        _load_parallel(project, engine)
        engine.store.flush()
        engine.store.optimize()  # compact the bulk loader's files: full scans 2.4x faster
        build_label_index(engine.store, engine.default_graph(), partial)
        manifest = {"format": FORMAT, "digest": digest, "pyoxigraph": ox.__version__,
                    "graphs": engine.graphs, "files": files, "triples": engine.triple_count()}
    except KgtoolError as error:
        return type(error)(error.message, hint=error.hint)
    except OSError as error:
        return InputError(f"cannot build the store in {partial.parent} ({error})",
                          hint="check the free disk space, or set KGTOOL_STORE=memory")
    del engine  # closes the store before its folder is renamed
    _write_json(partial / "manifest.json", manifest)
    return None


def _load_parallel(project: Project, engine: EmbeddedStore) -> None:
    """Bulk-load the files in threads, largest first (pyoxigraph parses without the GIL);
    the first error in file order wins, and the graphs are listed in file order."""
    from concurrent.futures import ThreadPoolExecutor

    files = project_files(project)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {path: pool.submit(engine.load_file, path, project.relative(path), part=part)
                   for part, path in sorted(files, key=lambda f: -f[1].stat().st_size)}
        try:
            for _, path in files:
                futures[path].result()
        finally:
            pool.shutdown(cancel_futures=True)
    engine.graphs = {}
    for part, path in files:
        engine.graphs.setdefault(part, []).append(graph_iri(project.relative(path)))


def collect(folder: Path, keep: Path) -> None:
    """Delete stores other than ``keep`` and scratch copies that no process holds, and failed
    builds."""
    for path in folder.iterdir():
        if path == keep or not path.is_dir():
            continue
        if path.name.startswith(("build-", "trash-")):  # the build lock is ours
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(("db-", "scratch-")):
            _set_aside(path)


def _open(location: Path, digest: str, *, rebuilt: bool) -> CachedStore | None:
    try:
        fd = os.open(location, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        manifest = _read_json(location / "manifest.json")
        if not (isinstance(manifest, dict) and manifest.get("digest") == digest
                and manifest.get("format") == FORMAT and isinstance(manifest.get("graphs"), dict)):
            raise OSError("no valid manifest")
        return CachedStore(location, manifest, fd, rebuilt=rebuilt)
    except OSError:  # corrupt or half-deleted: the caller rebuilds it
        os.close(fd)
        return None


def _set_aside(path: Path) -> None:
    """Move a store out of the way and delete it, unless a reader holds it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        trash = path.with_name(f"trash-{uuid.uuid4().hex}")
        os.rename(path, trash)
        shutil.rmtree(trash, ignore_errors=True)
    except OSError:
        pass  # in use: the next build collects it
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: object) -> None:
    """Write JSON atomically: a temporary file in the same folder, fsynced, then renamed."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
