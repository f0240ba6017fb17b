"""Debian's Apache Jena (``libapache-jena-java``) on a classpath that starts, for the parity
tests and for the benchmark's peer (benchmarks/jena.py). Debian relocates Xerces to
``xerces`` inside Jena but leaves its message bundles under ``org/apache/jena/ext/xerces``,
where the relocated classes do not look: without a copy under ``xerces/`` every run stops at
start-up with "internal error"."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

JAVA = Path("/usr/share/java")
_BUNDLES = "org/apache/jena/ext/xerces/"


def classpath_with_bundles(folder: Path, jars: Iterable[str]) -> str:
    """The classpath of ``jars`` (names of /usr/share/java/NAME.jar) after ``folder``, into
    which xerces' message bundles are copied from jena-core.jar where Jena looks for them."""
    with zipfile.ZipFile(JAVA / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_BUNDLES) and name.endswith(".properties"):
                target = folder / "xerces" / name[len(_BUNDLES):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(folder), *(str(JAVA / f"{name}.jar") for name in jars)])
