"""The journal of data/ is untrusted, recovery is restartable at every step, and readers
never see a half-applied ingest: planted journals, SIGKILLs injected with strace at every
rename and unlink of an ingest and of its recovery, and readers racing a writer."""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, make_project
from kgtool.journal import JOURNAL, LOCK

EXAMPLES = REPO / "examples" / "submissions"
EGYPT, KARI = (EXAMPLES / "valid" / n for n in ("egypt.ttl", "kari.ttl"))
KGTOOL = [sys.executable, "-m", "kgtool"]
MUTATING = "rename,renameat,renameat2,unlink,unlinkat"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose data/ holds the ontology examples, canonical."""
    root = make_project(tmp_path / "p", {p.name: p.read_text(encoding="utf-8")
                                         for p in (REPO / "ontology" / "examples").glob("*.ttl")})
    subprocess.run([*KGTOOL, "--root", str(root), "fmt"], check=True, capture_output=True)
    return root


def files(root: Path) -> dict[str, bytes]:
    """Every file of the project but the lock: what an ingest may change."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != LOCK}


def kgtool(root: Path, *args: str, strace: list[str] | None = None
           ) -> subprocess.CompletedProcess:
    env = {**os.environ, "KGTOOL_STORE": "memory"}
    return subprocess.run([*(strace or []), *KGTOOL, "--root", str(root), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def plant(root: Path, entries: object) -> None:
    (root / "data" / JOURNAL).write_text(json.dumps(entries), encoding="utf-8")


# --- planted journals ----------------------------------------------------------------------

@pytest.mark.parametrize("entries", [
    [{"target": "../ontology/shapes/core.ttl", "backup": None,
      "new": ".../ontology/shapes/core.ttl.kgtool-new"}],
    [{"target": "nations.ttl", "backup": "../../outside.txt", "new": ".nations.ttl.kgtool-new"}],
    [{"target": "/etc/hostname", "backup": None, "new": "x"}],
    [{"target": "nations.ttl", "backup": None, "new": ".nations.ttl.kgtool-new", "x": 1}],
    {"target": "nations.ttl"},
])
@pytest.mark.parametrize("command", [["ingest", str(KARI)], ["ingest", "--recover"]])
def test_a_planted_journal_is_refused_and_nothing_is_touched(root: Path, entries, command
                                                             ) -> None:
    outside = root.parent / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    plant(root, entries)
    before = files(root)
    result = kgtool(root, *command)
    assert result.returncode == 3, result.stderr
    assert "refusing to recover; nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert files(root) == before
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_a_journal_naming_a_symbolic_link_is_refused(root: Path) -> None:
    outside = root.parent / "outside.ttl"
    outside.write_text("# keep\n", encoding="utf-8")
    (root / "data" / "evil.ttl").symlink_to(outside)
    (root / "data" / ".evil.ttl.kgtool-old").write_text("# replaced\n", encoding="utf-8")
    plant(root, [{"target": "evil.ttl", "backup": ".evil.ttl.kgtool-old",
                  "new": ".evil.ttl.kgtool-new"}])
    result = kgtool(root, "ingest", "--recover")
    assert result.returncode == 3 and "symbolic link" in result.stderr
    assert outside.read_text(encoding="utf-8") == "# keep\n"


def test_the_journal_is_ignored_by_git() -> None:
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "data/.kgtool-journal.json" in lines


# --- readers while a journal is pending ----------------------------------------------------

@pytest.mark.parametrize("command", [
    ["validate"], ["validate", str(KARI)], ["query", "oic-members"], ["export", "-f", "nt"],
    ["stats"], ["describe", "nation:egy"], ["ingest", "--dry-run", str(KARI)],
])
def test_readers_refuse_while_an_ingest_is_pending(root: Path, command) -> None:
    shutil.copy(root / "data" / "nations.ttl", root / "data" / ".nations.ttl.kgtool-old")
    plant(root, [{"target": "nations.ttl", "backup": ".nations.ttl.kgtool-old",
                  "new": ".nations.ttl.kgtool-new"}])
    before = files(root)
    result = kgtool(root, *command)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "holds an interrupted ingest" in result.stderr
    assert "kgtool ingest --recover" in result.stderr
    assert files(root) == before  # a dry run rolls nothing back


def test_a_reader_waits_for_the_writer(root: Path) -> None:
    data = root / "data"
    with open(data / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as an ingest holds it
        done: list[subprocess.CompletedProcess] = []
        reader = threading.Thread(target=lambda: done.append(kgtool(root, "stats")))
        reader.start()
        time.sleep(1.5)
        assert reader.is_alive() and not done
        fcntl.flock(handle, fcntl.LOCK_UN)
    reader.join(timeout=60)
    assert done and done[0].returncode == 0


def test_a_dry_run_works_on_a_read_only_data_folder(root: Path) -> None:
    """data/ bind-mounted read-only in a mount namespace of its own (root cannot write it
    either), with no lock file in it: a dry run reads it, validates, and writes nothing."""
    (root / "data" / LOCK).unlink(missing_ok=True)
    before = files(root)
    data = str(root / "data")
    command = " ".join(map(shlex.quote, [*KGTOOL, "--root", str(root), "ingest", "--dry-run",
                                         str(KARI)]))
    result = subprocess.run(["unshare", "-m", "sh", "-c",
                             f"mount --bind -o ro {data} {data} && touch {data}/probe 2>/dev/null"
                             f" && exit 99; {command}"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "KGTOOL_STORE": "memory"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Dry run: nothing was written." in result.stdout
    assert files(root) == before and not (root / "data" / LOCK).exists()


# --- SIGKILL at every step of an ingest and of its recovery --------------------------------

def kill_points(root: Path, *args: str) -> list[list[str]]:
    """strace arguments, one list per rename or unlink that the command makes, each of which
    SIGKILLs the process at that call (strace counts each syscall apart, hence ``when``)."""
    log = root.parent / "calls.log"
    result = kgtool(root, *args, strace=["strace", "-f", "-qq", "-o", str(log),
                                         "-e", f"trace={MUTATING}"])
    assert result.returncode == 0, result.stderr
    names = [line.split(None, 1)[1].split("(", 1)[0] for line in log.read_text().splitlines()
             if "(" in line and "resumed>" not in line]
    return [["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={MUTATING}", "-e",
             f"inject={name}:signal=KILL:when={names[:index + 1].count(name)}"]
            for index, name in enumerate(names)]


def test_a_kill_at_any_step_of_ingest_or_recovery_restores_data(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    template = make_project(pristine, {p.name: p.read_text(encoding="utf-8")
                                       for p in (REPO / "ontology" / "examples").glob("*.ttl")})
    subprocess.run([*KGTOOL, "--root", str(template), "fmt"], check=True, capture_output=True)
    before = files(template)
    probe = _copy(template, tmp_path / "probe")
    steps = kill_points(probe, "ingest", str(EGYPT), str(KARI))
    after = files(probe)
    assert len(steps) >= 6 and after != before
    killed_mid_write = 0
    for step, kill in enumerate(steps):
        root = _copy(template, tmp_path / f"k{step}")
        crash = kgtool(root, "ingest", str(EGYPT), str(KARI), strace=kill)
        assert crash.returncode in (-9, 137), crash.stderr
        state = files(root)
        if not (root / "data" / JOURNAL).exists():
            # before the journal, or after the last rename: data/ is whole, old or new
            whole = {k: v for k, v in state.items() if ".kgtool-" not in k}
            assert stamped(whole) in (stamped(before), stamped(after))
            continue
        killed_mid_write += 1
        assert kgtool(root, "query", "oic-members").returncode == 3  # readers refuse
        recovery = kill_points(_copy(root, tmp_path / f"r{step}"), "ingest", "--recover")
        for again, kill_again in enumerate(recovery):
            twice = _copy(root, tmp_path / f"k{step}-{again}")
            interrupted = kgtool(twice, "ingest", "--recover", strace=kill_again)
            assert interrupted.returncode in (-9, 137)
            assert kgtool(twice, "ingest", "--recover").returncode == 0
            assert files(twice) == before, (step, again)
        assert kgtool(root, "ingest", "--recover").returncode == 0
        assert files(root) == before
    assert killed_mid_write >= 2


def stamped(state: dict[str, bytes]) -> dict[str, bytes]:
    """The files, with the ingest record reduced to its presence (it holds the time)."""
    return {k: b"(record)" if k == "data/submissions.ttl" else v for k, v in state.items()}


def _copy(root: Path, to: Path) -> Path:
    shutil.copytree(root, to, symlinks=True)
    return to
