"""Real triplestores on 127.0.0.1 for the tests: `oxigraph serve` and OpenLink Virtuoso 7
(``virtuoso-t``, Debian package virtuoso-opensource), each in a throw-away folder on a free
port, loaded with ``kgtool --endpoint URL load`` and stopped at the end. A pytest plugin (see
``pytest_plugins`` in conftest.py): the fixtures ``oxigraph``, ``virtuoso`` and ``store``
(each in turn) are started once per session."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from kgtool.cli import cli
from kgtool.engine.base import PROJECT_PARTS
from kgtool.engine.embedded import load_project
from kgtool.project import find_project

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
#: The dba account of a fresh Virtuoso database, for its Graph Store endpoint (HTTP Digest).
VIRTUOSO_CREDENTIALS = {"KGTOOL_ENDPOINT_USER": "dba", "KGTOOL_ENDPOINT_PASSWORD": "dba"}
_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph") or "oxigraph"


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """A minimal virtuoso.ini: database files in ``folder``, both ports on 127.0.0.1, no row
    cap on SPARQL answers."""
    root = f"ServerRoot = {_VSP}\n" if _VSP.is_dir() else ""
    ini = folder / "virtuoso.ini"
    ini.write_text(f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
{root}ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
""", encoding="utf-8")
    return ini


def _wait(url: str, proc: subprocess.Popen, seconds: float, name: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within {seconds:g} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def _serving(proc: subprocess.Popen, url: str, seconds: float, name: str) -> Iterator[str]:
    """``url`` once the server ``proc`` answers there (within ``seconds``); stopped after."""
    try:
        _wait(url, proc, seconds, name)
        yield url
    finally:
        _stop(proc)


def load(url: str, root: Path = REPO, env: dict | None = None) -> None:
    """``kgtool --root ROOT --endpoint URL load --replace``; it must succeed."""
    result = CliRunner().invoke(cli, ["--root", str(root), "--endpoint", url, "load",
                                      "--replace", "--batch-size", "5000"], env=env)
    assert result.exit_code == 0, result.output


@contextlib.contextmanager
def running_oxigraph(folder: Path) -> Iterator[str]:
    """`oxigraph serve` on a free port; its query URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(folder), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    with _serving(proc, f"http://127.0.0.1:{port}/query", 15, "oxigraph serve") as url:
        yield url


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[str]:
    """virtuoso-t in the foreground on free ports, its database in ``folder``; its /sparql
    URL. It starts in about 8 s."""
    http_port = free_port()
    ini = virtuoso_ini(folder, free_port(), http_port)
    with open(folder / "stdout.log", "wb") as log:
        proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)],
                                cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "LC_ALL": "C"})
    with _serving(proc, f"http://127.0.0.1:{http_port}/sparql", 60, "virtuoso-t") as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> Iterator[str]:
    """Virtuoso 7 holding the bundled graph: its SPARQL URL."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as url:
        load(url, env=VIRTUOSO_CREDENTIALS)
        yield url


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory) -> Iterator[str]:
    """`oxigraph serve` holding the bundled graph: its query URL."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as url:
        load(url)
        yield url


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def store(request) -> str:
    """Each server in turn: its query URL."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def embedded_all():
    """The files `kgtool load` pushes (ontology, data and shapes), embedded."""
    return load_project(find_project(str(REPO)), PROJECT_PARTS)
