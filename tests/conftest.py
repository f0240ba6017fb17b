"""Shared fixtures: the real project, small fixture projects and a CLI runner."""

from __future__ import annotations

import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgtool.cli import cli
from kgtool.project import Project, find_project

pytest_plugins = ["stores"]  # the oxigraph and virtuoso servers

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> Project:
    """The bundled graph of this checkout."""
    return find_project(str(REPO))


def make_project(root: Path, data: dict[str, str] | None = None,
                 source: Path = FIXTURES / "mini") -> Path:
    """A project folder: the real ontology and queries, with the given data files."""
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    if data is None:
        shutil.copytree(source / "data", root / "data")
    else:
        (root / "data").mkdir()
        for name, text in data.items():
            (root / "data" / name).write_text(text, encoding="utf-8")
    return root


def write_query(path: Path, summary: str, params: dict[str, str], body: str) -> Path:
    """A query file with a ``#+`` header declaring ``params`` (name -> kind)."""
    lines = [f"#+ summary: {summary}"]
    if params:
        lines += ["#+ params:", *(f"#+   - {name}: {kind}" for name, kind in params.items())]
    path.write_text("\n".join([*lines, body]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small project: real ontology, the tests/fixtures/mini data."""
    return make_project(tmp_path / "mini")


@pytest.fixture
def run():
    """Invoke the CLI in-process: run(args, input=None) -> click Result."""
    runner = CliRunner()

    def invoke(args, **kwargs):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return invoke


@contextmanager
def tcp_listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP listener on 127.0.0.1 that records each connection made to it and closes it:
    (port, connections). Network tests assert what it received, most often nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.05)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append("connection")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """:func:`tcp_listener` for one test."""
    with tcp_listener() as found:
        yield found


def blank_nodes_named_alike(report: str) -> str:
    """Blank nodes get fresh names at every reading (``_:`` and 16 to 32 hex digits): number
    them in order of appearance, so two reports of the same graph compare equal."""
    names: dict[str, str] = {}
    return re.sub(r"_:([0-9a-f]{16,32})", lambda m: names.setdefault(m[1], f"_:b{len(names)}"),
                  report)
