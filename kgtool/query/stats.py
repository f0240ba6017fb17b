"""Counts that describe the loaded graph: triples, files, version, instances per class.

>>> from kgtool.engine import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load_text("<https://e.org/a> a <https://e.org/C> .", "data/a.ttl", part="data")
>>> compute_stats(store, files=1).classes
[('https://e.org/C', 1)]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kgtool.engine.base import Engine, Solutions
from kgtool.project import Project
from kgtool.sources import STRONG, SourceKinds

_VERSION = """
SELECT ?version WHERE {
  ?o a <http://www.w3.org/2002/07/owl#Ontology> ;
     <http://www.w3.org/2002/07/owl#versionInfo> ?version .
} ORDER BY ?version LIMIT 1
"""
_SOURCED = """
SELECT (COUNT(DISTINCT ?s) AS ?nodes) (COUNT(DISTINCT ?sourced) AS ?withSource) WHERE {
  ?s a ?class .
  FILTER (STRSTARTS(STR(?class), "https://w3id.org/spacecoop/ontology/"))
  OPTIONAL { ?s <http://purl.org/dc/terms/source> ?source . BIND (?s AS ?sourced) }
}
"""
_IDENTIFIERS = """
PREFIX sc: <https://w3id.org/spacecoop/ontology/>
SELECT (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?c) AS ?cospar) (COUNT(DISTINCT ?r) AS ?norad)
WHERE {
  ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* sc:Spacecraft .
  OPTIONAL { ?s sc:cosparId ?id . BIND (?s AS ?c) }
  OPTIONAL { ?s sc:noradId ?number . BIND (?s AS ?r) }
}
"""
_NODE_SOURCES = """
SELECT DISTINCT ?s ?source WHERE {
  ?s a ?class ; <http://purl.org/dc/terms/source> ?source .
  FILTER (STRSTARTS(STR(?class), "https://w3id.org/spacecoop/ontology/"))
}
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
    fact_nodes: int = 0
    sourced_nodes: int = 0
    coverage: list[dict[str, object]] | None = None
    spacecraft: int = 0
    with_cospar: int = 0
    with_norad: int = 0
    #: distinct source URLs by kind of host (data/source-kinds.csv; "unclassified" if none)
    source_kinds: dict[str, int] | None = None
    #: fact nodes with at least one primary or catalogue source
    strongly_sourced: int = 0

    @property
    def reviewed(self) -> int:
        """OIC member states with a nation review (``coverage``'s ``reviewedOn``)."""
        return sum(1 for r in self.coverage or [] if r.get("reviewedOn"))

    @property
    def strong_share(self) -> float:
        """Share of fact nodes with at least one primary or catalogue source."""
        return self.strongly_sourced / self.fact_nodes if self.fact_nodes else 0.0

    @property
    def source_share(self) -> float:
        """Share of fact nodes (instances of spacecoop classes) that carry dcterms:source."""
        return self.sourced_nodes / self.fact_nodes if self.fact_nodes else 1.0

    def summary(self) -> str:
        """One line for the end of a run.

        >>> Stats(10, 2, "0.1.0", [("https://e.org/C", 4)], 4, 4, []).summary()
        ... # doctest: +ELLIPSIS
        'Summary: 10 triples in 2 files, 4 instances of 1 classes, 100.0% of 4 fact nodes ...'
        """
        text = (f"Summary: {self.triples} triples in {self.files} files, "
                f"{sum(n for _, n in self.classes)} instances of {len(self.classes)} classes, "
                f"{self.source_share:.1%} of {self.fact_nodes} fact nodes with a source")
        if self.coverage:
            with_agency = sum(1 for r in self.coverage if r["organizations"])
            text += (f", {with_agency} of {len(self.coverage)} OIC member states with a recorded "
                     f"agency or operator, {self.reviewed} reviewed")
        return text + "."

    def as_dict(self) -> dict:
        data = asdict(self)
        data["classes"] = [{"class": c, "instances": n} for c, n in self.classes]
        data["source_share"] = round(self.source_share, 4)
        data["strong_share"] = round(self.strong_share, 4)
        data["reviewed"] = self.reviewed
        return data


def _rows(engine: Engine, sparql: str, parts: tuple[str, ...]) -> list:
    result = engine.query(sparql, parts=parts)
    assert isinstance(result, Solutions)
    return result.rows


def coverage_rows(engine: Engine, coverage_query: str) -> list[dict[str, object]]:
    """Per OIC member: organizations, agreements, spacecraft and people (the coverage query)."""
    answer = engine.query(coverage_query, display="queries/coverage.rq")
    assert isinstance(answer, Solutions)
    return [{v: (None if t is None else t.value if v in ("nation", "reviewedOn")
                 else int(t.value)) for v, t in zip(answer.variables, row, strict=True)}
            for row in answer.rows]


def compute_stats(engine: Engine, files: int, coverage_query: str | None = None,
                  kinds: SourceKinds | None = None) -> Stats:
    """Count triples, the ontology version, data instances per class, sources (by kind of
    host, with ``kinds``), the spacecraft's catalogue identifiers, and coverage."""
    version = _rows(engine, _VERSION, ("ontology",))
    classes = [(c.value, int(n.value)) for c, n in _rows(engine, _CLASSES, ("data",))]
    (nodes, sourced), = _rows(engine, _SOURCED, ("data",))
    (craft, cospar, norad), = _rows(engine, _IDENTIFIERS, ("ontology", "data"))
    by_kind: dict[str, int] | None = None
    strong = 0
    if kinds is not None:
        pairs = _rows(engine, _NODE_SOURCES, ("data",))
        urls = {source.value for _, source in pairs}
        by_kind = {}
        for url in urls:
            kind = kinds.kind(url) or "unclassified"
            by_kind[kind] = by_kind.get(kind, 0) + 1
        strong = len({node for node, source in pairs if kinds.kind(source.value) in STRONG})
    return Stats(
        triples=engine.triple_count(),
        files=files,
        ontology_version=version[0][0].value if version else None,
        classes=classes,
        fact_nodes=int(nodes.value),
        sourced_nodes=int(sourced.value),
        coverage=coverage_rows(engine, coverage_query) if coverage_query else None,
        spacecraft=int(craft.value), with_cospar=int(cospar.value), with_norad=int(norad.value),
        source_kinds=dict(sorted(by_kind.items())) if by_kind is not None else None,
        strongly_sourced=strong,
    )


def project_stats(engine: Engine, project: Project, coverage: bool = True) -> Stats:
    """``kgtool stats``: :func:`compute_stats` for a project, with its coverage query
    (``queries/coverage.rq``) when asked and present."""
    path = project.queries_dir / "coverage.rq"
    query = path.read_text(encoding="utf-8") if coverage and path.is_file() else None
    return compute_stats(engine, files=len(project.graph_files()), coverage_query=query,
                         kinds=SourceKinds.load(project.data_dir))
