"""The network picture's model: nodes and edges from a table, and a layout that is the same
on every run.

Each record is one edge (``source`` to ``target`` columns of the definition's ``network``
object); the nodes are the distinct ends. A node's kind is the first class of the
definition's ``node-kinds`` that it is an instance of (subclasses count), with that
class's label in the chosen language as its name in the legend. The layout is networkx's
spring layout with a fixed seed over nodes and edges in sorted order, rounded to a tenth
of a pixel, so the same graph gives the same coordinates, and the SVG the same bytes.

>>> layout([("a", "b"), ("b", "c")], ["a", "b", "c"], 100, 100, margin=10) == layout(
...     [("a", "b"), ("b", "c")], ["a", "b", "c"], 100, 100, margin=10)
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kgtool.look.table import Table, labels_in
from kgtool.prefixes import PrefixMap

SEED = 20261125
OTHER_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class Node:
    id: str  # CURIE
    label: str
    kind: str  # CURIE of its class in node-kinds, or "" for none
    colour: str
    degree: int
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    colour: str
    value: str  # the colour column's CURIE or value
    value_label: str
    kind_label: str
    link_label: str
    date: str | None


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]
    legend_edges: list[tuple[str, str]]  # (label, colour) of the values present
    legend_nodes: list[tuple[str, str]]
    width: int
    height: int


def layout(edges: list[tuple[str, str]], nodes: list[str], width: int, height: int, *,
           margin: int) -> dict[str, tuple[float, float]]:
    """Spring layout with a fixed seed, scaled into the box and rounded to 0.1 px."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    weights = Counter(tuple(sorted(pair)) for pair in edges)
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    if len(nodes) == 1:
        return {nodes[0]: (round(width / 2, 1), round(height / 2, 1))}
    positions = nx.spring_layout(graph, seed=SEED, iterations=200, weight=None,
                                 k=2.4 / max(len(nodes), 1) ** 0.5)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    inner_w, inner_h = width - 2 * margin, height - 2 * margin
    return {node: (round(margin + (float(p[0]) - min(xs)) / span_x * inner_w, 1),
                   round(margin + (float(p[1]) - min(ys)) / span_y * inner_h, 1))
            for node, p in positions.items()}


def node_kinds(engine, iris: set[str], kinds: list[str]) -> dict[str, str]:
    """Per node IRI, the first of ``kinds`` (class IRIs) that it is an instance of."""
    if not iris or not kinds:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    classes = " ".join(f"<{k}>" for k in kinds)
    rows = engine.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT DISTINCT ?node ?class WHERE {{ VALUES ?node {{ {values} }} "
        f"VALUES ?class {{ {classes} }} ?node a/rdfs:subClassOf* ?class }}").rows
    found: dict[str, str] = {}
    for node, cls in rows:
        if node.value not in found or kinds.index(cls.value) < kinds.index(found[node.value]):
            found[node.value] = cls.value
    return found


def build_network(engine, table: Table, prefixes: PrefixMap) -> Network:
    """Nodes, edges, colours and positions for the table of a network picture."""
    spec = table.picture.network
    source, target = spec.get("source", "source"), spec.get("target", "target")
    colour_by, kind_by = spec.get("colour", "activity"), spec.get("kind", "kind")
    link_by, date_by = spec.get("link", "link"), spec.get("date", "date")
    palette: dict[str, str] = spec.get("palette", {})
    kinds = [(prefixes.expand(curie), colour) for curie, colour in spec.get("node-kinds", [])]
    records = [r for r in table.records if source in r and target in r]
    ends = sorted({r[source] for r in records} | {r[target] for r in records})
    degree = Counter(end for r in records for end in (r[source], r[target]))
    iris = {prefixes.expand(curie): curie for curie in ends}
    found = node_kinds(engine, set(iris), [k for k, _ in kinds])
    kind_labels = labels_in(engine, {k for k, _ in kinds}, table.lang)
    width, height = int(spec.get("width", 1200)), int(spec.get("height", 900))
    positions = layout([(r[source], r[target]) for r in records], ends, width, height,
                       margin=int(spec.get("margin", 40)))
    colours = dict(kinds)
    labels = {r[end]: r.get(end + "Label", r[end]) for r in records for end in (source, target)}
    nodes = []
    for curie in ends:
        kind = found.get(prefixes.expand(curie), "")
        x, y = positions[curie]
        nodes.append(Node(curie, labels[curie], prefixes.shorten(kind) if kind else "",
                          colours.get(kind, OTHER_COLOUR), degree[curie], x, y))
    edges = [Edge(r[source], r[target], palette.get(str(r.get(colour_by, "")), OTHER_COLOUR),
                  str(r.get(colour_by, "")), str(r.get(colour_by + "Label", r.get(colour_by, ""))),
                  str(r.get(kind_by + "Label", r.get(kind_by, ""))),
                  str(r.get(link_by + "Label", r.get(link_by, ""))),
                  str(r[date_by]) if date_by in r else None) for r in records]
    present_values = {e.value: e.value_label for e in edges}
    legend_edges = [(present_values[value], colour) for value, colour in palette.items()
                    if value in present_values]
    if any(e.value not in palette for e in edges):
        legend_edges.append((table.picture.text.get("other", {}).get(table.lang, "other"),
                             OTHER_COLOUR))
    present_kinds = {n.kind for n in nodes}
    legend_nodes = [(kind_labels.get(k, prefixes.shorten(k)), colour) for k, colour in kinds
                    if prefixes.shorten(k) in present_kinds]
    return Network(nodes, edges, legend_edges, legend_nodes, width, height)
