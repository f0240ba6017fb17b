"""Find the spacecoop project: the folder whose ontology, data and queries kgtool reads.

A project is a folder that holds ``ontology/`` and ``data/`` (``queries/`` is
optional). It is found, in this order, from ``--root``, from the ``KGTOOL_ROOT``
environment variable, from the current folder and its parents, and last from
the copy that the installed package carries.

>>> import tempfile, pathlib
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> (tmp / "ontology").mkdir(); (tmp / "data").mkdir()
>>> find_project(root=str(tmp)).how
'--root'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from kgtool.errors import ProjectNotFound

ENV_ROOT = "KGTOOL_ROOT"
BUNDLE = Path(__file__).resolve().parent / "_bundle"
SOURCE_TREE = Path(__file__).resolve().parent.parent


def file_version(path: Path) -> tuple[int, int]:
    """A file's modification time (ns) and size, from one stat: what the caches of
    files read again (shapes, checks) compare.

    >>> file_version(Path(__file__))[1] > 0
    True
    """
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def is_project(path: Path) -> bool:
    """True when ``path`` holds both ``ontology/`` and ``data/``.

    >>> is_project(Path("/"))
    False
    """
    return (path / "ontology").is_dir() and (path / "data").is_dir()


@dataclass
class Project:
    """A spacecoop project on disk: where its files are, and the ``--endpoint`` and
    ``--timeout`` it is used with (``kgtool.engine.open_engine`` builds its engine).

    >>> p = Project(Path("."), how="cwd")
    >>> p.data_dir.name
    'data'
    """

    root: Path
    how: str
    endpoint: str | None = None
    timeout: float | None = None
    max_bytes: int | None = None

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        """The ontology modules: ``ontology/*.ttl`` (not shapes, not examples)."""
        return sorted(self.ontology_dir.glob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted((self.ontology_dir / "shapes").glob("*.ttl"))

    def example_files(self) -> list[Path]:
        return sorted((self.ontology_dir / "examples").glob("*.ttl"))

    def data_files(self) -> list[Path]:
        return sorted(self.data_dir.glob("*.ttl"))

    def graph_files(self) -> list[Path]:
        """Every file whose triples make up the queryable graph: ontology then data."""
        return self.ontology_files() + self.data_files()

    def relative(self, path: Path) -> str:
        """The path as shown to users: relative to the root where possible."""
        try:
            return path.resolve().relative_to(self._resolved_root).as_posix()
        except ValueError:
            return str(path)

    @cached_property
    def _resolved_root(self) -> Path:  # resolved once, not for each of the project's files
        return self.root.resolve()

    @cached_property
    def context_path(self) -> Path:
        return self.ontology_dir / "context.jsonld"


def _no_project_error(start: Path) -> ProjectNotFound:
    return ProjectNotFound(
        f"no spacecoop project found in {start} or its parents",
        hint=(
            "point kgtool at a folder holding ontology/ and data/ in one of these ways: "
            "pass --root DIR; set KGTOOL_ROOT=DIR; run kgtool inside the project folder; "
            "or reinstall kgtool from a wheel, which carries the bundled graph"
        ),
    )


def find_project(
    root: str | None = None,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    bundle: Path | None = None,
) -> Project:
    """Find the project: ``--root``, then ``KGTOOL_ROOT``, then cwd upwards, then the bundle.

    >>> find_project(root="/nonexistent")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    kgtool.errors.ProjectNotFound: --root /nonexistent is not a spacecoop project
    """
    env = os.environ if env is None else env
    if root:
        path = Path(root).expanduser()
        if not is_project(path):
            raise ProjectNotFound(
                f"--root {root} is not a spacecoop project (it needs ontology/ and data/)",
                hint="pass the folder of a spacecoop checkout, or leave out --root",
            )
        return Project(path.resolve(), how="--root")
    if env.get(ENV_ROOT):
        path = Path(env[ENV_ROOT]).expanduser()
        if not is_project(path):
            raise ProjectNotFound(
                f"{ENV_ROOT}={env[ENV_ROOT]} is not a spacecoop project "
                "(it needs ontology/ and data/)",
                hint=f"fix or unset {ENV_ROOT}",
            )
        return Project(path.resolve(), how=ENV_ROOT)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return Project(folder, how="cwd")
    for candidate in (bundle or BUNDLE, SOURCE_TREE) if bundle is None else (bundle,):
        if is_project(candidate):
            return Project(candidate, how="bundle")
    raise _no_project_error(start)
