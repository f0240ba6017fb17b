"""The network as SVG (byte-stable: fixed order, fixed precision) and as Cytoscape.js
elements for the browser, both from one :class:`~kgtool.look.network.Network`.

Edges are drawn as one path each (``class="edge"``), parallel edges between the same two
nodes as arcs bent apart; nodes as circles (``class="node"``) sized by degree; the nodes
with most links are labelled; each mark carries a ``<title>`` for tooltips.

>>> from kgtool.look.network import Network, Node
>>> net = Network([Node("ex:a", "A", "", "#000", 0, 10.0, 20.0)], [], [], [], 100, 100)
>>> "<circle class=\\"node\\"" in network_svg(net, "T", "alt", "en")
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from kgtool.look.network import Edge, Network, Node

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
LEGEND_WIDTH = 250
HEADER = 44
LABELLED = 30  # nodes labelled in the static picture, by degree


def radius(node: Node) -> float:
    return round(3 + 1.6 * math.sqrt(node.degree), 1)


def placed_labels(nodes: list[Node], width: int) -> list[tuple[Node, float, float]]:
    """The labels of the most linked nodes, under each node (moved in to stay inside the
    ``width``), skipping any label whose box (estimated at 6.2 px a character) would
    overlap one already placed."""
    placed: list[tuple[Node, float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for node in sorted(nodes, key=lambda n: (-n.degree, n.id)):
        if len(placed) == LABELLED:
            break
        half = len(node.label) * 3.1
        x = min(max(node.x, half + 2), width - half - 2)
        y = node.y + radius(node) + 11
        box = (x - half, y - 10, x + half, y + 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in boxes):
            continue
        boxes.append(box)
        placed.append((node, round(x, 1), y))
    return placed


def _bends(edges: list[Edge]) -> list[float]:
    """Per edge, how far its arc bends off the straight line (0 for a lone edge)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, edge in enumerate(edges):
        groups[tuple(sorted((edge.source, edge.target)))].append(index)
    bends = [0.0] * len(edges)
    for pair, members in groups.items():
        flip = 1 if edges[members[0]].source == pair[0] else -1
        for rank, index in enumerate(members):
            sign = flip if edges[index].source == pair[0] else -flip
            bends[index] = sign * (rank - (len(members) - 1) / 2) * 6.0
    return bends


def _path(a: Node, b: Node, bend: float, dx: float, dy: float) -> str:
    x1, y1, x2, y2 = a.x + dx, a.y + dy, b.x + dx, b.y + dy
    if bend == 0:
        return f"M{x1:.1f},{y1:.1f}L{x2:.1f},{y2:.1f}"
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    cx = (x1 + x2) / 2 - (y2 - y1) / length * bend * 2
    cy = (y1 + y2) / 2 + (x2 - x1) / length * bend * 2
    return f"M{x1:.1f},{y1:.1f}Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


def _legend(net: Network, x: float, lang: str, headings: tuple[str, str]) -> list[str]:
    anchor = "end" if lang == "ar" else "start"
    swatch, text_x = (x - 12, x - 20) if lang == "ar" else (x, x + 20)
    out = ['<g class="legend">']
    y = HEADER + 10
    for heading, items, shape in ((headings[0], net.legend_edges, "line"),
                                  (headings[1], net.legend_nodes, "circle")):
        if not items:
            continue
        out.append(f'<text x="{x:.1f}" y="{y + 12}" font-weight="bold" '
                   f'text-anchor="{anchor}" font-size="13">{escape(heading)}</text>')
        y += 22
        for label, colour in items:
            if shape == "line":
                out.append(f'<line x1="{swatch:.1f}" y1="{y + 6}" x2="{swatch + 14:.1f}" '
                           f'y2="{y + 6}" stroke="{colour}" stroke-width="3"/>')
            else:
                out.append(f'<circle cx="{swatch + 7:.1f}" cy="{y + 6}" r="6" fill="{colour}"/>')
            out.append(f'<text x="{text_x:.1f}" y="{y + 10}" text-anchor="{anchor}" '
                       f'font-size="12">{escape(label)}</text>')
            y += 18
        y += 14
    out.append("</g>")
    return out


def network_svg(net: Network, title: str, alt: str, lang: str,
                headings: tuple[str, str] = ("", "")) -> str:
    """The whole picture as an SVG document: title, edges, nodes, labels and legend."""
    width, height = net.width + LEGEND_WIDTH, net.height + HEADER
    dx = LEGEND_WIDTH if lang == "ar" else 0
    nodes = {node.id: node for node in net.nodes}
    direction = ' direction="rtl"' if lang == "ar" else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" '
           f'lang="{lang}" font-family="{FONT}"{direction}>',
           f'<title id="title">{escape(title)}</title>',
           f'<desc id="desc">{escape(alt)}</desc>',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width - 16 if lang == "ar" else 16}" y="28" font-size="18" '
           f'font-weight="bold" text-anchor="{"end" if lang == "ar" else "start"}">'
           f'{escape(title)}</text>',
           f'<g class="edges" fill="none" stroke-width="1.2" stroke-opacity="0.55" '
           f'transform="translate(0,{HEADER})">']
    for edge, bend in zip(net.edges, _bends(net.edges), strict=True):
        tip = " — ".join(p for p in (edge.link_label, edge.kind_label, edge.value_label,
                                    edge.date or "") if p)
        path = _path(nodes[edge.source], nodes[edge.target], bend, dx, 0)
        out.append(f'<path class="edge" d="{path}" stroke="{edge.colour}">'
                   f'<title>{escape(tip)}</title></path>')
    out.append(f'</g><g class="nodes" stroke="white" stroke-width="1" '
               f'transform="translate(0,{HEADER})">')
    for node in net.nodes:
        out.append(f'<circle class="node" data-id={quoteattr(node.id)} '
                   f'cx="{node.x + dx:.1f}" cy="{node.y:.1f}" r="{radius(node)}" '
                   f'fill="{node.colour}"><title>{escape(node.label)} ({node.degree})</title>'
                   f'</circle>')
    out.append(f'</g><g class="labels" font-size="11" text-anchor="middle" '
               f'paint-order="stroke" stroke="white" stroke-width="3" stroke-linejoin="round" '
               f'transform="translate(0,{HEADER})">')
    for node, x, y in placed_labels(net.nodes, net.width):
        out.append(f'<text x="{x + dx:.1f}" y="{y:.1f}">{escape(node.label)}</text>')
    out.append("</g>")
    legend_x = LEGEND_WIDTH - 16 if lang == "ar" else net.width + 16
    out += _legend(net, legend_x, lang, headings)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def cytoscape_elements(net: Network, entity_href) -> list[dict]:
    """Nodes (with their laid-out positions) and edges for Cytoscape.js; ``entity_href``
    maps a node's CURIE to a link, or None."""
    elements: list[dict] = []
    for node in net.nodes:
        data = {"id": node.id, "label": node.label, "colour": node.colour,
                "size": round(2 * radius(node), 1), "degree": node.degree}
        href = entity_href(node.id)
        if href:
            data["href"] = href
        elements.append({"group": "nodes", "data": data,
                         "position": {"x": node.x, "y": node.y}})
    for index, edge in enumerate(net.edges):
        elements.append({"group": "edges", "data": {
            "id": f"e{index}", "source": edge.source, "target": edge.target,
            "colour": edge.colour, "value": edge.value, "label": " — ".join(
                p for p in (edge.link_label, edge.kind_label, edge.value_label, edge.date or "")
                if p)}})
    return elements
