"""The peers' side of the benchmarks: the same work done by bare pyoxigraph, rdflib and pySHACL.

Each task runs in its own process (so its start-up and peak memory are measured like
kgtool's) and prints one JSON object: its result counts and the seconds of its inner steps.

Run: python benchmarks/peers.py floor-query PROJECT QUERY.rq
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

GRAPH_BASE = "https://w3id.org/spacecoop/graph/"


def files(root: Path, shapes: bool = False) -> list[Path]:
    """Ontology and data files (and shapes), as kgtool loads them."""
    found = sorted((root / "ontology").glob("*.ttl")) + sorted((root / "data").glob("*.ttl"))
    return found + (sorted((root / "ontology" / "shapes").glob("*.ttl")) if shapes else [])


def floor_load(root: Path) -> dict:
    """Parse ontology and data into an in-memory pyoxigraph store (the default graph)."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in files(root):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return {"triples": len(store), "store": store}


def floor_query(root: Path, query: Path) -> dict:
    """The floor: load the files into pyoxigraph, run the query, write CSV."""
    import pyoxigraph as ox

    store = floor_load(root)["store"]
    started = time.perf_counter()
    result = store.query(query.read_text(encoding="utf-8"))
    csv = result.serialize(format=ox.QueryResultsFormat.CSV)
    return {"rows": csv.count(b"\r\n") - 1, "query_s": time.perf_counter() - started}


def rdflib_graph(paths: list[Path]):
    import rdflib

    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def rdflib_load(root: Path) -> dict:
    return {"triples": len(rdflib_graph(files(root)))}


def rdflib_query(root: Path, query: Path) -> dict:
    """rdflib's SPARQL engine on the same files and the same (parameter-bound) query."""
    graph = rdflib_graph(files(root))
    started = time.perf_counter()
    rows = len(list(graph.query(query.read_text(encoding="utf-8"))))
    return {"rows": rows, "query_s": time.perf_counter() - started}


def rdflib_export(root: Path, fmt: str, out: Path) -> dict:
    """Serialize the data files with rdflib (parse not counted in serialize_s)."""
    graph = rdflib_graph(sorted((root / "data").glob("*.ttl")))
    started = time.perf_counter()
    graph.serialize(destination=str(out), format={"nt": "nt", "turtle": "turtle",
                                                  "json-ld": "json-ld"}[fmt])
    return {"triples": len(graph), "serialize_s": time.perf_counter() - started}


def pyshacl_validate(root: Path) -> dict:
    """pySHACL on an rdflib graph of ontology + data, shapes apart, no inference."""
    import rdflib
    from pyshacl import validate

    data = rdflib_graph(files(root))
    shapes = rdflib_graph(sorted((root / "ontology" / "shapes").glob("*.ttl")))
    started = time.perf_counter()
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                            allow_warnings=True)
    seconds = time.perf_counter() - started
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    results = list(report.subjects(rdflib.RDF.type, sh.ValidationResult))
    severities = Counter(str(report.value(r, sh.resultSeverity)).removeprefix(str(sh))
                         for r in results)
    focus = Counter(str(report.value(r, sh.focusNode)) for r in results)
    return {"validate_s": seconds, "severities": dict(severities), "focus": dict(focus)}


TASKS = {"floor-load": floor_load, "floor-query": floor_query, "rdflib-load": rdflib_load,
         "rdflib-query": rdflib_query, "rdflib-export": rdflib_export,
         "pyshacl": pyshacl_validate}


def main() -> None:
    task, root, *rest = sys.argv[1:]
    args = [Path(root)] + [a if a in ("nt", "turtle", "json-ld") else Path(a) for a in rest]
    answer = TASKS[task](*args)
    answer.pop("store", None)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
