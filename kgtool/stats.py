"""Counts that describe the loaded graph: triples, files, version, instances per class.

>>> from kgtool.store import EmbeddedStore
>>> store = EmbeddedStore()
>>> _ = store.load_text("<https://e.org/a> a <https://e.org/C> .", "data/a.nt", part="data")
>>> compute_stats(store, files=1).classes
[('https://e.org/C', 1)]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kgtool.store import Engine, Solutions

_VERSION = """
SELECT ?version WHERE {
  ?o a <http://www.w3.org/2002/07/owl#Ontology> ;
     <http://www.w3.org/2002/07/owl#versionInfo> ?version .
} ORDER BY ?version LIMIT 1
"""
_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


@dataclass(frozen=True)
class Stats:
    """What ``kgtool stats`` reports."""

    triples: int
    files: int
    ontology_version: str | None
    classes: list[tuple[str, int]]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["classes"] = [{"class": c, "instances": n} for c, n in self.classes]
        return data


def _rows(engine: Engine, sparql: str, parts: tuple[str, ...]) -> list:
    result = engine.query(sparql, parts=parts)
    assert isinstance(result, Solutions)
    return result.rows


def compute_stats(engine: Engine, files: int) -> Stats:
    """Count triples of ontology + data, the ontology version, and data instances per class."""
    version = _rows(engine, _VERSION, ("ontology",))
    classes = [(c.value, int(n.value)) for c, n in _rows(engine, _CLASSES, ("data",))]
    return Stats(
        triples=engine.triple_count(),
        files=files,
        ontology_version=version[0][0].value if version else None,
        classes=classes,
    )
