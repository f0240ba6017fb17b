"""Render query answers: the W3C SPARQL 1.1 result formats, tables for people, and RDF.

CSV, TSV, JSON and XML follow the W3C Recommendations (SPARQL 1.1 Query Results
CSV and TSV Formats, JSON Format, XML Format), escaping included.

>>> import pyoxigraph as ox
>>> from kgtool.engine import Solutions
>>> answer = Solutions(("s",), [(ox.Literal("a,b"),)])
>>> render_solutions(answer, "csv")
's\\r\\n"a,b"\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pyoxigraph as ox

from kgtool.engine.base import Solutions, Triples
from kgtool.output import render_rows
from kgtool.text import refuse_xml_problem
from kgtool.vocab import XSD_STRING

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown")
BOOLEAN_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "json-ld", "nt")


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_text(text: str) -> str:
    """Escape character data so that an XML parser gives back the same string (CR too)."""
    from xml.sax.saxutils import escape  # imported here: it pulls in urllib (25 ms)

    return escape(text, {"\r": "&#13;"})


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes.

    >>> quoteattr("en<")
    '"en&lt;"'
    """
    from xml.sax.saxutils import quoteattr as quote

    return quote(text)


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    text = _xml_text(term.value)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{text}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{text}</literal>"
    return f"<literal>{text}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def render_solutions(answer: Solutions, fmt: str,
                     cell: Callable[[object], str] | None = None) -> str:
    """A SELECT answer in one of SELECT_FORMATS; ``cell`` shows a term in table/markdown."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(answer.variables, row, strict=True)
                     if t is not None} for row in answer.rows]
        return json.dumps({"head": {"vars": list(answer.variables)},
                           "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)
    if fmt == "xml":
        refuse_xml_problem((t for row in answer.rows for t in row), "the answer")
        lines = ['<?xml version="1.0"?>',
                 '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        lines += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
        lines += ["</head>", "<results>"]
        for row in answer.rows:
            lines.append("<result>")
            lines += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(answer.variables, row, strict=True) if t is not None]
            lines.append("</result>")
        lines += ["</results>", "</sparql>"]
        return "\n".join(lines) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(answer.variables)
        writer.writerows([[_csv_term(t) for t in row] for row in answer.rows])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in answer.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
        return "\n".join(lines) + "\n"
    show = cell or (lambda t: "" if t is None else t.value)
    rows = [[show(t) for t in row] for row in answer.rows]
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if fmt == "markdown":
        return render_rows(list(answer.variables), rows, "markdown") + f"\n\n{count}\n"
    return render_rows(list(answer.variables), rows, "table", footer=count) + "\n"


def render_boolean(value: bool, fmt: str) -> str:
    """An ASK answer in the W3C JSON or XML result format; CSV and TSV (which the W3C formats
    do not define for ASK) as one ``_askResult`` column, as Jena writes it.

    >>> render_boolean(True, "json")
    '{"head": {}, "boolean": true}'
    >>> render_boolean(False, "csv")
    '_askResult\\r\\nfalse\\r\\n'
    """
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value})
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"\n<head/>\n<boolean>{text}</boolean>\n</sparql>\n")
    if fmt == "csv":
        return f"_askResult\r\n{text}\r\n"
    return f"?_askResult\n{text}\n"


def render_triples(answer: Triples, fmt: str, prefixes: dict[str, str]) -> bytes:
    """A CONSTRUCT or DESCRIBE answer as Turtle, JSON-LD or N-Triples."""
    formats = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD,
               "nt": ox.RdfFormat.N_TRIPLES}
    options = {"prefixes": prefixes} if fmt == "turtle" else {}
    return ox.serialize(answer.triples, format=formats[fmt], **options) or b""
