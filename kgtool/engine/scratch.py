"""The writable copy of an on-disk store that its engine keeps for every submission.

A RocksDB checkpoint of the read-only store (hard links, milliseconds whatever its size) is
made once per engine and held until the engine goes: the files held apart (the shapes) are
loaded into it once, again only when one changes, and each submission's triples go into one
graph that is removed after its call. The checkpoint is locked shared, so that
:func:`kgtool.engine.cache.collect` leaves it alone, and deleted at exit.

>>> Scratch.__name__
'Scratch'
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kgtool.engine.base import SUBMISSION_GRAPH, graph_iri
from kgtool.engine.embedded import EmbeddedStore
from kgtool.errors import InputError
from kgtool.project import file_version

T = TypeVar("T")


class Scratch:
    """A checkpoint of ``source`` (an open read-only store at ``location``), writable."""

    def __init__(self, source: ox.Store, location: Path) -> None:
        self.target = location.with_name(f"scratch-{uuid.uuid4().hex}")
        try:
            source.backup(str(self.target))
            self._fd = os.open(self.target, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            shutil.rmtree(self.target, ignore_errors=True)
            raise InputError(f"cannot copy the store {location} ({error})",
                             hint="check the free space and permissions of .kgtool/, or set "
                                  "KGTOOL_STORE=memory") from None
        fcntl.flock(self._fd, fcntl.LOCK_SH)  # in use: collect() leaves it alone
        self.store: ox.Store | None = ox.Store(str(self.target))
        self.loaded: dict[str, tuple[str, tuple[int, int]]] = {}  # display -> (part, key)
        self.lock = threading.Lock()
        atexit.register(self.close)

    def _load(self, files: list[tuple[str, str, Path]]) -> None:
        """Have exactly the current version of each of ``files`` loaded."""
        assert self.store is not None
        for part, display, path in files:
            key = file_version(path)
            if self.loaded.get(display) == (part, key):
                continue
            graph = ox.NamedNode(graph_iri(display))
            self.loaded.pop(display, None)
            self.store.remove_graph(graph)
            loader = EmbeddedStore(self.store)
            try:
                loader.load_file(path, display, part=part)
            except BaseException:
                self.store.remove_graph(graph)
                raise
            self.loaded[display] = (part, key)

    def run(self, work: Callable[[EmbeddedStore], T], graphs: dict[str, list[str]],
            files: list[tuple[str, str, Path]], triples: Iterable[ox.Triple],
            description: str) -> T:
        """``work(view)`` on the copy: ``graphs``, ``files`` and ``triples`` (one graph)."""
        with self.lock:
            assert self.store is not None
            self._load(files)
            graphs = {part: list(iris) for part, iris in graphs.items()}
            for part, display, _ in files:
                graphs.setdefault(part, []).append(graph_iri(display))
            triples = list(triples)
            graph = ox.NamedNode(SUBMISSION_GRAPH)
            if triples:
                self.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                                  for t in triples)
                graphs.setdefault("data", []).append(SUBMISSION_GRAPH)
            try:
                return work(EmbeddedStore(self.store, graphs, description=description,
                                          fixed=True))
            finally:
                if triples:
                    self.store.remove_graph(graph)

    def close(self) -> None:
        """Drop the copy and delete its files (at exit, or when the engine goes)."""
        atexit.unregister(self.close)
        self.store = None
        shutil.rmtree(self.target, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(self._fd)
