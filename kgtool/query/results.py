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
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring as _quote

import pyoxigraph as ox

from kgtool.engine.base import Solutions, Triples
from kgtool.output import view_lines
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
    return "".join(stream_solutions(answer.variables, [answer.rows], fmt,
                                    None if cell is None else lambda rows: cell))


def _json_binding(variables: Sequence[str], row: Sequence) -> str:
    """One binding as ``json.dumps(..., indent=1)`` writes it three levels deep, made with the
    C string encoder (the indenting encoder is pure Python: 10x slower on 10^6 rows)."""
    parts = []
    for name, term in zip(variables, row, strict=True):
        if term is not None:
            fields = ",\n".join(f"     {_quote(k)}: {_quote(v)}"
                                for k, v in _json_term(term).items())
            parts.append(f"    {_quote(name)}: {{\n{fields}\n    }}")
    return "   {\n" + ",\n".join(parts) + "\n   }" if parts else "   {}"


def _json_parts(variables: Sequence[str], batches: Iterable[Sequence]) -> Iterator[str]:
    """The W3C JSON results, as ``json.dumps(..., indent=1)`` writes them, batch by batch."""
    head = json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": []}},
                      ensure_ascii=False, indent=1)
    before, after = head.rsplit("[]", 1)
    yield before + "["
    separator = "\n"
    for batch in batches:
        if batch:
            yield separator + ",\n".join(_json_binding(variables, row) for row in batch)
            separator = ",\n"
    yield ("]" if separator == "\n" else "\n  ]") + after


def _xml_parts(variables: Sequence[str], batches: Iterable[Sequence]) -> Iterator[str]:
    """The W3C XML results; a term that XML 1.0 cannot carry stops them before its batch
    (before anything, in the first batch)."""
    lines = ['<?xml version="1.0"?>',
             '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    lines += [f"<variable name={quoteattr(v)}/>" for v in variables]
    head = "\n".join([*lines, "</head>", "<results>", ""])
    for batch in batches:
        refuse_xml_problem((t for row in batch for t in row), "the answer")
        lines = []
        for row in batch:
            lines.append("<result>")
            lines += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row, strict=True) if t is not None]
            lines.append("</result>")
        yield head + "".join(line + "\n" for line in lines)
        head = ""
    yield head + "</results>\n</sparql>\n"


def stream_solutions(variables: Sequence[str], batches: Iterable[Sequence], fmt: str,
                     cell_for: Callable[[Sequence], Callable[[object], str]] | None = None
                     ) -> Iterator[str]:
    """A SELECT answer whose rows come in batches, as pieces of text to write as they come
    (memory flat in the row count). ``cell_for(batch)`` gives the cell renderer of a batch
    (its labels looked up at once) for the table and Markdown views.

    >>> import pyoxigraph as ox
    >>> "".join(stream_solutions(["s"], [[(ox.Literal("a"),)], [(None,)]], "tsv"))
    '?s\\n"a"\\n\\n'
    """
    if fmt == "json":
        yield from _json_parts(variables, batches)
    elif fmt == "xml":
        yield from _xml_parts(variables, batches)
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for batch in batches:
            writer.writerows([[_csv_term(t) for t in row] for row in batch])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()
    elif fmt == "tsv":
        yield "\t".join(f"?{v}" for v in variables) + "\n"
        for batch in batches:
            yield "".join("\t".join("" if t is None else str(t) for t in row) + "\n"
                          for row in batch)
    else:
        yield from _view_parts(variables, batches, fmt, cell_for)


def _view_parts(variables: Sequence[str], batches: Iterable[Sequence], fmt: str,
                cell_for: Callable[[Sequence], Callable[[object], str]] | None) -> Iterator[str]:
    """The table or Markdown view, then the count of rows."""
    count = 0

    def shown() -> Iterator[list[list[str]]]:
        nonlocal count
        for batch in batches:
            show = cell_for(batch) if cell_for else (lambda t: "" if t is None else t.value)
            count += len(batch)
            yield [[show(t) for t in row] for row in batch]

    for line in view_lines(list(variables), shown(), fmt):
        yield line + "\n"
    rows = f"{count} row{'s' if count != 1 else ''}"
    yield f"\n{rows}\n" if fmt == "markdown" else f"{rows}\n"


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
