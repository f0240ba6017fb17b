"""Content negotiation: the answer format for a query form, from ``Accept`` or ``format=``.

A SELECT or ASK answers in a W3C result format (JSON, XML, CSV, TSV), a CONSTRUCT or DESCRIBE
(and an entity's subgraph) in an RDF syntax (Turtle, JSON-LD, N-Triples); browsers asking for
``text/html`` get a page where there is one. Nothing fitting the ``Accept`` header: None (406).

>>> choose("application/sparql-results+xml;q=0.9, text/csv", RESULTS)
'csv'
>>> choose("text/turtle", RESULTS) is None
True
>>> choose("*/*", GRAPHS)
'turtle'
"""

from __future__ import annotations

#: media type -> format; the first entry of each table is the default for */*.
RESULTS = {"application/sparql-results+json": "json", "application/json": "json",
           "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
           "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPHS = {"text/turtle": "turtle", "application/x-turtle": "turtle",
          "application/ld+json": "json-ld", "application/n-triples": "nt", "text/plain": "nt"}
HTML = {"text/html": "html", "application/xhtml+xml": "html"}
#: ``format=`` values (and URL suffixes) a link may ask for instead of an Accept header;
#: SPARQLWrapper sends ``format=json`` or ``format=xml`` with every request.
NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
         "turtle": "turtle", "ttl": "turtle", "json-ld": "json-ld", "jsonld": "json-ld",
         "nt": "nt", "ntriples": "nt", "html": "html"}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, best first (stable).

    >>> parse_accept("text/html;q=0.5, application/json")
    [('application/json', 1.0), ('text/html', 0.5)]
    """
    ranges = []
    for i, item in enumerate(header.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((-q, i, media.lower()))
    return [(media, -q) for q, _, media in sorted(ranges)]


def choose(accept: str | None, *tables: dict[str, str]) -> str | None:
    """The format of the best media range in ``accept`` that one of ``tables`` offers.

    >>> choose("text/html,application/xml;q=0.9,*/*;q=0.8", HTML, RESULTS)
    'html'
    >>> choose("image/png, text/*;q=0.1", GRAPHS)
    'turtle'
    """
    offered = {media: fmt for table in tables for media, fmt in table.items()}
    default = next(iter(tables[0].values()))
    for media, q in parse_accept(accept or "*/*"):
        if q <= 0:
            continue
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            kind = media[:-1]
            hit = next((fmt for m, fmt in offered.items() if m.startswith(kind)), None)
            if hit:
                return hit
    return None


def prefers_html(accept: str | None) -> bool:
    """True when the Accept header's first choice is a web page (as browsers send it).

    >>> prefers_html("text/html,application/xhtml+xml,*/*;q=0.8"), prefers_html("*/*")
    (True, False)
    """
    ranges = [r for r in parse_accept(accept or "") if r[1] > 0]
    return bool(ranges) and ranges[0][0] in HTML


def by_name(name: str, *tables: dict[str, str]) -> str | None:
    """The format a ``format=`` value (or a URL suffix) names, if ``tables`` offer it.

    >>> by_name("csv", RESULTS), by_name("ttl", RESULTS)
    ('csv', None)
    """
    fmt = NAMES.get(name.strip().lower())
    return fmt if fmt and any(fmt in t.values() for t in tables) else None
