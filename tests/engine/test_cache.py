"""The on-disk store in .kgtool/store/: built once, reused while the files are unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project
from kgtool.engine import select as store
from kgtool.engine.cache import open_cached, store_folder
from kgtool.engine.embedded import EmbeddedStore
from kgtool.engine.select import open_engine, use_disk
from kgtool.errors import InputError, UsageError
from kgtool.project import find_project

NATION = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
<https://w3id.org/spacecoop/id/nation/omn> a sc:Nation .
"""


def stores(project) -> list[str]:
    return sorted(p.name for p in store_folder(project).iterdir() if p.is_dir())


@pytest.fixture
def project(mini: Path):
    return find_project(str(mini))


def test_first_open_builds_and_the_next_reuses(project) -> None:
    first = open_cached(project)
    assert first.rebuilt and first.location.name.startswith("db-")
    second = open_cached(project)
    assert not second.rebuilt and second.location == first.location
    assert second.triple_count() == first.triple_count() == first.manifest["triples"] > 0
    assert second.graphs == first.graphs
    assert stores(project) == [first.location.name]


def test_changing_a_file_rebuilds_and_collects_the_old_store(project) -> None:
    old = open_cached(project)
    old_location, triples = old.location, old.triple_count()
    del old  # releases its reader lock
    (project.data_dir / "mini.ttl").open("a").write(
        '<https://w3id.org/spacecoop/id/nation/sau> <http://www.w3.org/2000/01/rdf-schema#label>'
        ' "السعودية"@ar .\n')
    new = open_cached(project)
    assert new.rebuilt and new.location != old_location
    assert new.triple_count() == triples + 1
    assert stores(project) == [new.location.name]


def test_adding_a_file_rebuilds(project) -> None:
    before = open_cached(project).triple_count()
    (project.data_dir / "more.ttl").write_text(NATION, encoding="utf-8")
    after = open_cached(project)
    assert after.rebuilt and after.triple_count() == before + 1
    assert "https://w3id.org/spacecoop/graph/data/more.ttl" in after.graphs["data"]


def test_touching_a_file_without_changing_it_reuses(project) -> None:
    location = open_cached(project).location
    path = project.data_dir / "mini.ttl"
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(1, 1))
    again = open_cached(project)
    assert not again.rebuilt and again.location == location


def test_a_store_in_use_is_kept_until_its_reader_is_done(project) -> None:
    reader = open_cached(project)
    (project.data_dir / "more.ttl").write_text(NATION, encoding="utf-8")
    newer = open_cached(project)
    assert stores(project) == sorted([reader.location.name, newer.location.name])
    assert reader.triple_count() == newer.triple_count() - 1  # still readable
    del reader
    (project.data_dir / "more.ttl").write_text(NATION.replace("omn", "yem"), encoding="utf-8")
    latest = open_cached(project)  # collects the first store, not the one still open
    assert stores(project) == sorted([newer.location.name, latest.location.name])


@pytest.mark.parametrize("damage", ["manifest", "rocksdb"])
def test_a_corrupt_store_is_rebuilt(project, damage: str) -> None:
    built = open_cached(project)
    location, triples = built.location, built.triple_count()
    del built
    if damage == "manifest":
        (location / "manifest.json").write_text("{not json", encoding="utf-8")
    else:
        (location / "CURRENT").write_text("MANIFEST-999999\n", encoding="utf-8")
    again = open_cached(project)
    assert again.rebuilt and again.location == location
    assert again.triple_count() == triples


def test_a_syntax_error_names_the_file_and_leaves_no_store(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"bad.ttl": "<https://e.org/a> <https://e.org/p> .\n"})
    project = find_project(str(root))
    with pytest.raises(InputError) as caught:
        open_cached(project)
    assert caught.value.message.startswith("data/bad.ttl:1:")
    assert stores(project) == []


