"""An on-disk engine keeps one writable copy for its submissions: made once, the shapes loaded
once (again when a shape file changes), each submission gone after its call, deleted on close."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.engine.cache import open_cached, store_folder
from kgtool.project import find_project

SHAPES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def project(mini: Path):
    return find_project(str(mini))


def scratches(project) -> list[str]:
    return sorted(p.name for p in store_folder(project).iterdir() if p.name.startswith("scratch-"))


def test_one_copy_serves_every_submission_and_goes_on_close(project) -> None:
    engine = open_cached(project)
    added = ox.Triple(ox.NamedNode("https://w3id.org/spacecoop/id/nation/omn"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Oman", language="en"))
    before = engine.triple_count()
    seen = [engine.extended(lambda view: (view.triple_count(), scratches(project)),
                            parts=("shapes",), triples=[added]) for _ in range(3)]
    assert [count for count, _ in seen] == [before + 1] * 3
    assert len({tuple(names) for _, names in seen}) == 1 and len(seen[0][1]) == 1
    assert engine.extended(lambda view: view.triple_count(), parts=("shapes",)) == before
    assert engine.triple_count() == before, "the store itself never sees the submission"
    engine.close()
    assert scratches(project) == []


def test_a_changed_shape_file_is_loaded_again(project) -> None:
    engine = open_cached(project)

    def count() -> int:
        return int(engine.extended(lambda view: view.query(SHAPES, parts=("shapes",)),
                                   parts=("shapes",)).rows[0][0].value)

    first = count()
    assert count() == first
    path = next(f[2] for f in engine.apart if f[0] == "shapes")
    path.write_text(path.read_text(encoding="utf-8") + "\n<https://e.org/s> <https://e.org/p> "
                    "<https://e.org/o> .\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert count() == first + 1
    engine.close()
