"""`kgtool --endpoint URL ingest`: data/ and the store get the same triples; a store that is
down leaves both as they were; one that stops mid-ingest gets an error that says what to
rerun, and rerunning it makes the store equal to data/ again. On a real `oxigraph serve`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, make_project
from kgtool.engine import RemoteEndpoint, load_project
from kgtool.project import find_project
from stores import load, running_oxigraph

KARI = REPO / "examples" / "submissions" / "valid" / "kari.ttl"
KGTOOL = str(Path(sys.executable).with_name("kgtool"))


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the bundled project, whose data/ an ingest may change."""
    return make_project(tmp_path / "p", source=REPO)


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data").iterdir()) if p.is_file()}


def same_as_data(url: str, root: Path) -> bool:
    return RemoteEndpoint(url).triple_count() == load_project(find_project(str(root))
                                                              ).triple_count()


def test_an_ingest_reaches_data_and_the_store(project: Path, tmp_path, run) -> None:
    with running_oxigraph(tmp_path / "store") as url:
        load(url, project)
        before = RemoteEndpoint(url).triple_count()
        result = run(["--root", project, "--endpoint", url, "ingest", KARI])
        assert result.exit_code == 0, result.output
        assert "Sent " in result.output and same_as_data(url, project)
        assert RemoteEndpoint(url).triple_count() > before


def test_a_store_that_is_down_leaves_both_as_they_were(project: Path, tmp_path, run) -> None:
    with running_oxigraph(tmp_path / "store") as url:
        load(url, project)
    before = files(project)
    result = run(["--root", project, "--endpoint", url, "ingest", KARI])
    assert result.exit_code == 3 and "Error: cannot reach" in result.output
    assert files(project) == before


def test_a_store_stopped_mid_ingest_says_what_to_rerun(project: Path, tmp_path) -> None:
    folder = tmp_path / "store"
    with running_oxigraph(folder) as url:
        load(url, project)
        port = url.split(":")[2].split("/")[0]
        server = next(p for p in subprocess.run(["pgrep", "-f", f"127.0.0.1:{port}"],
                                                capture_output=True, text=True
                                                ).stdout.split())
        journal = project / "data" / ".kgtool-journal.json"
        lock = project / "data" / ".kgtool.lock"
        lock.touch()
        held = f":{lock.stat().st_ino} "
        stopped = threading.Event()

        def stop_when_ingest_holds_data() -> None:
            """Stop the server once ingest holds data/'s lock: after it asked the store, and
            before it validates, writes data/ and posts (no race with the post)."""
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(
                    "FLOCK" in line and "WRITE" in line and held in line
                    for line in Path("/proc/locks").read_text().splitlines()):
                time.sleep(0.001)
            subprocess.run(["kill", "-STOP", server], check=True)
            stopped.set()

        watcher = threading.Thread(target=stop_when_ingest_holds_data)
        watcher.start()
        result = subprocess.run([KGTOOL, "--root", str(project), "--endpoint", url,
                                 "--timeout", "3", "ingest", str(KARI)],
                                capture_output=True, text=True, timeout=120, check=False)
        watcher.join()
        subprocess.run(["kill", "-CONT", server], check=True)
        assert stopped.is_set()
        assert result.returncode == 3, result.stdout + result.stderr
        assert "data/ holds the ingest, but the store at" in result.stderr
        assert f"Hint: rerun: kgtool --endpoint {url} load --replace" in result.stderr
        assert "got" in result.stdout and not journal.exists()
        assert not same_as_data(url, project)
        rerun = subprocess.run([KGTOOL, "--root", str(project), "--endpoint", url, "load",
                                "--replace"], capture_output=True, text=True, check=False)
        assert rerun.returncode == 0, rerun.stderr
        assert same_as_data(url, project)
    shutil.rmtree(folder)