def test_without_a_writable_cache_folder_the_store_is_in_memory(project) -> None:
    (project.root / ".kgtool").write_text("not a folder", encoding="utf-8")
    engine = open_cached(project)
    assert type(engine) is EmbeddedStore and engine.triple_count() > 0
    with pytest.raises(InputError, match="cannot create"):
        open_cached(project, required=True)


def test_auto_mode_chooses_by_the_size_of_the_files(project, monkeypatch) -> None:
    assert not use_disk(project, "auto")  # the bundled graph is far below the threshold
    monkeypatch.setattr(store, "DISK_THRESHOLD_BYTES", 100)
    assert use_disk(project, "auto")
    monkeypatch.setenv("KGTOOL_STORE", "auto")
    assert open_engine(project).description.startswith("on-disk")
    monkeypatch.setenv("KGTOOL_STORE", "memory")
    assert open_engine(project).description == "embedded pyoxigraph store"
    with pytest.raises(UsageError, match="KGTOOL_STORE='fast' is not one of auto, memory"):
        use_disk(project, "fast")


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_the_store_holds_ontology_and_data_and_the_shapes_join_a_view(project, monkeypatch,
                                                                      mode) -> None:
    monkeypatch.setenv("KGTOOL_STORE", mode)
    engine = open_engine(project)
    shapes = "ASK { ?shape a <http://www.w3.org/ns/shacl#NodeShape> }"
    # every graph of the store is queryable, so queries read their union (one lookup)
    assert set(engine.store.named_graphs()) == set(engine.default_graph())
    assert not engine.query(shapes, parts=("ontology", "data", "shapes")).value
    in_view = engine.extended(lambda view: (view.query(shapes, parts=("shapes",)).value,
                                            view.triple_count()), parts=("shapes",))
    assert in_view == (True, engine.triple_count())
    assert not engine.query(shapes, parts=("ontology", "data", "shapes")).value


def test_commands_give_the_same_answers_from_disk_and_memory(run, mini, monkeypatch) -> None:
    answers = {}
    for mode in ("memory", "disk"):
        monkeypatch.setenv("KGTOOL_STORE", mode)
        stats = run(["--root", mini, "stats", "-f", "json"])
        query = run(["--root", mini, "query", "oic-members", "-f", "csv"])  # a forked worker
        assert stats.exit_code == query.exit_code == 0, stats.output + query.output
        answers[mode] = (json.loads(stats.output), query.output)
    assert answers["disk"] == answers["memory"]
    assert (mini / ".kgtool" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_an_unknown_store_mode_is_a_usage_error(run, mini, monkeypatch) -> None:
    monkeypatch.setenv("KGTOOL_STORE", "fast")
    result = run(["--root", mini, "stats"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: KGTOOL_STORE='fast' is not one of auto, memory, disk")


def test_two_processes_building_at_once_share_one_store(mini: Path) -> None:
    env = {**os.environ, "KGTOOL_STORE": "disk"}
    command = [sys.executable, "-m", "kgtool", "--root", str(mini), "stats", "-f", "json"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], outputs
    assert len({out for out, _ in outputs}) == 1
    assert len(stores(find_project(str(mini)))) == 1


def test_a_submission_is_validated_on_a_scratch_copy_of_the_store(project) -> None:
    import pyoxigraph as ox

    engine = open_cached(project)
    before = engine.triple_count()
    added = ox.Triple(ox.NamedNode("https://w3id.org/spacecoop/id/nation/omn"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Oman", language="en"))

    def seen(union: EmbeddedStore) -> tuple[int, bool, list[str]]:
        return union.triple_count(), any(q.object == added.object for q in union.store.
                                         quads_for_pattern(added.subject, added.predicate, None)), \
            stores(project)

    count, present, during = engine.extended(seen, triples=[added])
    assert (count, present) == (before + 1, True)
    assert any(name.startswith("scratch-") for name in during)
    assert engine.triple_count() == before, "the store itself never sees the submission"
    assert engine.extended(seen, triples=[added])[2] == during, "the copy serves every call"
    engine.close()
    assert not any(name.startswith("scratch-") for name in stores(project))
