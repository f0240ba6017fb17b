"""Ingest: only conforming data gets in, each fact lands in its collection file in canonical
form, every file changes or none does, ingests never interleave, and each is recorded.

Every test works on a copy of the project (tests/conftest.py make_project), never on data/.
"""

from __future__ import annotations

import difflib
import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO, make_project
from kgtool.engine.embedded import load_project
from kgtool.errors import KgtoolError
from kgtool.ingest.files import recover
from kgtool.ingest.merge import ingest
from kgtool.ingest.placement import Placement, collection_fallback
from kgtool.journal import JOURNAL, LOCK
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.validation.reading import parse_bytes

EXAMPLES = REPO / "examples" / "submissions"
EGYPT, KARI, DUBAISAT = (EXAMPLES / "valid" / n for n in ("egypt.ttl", "kari.ttl",
                                                           "dubaisat-2.ttl"))
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")
PROV = "http://www.w3.org/ns/prov#"


def examples_project(root: Path) -> Path:
    return make_project(root, {p.name: p.read_text(encoding="utf-8")
                               for p in (REPO / "ontology" / "examples").glob("*.ttl")})


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose data/ holds the examples in canonical form."""
    root = examples_project(tmp_path / "p")
    assert subprocess.run([sys.executable, "-m", "kgtool", "--root", str(root), "fmt"],
                          capture_output=True).returncode == 0
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data").iterdir()) if p.name != LOCK}


def triples_of(path: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(path))}


def test_ingest_merges_each_node_into_its_collection_file(root: Path, run) -> None:
    before = snapshot(root)
    result = run(["--root", root, "ingest", "--contributor", "Amina K.", EGYPT, KARI, DUBAISAT])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == ["data/nations.ttl got 37 triples",
                                              "data/organizations.ttl got 34 triples",
                                              "data/spacecraft.ttl got 26 triples"]
    data = root / "data"
    egypt = parse_bytes(EGYPT.read_bytes(), "e", "turtle").triples
    assert {t for t in egypt if "agency/egsa" not in str(t.subject)} <= triples_of(
        data / "nations.ttl")
    assert {t for t in egypt if "agency/egsa" in str(t.subject)} <= triples_of(
        data / "organizations.ttl")
    for name in ("nations.ttl", "organizations.ttl", "spacecraft.ttl"):  # only additions
        diff = difflib.ndiff(before[name].decode().splitlines(),
                             (data / name).read_text(encoding="utf-8").splitlines())
        assert not [line for line in diff if line.startswith("- ")], name
    assert subprocess.run([sys.executable, "-m", "kgtool", "--root", str(root), "fmt",
                           "--check"], capture_output=True).returncode == 0
    again = run(["--root", root, "ingest", EGYPT])
    assert again.exit_code == 0
    assert "Nothing to add: every triple is already in data/." in again.output


def test_the_ingested_graph_conforms(root: Path, run) -> None:
    assert run(["--root", root, "ingest", EGYPT, KARI, DUBAISAT]).exit_code == 0
    result = run(["--root", root, "validate", "--no-checks"])
    assert result.exit_code == 0, result.output


def test_each_ingest_is_recorded_in_prov(root: Path, run) -> None:
    result = run(["--root", root, "ingest", "--contributor", "Amina K.", KARI])
    assert result.exit_code == 0, result.output
    record = triples_of(root / "data" / "submissions.ttl")
    activity = next(t.subject for t in record if t.object == ox.NamedNode(PROV + "Activity"))
    assert f"records the ingest as <{activity.value}>" in result.output
    values = {t.predicate.value.rsplit("#", 1)[-1]: t.object for t in record}
    assert values["startedAtTime"].datatype.value.endswith("#dateTime")
    assert values["triples"].value == "23"
    assert values["specializationOf"] == ox.NamedNode(
        "https://w3id.org/spacecoop/graph/data/organizations.ttl")
    labels = {t.object.value for t in record if t.predicate.value.endswith("#label")}
    assert {"Amina K.", KARI.name} <= labels
    result = run(["--root", root, "ingest", EGYPT])
    assert result.exit_code == 0, result.output
    activities = [t for t in triples_of(root / "data" / "submissions.ttl")
                  if t.object == ox.NamedNode(PROV + "Activity")]
    assert len(activities) == 2


def test_the_record_passes_the_shapes_and_the_checks(root: Path) -> None:
    from kgtool.validation.checks import load_checks
    from kgtool.validation.shacl import validate_engine

    ingest(find_project(str(root)), [str(KARI)])
    project = find_project(str(root))
    report = validate_engine(load_project(project), load_checks(project))
    assert [r for r in report.results if r.severity != "Warning"] == []


def test_refused_submission_changes_nothing(root: Path, run) -> None:
    before = snapshot(root)
    result = run(["--root", root, "ingest", KARI, EXAMPLES / "invalid" / "conflicting-date.ttl"])
    assert result.exit_code == 1
    assert "conflicts with the graph: sc:foundedOn" in result.output
    assert "Refused: nothing was written to data/." in result.output
    assert snapshot(root) == before


def test_dry_run_prints_the_triples_per_file_and_writes_nothing(root: Path, run) -> None:
    before = snapshot(root)
    result = run(["--root", root, "ingest", "--dry-run", EGYPT])
    assert result.exit_code == 0, result.output
    assert "data/nations.ttl would get 37 triples" in result.output
    assert "data/organizations.ttl would get 11 triples" in result.output
    assert "agency:egsa a sc:SpaceAgency ;" in result.output
    assert "Dry run: nothing was written." in result.output
    assert snapshot(root) == before


def test_facts_about_an_existing_node_go_to_its_file(root: Path) -> None:
    note = ('@prefix agency: <https://w3id.org/spacecoop/id/agency/> .\n'
            '@prefix dcterms: <http://purl.org/dc/terms/> .\n'
            'agency:nasa dcterms:source <https://www.nasa.gov/> .\n')
    path = root / "note.ttl"
    path.write_text(note, encoding="utf-8")
    result = ingest(find_project(str(root)), [str(path)])
    assert [c.path for c in result.changes] == ["data/organizations.ttl"]


# --- all files or none -------------------------------------------------------------------

def test_a_failure_in_the_middle_leaves_every_file_as_it_was(root: Path, run,
                                                             monkeypatch) -> None:
    before = snapshot(root)
    real = os.replace
    renamed = []

    def replace(src, dst):
        if str(src).endswith(".kgtool-new"):
            renamed.append(dst)
            if len(renamed) == 2:
                raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = run(["--root", root, "ingest", EGYPT])
    assert result.exit_code == 3
    assert result.output.startswith("Error: could not write data/ ([Errno 28] No space left on "
                                    "device); every file was restored")
    assert len(renamed) == 2  # the first file had been replaced
    assert snapshot(root) == before


def test_a_crash_in_the_middle_is_rolled_back_by_the_next_ingest(root: Path) -> None:
    before = snapshot(root)
    crash = ("import os, sys\n"
             "from kgtool.ingest import ingest\nfrom kgtool.project import find_project\n"
             "real, seen = os.replace, []\n"
             "def replace(src, dst):\n"
             "    if str(src).endswith('.kgtool-new'):\n"
             "        seen.append(dst)\n"
             "        if len(seen) == 2:\n"
             "            os._exit(9)\n"
             "    return real(src, dst)\n"
             "os.replace = replace\n"
             f"ingest(find_project({str(root)!r}), [{str(EGYPT)!r}])\n")
    assert subprocess.run([sys.executable, "-c", crash]).returncode == 9
    assert (root / "data" / JOURNAL).exists()
    assert snapshot(root) != before
    assert recover(root / "data")
    assert snapshot(root) == before


def test_two_ingests_never_interleave(root: Path) -> None:
    data = root / "data"
    with open(data / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        worker = threading.Thread(target=ingest, args=(find_project(str(root)), [str(KARI)]))
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive()  # waiting for the lock
        assert not (data / "submissions.ttl").exists()
        fcntl.flock(handle, fcntl.LOCK_UN)
    worker.join(timeout=60)
    assert (data / "submissions.ttl").exists()


def test_concurrent_ingests_both_land(root: Path) -> None:
    command = [sys.executable, "-m", "kgtool", "--root", str(root), "ingest"]
    workers = [subprocess.Popen([*command, str(path)]) for path in (EGYPT, KARI)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    merged = set().union(*(triples_of(p) for p in (root / "data").glob("*.ttl")))
    for path in (EGYPT, KARI):
        assert set(parse_bytes(path.read_bytes(), "x", "turtle").triples) <= merged
    activities = [t for t in triples_of(root / "data" / "submissions.ttl")
                  if t.object == ox.NamedNode(PROV + "Activity")]
    assert len(activities) == 2


# --- where new nodes go --------------------------------------------------------------------

def plan(root: Path, path: Path) -> dict[str, set[str]]:
    """data/ file -> the subjects the placement sends there."""
    engine = load_project(find_project(str(root)))
    sub = parse_bytes(path.read_bytes(), path.name, "turtle")
    chosen = engine.extended(lambda union: Placement(engine, union).plan(sub),
                             triples=sub.triples)
    return {name: {PREFIXES.shorten(t.subject.value) for t in triples}
            for name, triples in chosen.items()}


def test_new_nodes_go_where_the_bundled_graph_keeps_their_kind(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", source=REPO)
    for path in (EGYPT, KARI, DUBAISAT):
        subjects = {t.subject for t in parse_bytes(path.read_bytes(), "x", "turtle").triples}
        home = {}
        for file in (root / "data").glob("*.ttl"):
            kept = [q for q in ox.parse(path=str(file)) if q.subject not in subjects]
            home.update({PREFIXES.shorten(q.subject.value): file.name
                         for q in ox.parse(path=str(file)) if q.subject in subjects})
            file.write_bytes(ox.serialize([q.triple for q in kept], format=ox.RdfFormat.TURTLE))
        placed = {s: name for name, nodes in plan(root, path).items() for s in nodes}
        assert {s: placed.get(s) for s in home} == home, path.name  # new nodes have no home yet


def test_fallback_collections_when_no_file_holds_a_kind_yet(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", data={"nations.ttl": ""})
    assert plan(root, KARI) == {"partners.ttl": {"agency:kari", "agency:kasa"}}
    assert collection_fallback("https://w3id.org/spacecoop/ontology/Satellite",
                               "https://w3id.org/spacecoop/id/nation/omn") == "spacecraft-omn.ttl"
    assert collection_fallback("https://w3id.org/spacecoop/ontology/Launch", None) is None


def test_a_node_without_a_class_cannot_be_placed(root: Path) -> None:
    path = root / "untyped.ttl"
    path.write_text("<https://w3id.org/spacecoop/id/agency/x> "
                    "<http://www.w3.org/2000/01/rdf-schema#label> \"X\"@en .\n", encoding="utf-8")
    with pytest.raises(KgtoolError, match="cannot decide the data/ file"):
        plan(root, path)
