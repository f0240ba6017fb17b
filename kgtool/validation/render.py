"""Render a ValidationReport as text, JSON, Turtle (a W3C ``sh:ValidationReport``) or Markdown.

>>> from kgtool.validation import ValidationReport
>>> print(render_report(ValidationReport([], checked=2), "text", "violation"))
Conforms: 2 nodes checked, 0 violations, 0 warnings, 0 infos.
"""

from __future__ import annotations

import json

from kgtool.errors import escape_control
from kgtool.validation.components import RULE, SCSH, check_shape
from kgtool.validation.report import SEVERITIES, ValidationReport
from kgtool.vocab import SH

_COLORS = {"Violation": "\x1b[31m", "Warning": "\x1b[33m", "Info": "\x1b[36m"}
_RESET = "\x1b[0m"


def _plain(text: str) -> str:
    return text


def rule_name(shape: str, short=_plain) -> str:
    """Where a result comes from: a shape, a hygiene check, or a curator rule.

    >>> rule_name("https://w3id.org/spacecoop/shapes/Curation-duplicate")
    'curator rule duplicate (kgtool/validation/curation.py)'
    >>> rule_name("undefined-references")
    'check queries/checks/undefined-references.rq'
    """
    if shape.startswith(RULE):
        return f"curator rule {shape[len(RULE):]} (kgtool/validation/curation.py)"
    if shape.startswith(("http://", "https://")):
        return f"shape {short('<' + shape + '>')}"
    return f"check queries/checks/{shape}.rq"


def _node(focus: str, short=_plain) -> str:
    """A focus node as text: ``_:id`` for a blank node, ``<iri>`` (or its CURIE) else.

    >>> _node("_:b1"), _node("https://e.org/a")
    ('_:b1', '<https://e.org/a>')
    """
    return focus if focus.startswith("_:") else short(f"<{focus}>")


def _text(report: ValidationReport, fail_on: str, color: bool, short) -> str:
    lines = []
    for focus, label, results in report.grouped():
        title = f"{label} {_node(focus, short)}" if label else _node(focus, short)
        lines.append(escape_control(title))
        for r in results:
            severity = f"{_COLORS[r.severity]}{r.severity}{_RESET}" if color else r.severity
            where = f" {short(r.path)}" if r.path else ""
            value = f" = {short(r.value)}" if r.value else ""
            lines.append(escape_control(f"  {severity}{where}{value}: {r.message}"))
            if r.shape:
                lines.append(f"    ({rule_name(r.shape, short)})")
        lines.append("")
    lines.append(report.summary(fail_on))
    return "\n".join(lines)


def _markdown(report: ValidationReport, fail_on: str) -> str:
    def cell(text: str) -> str:
        return escape_control(text).replace("|", "\\|")

    lines = [f"**{report.summary(fail_on)}**", ""]
    if report.results:
        lines += ["| node | severity | path | value | message |", "| --- | --- | --- | --- | --- |"]
        for focus, label, results in report.grouped():
            name = f"{label} `{_node(focus)}`" if label else f"`{_node(focus)}`"
            for r in results:
                lines.append(f"| {cell(name)} | {r.severity} | {cell(r.path)} | "
                             f"{cell(r.value)} | {cell(r.message)} |")
    return "\n".join(lines)


def _term(text: str):
    """A focus node as an rdflib term: ``_:id`` a blank node, else an IRI."""
    import rdflib

    return rdflib.BNode(text[2:]) if text.startswith("_:") else rdflib.URIRef(text)


def _turtle(report: ValidationReport) -> str:
    """The W3C ``sh:ValidationReport`` (SHACL 3.6): ``sh:conforms`` true only without
    results; each result with its focus node, severity, message, source shape and
    ``sh:sourceConstraintComponent``."""
    import rdflib

    sh = rdflib.Namespace(SH)
    graph = rdflib.Graph()
    graph.bind("sh", sh)
    graph.bind("scsh", SCSH)
    root = rdflib.BNode("report")
    graph.add((root, rdflib.RDF.type, sh.ValidationReport))
    graph.add((root, sh.conforms, rdflib.Literal(report.conforms)))
    for i, r in enumerate(report.results):
        node = rdflib.BNode(f"r{i}")
        graph.add((root, sh.result, node))
        graph.add((node, rdflib.RDF.type, sh.ValidationResult))
        graph.add((node, sh.focusNode, _term(r.focus)))
        graph.add((node, sh.resultSeverity, sh[r.severity]))
        graph.add((node, sh.resultMessage, rdflib.Literal(r.message)))
        graph.add((node, sh.sourceConstraintComponent, rdflib.URIRef(r.component)))
        if r.path.startswith("<") and r.path.endswith(">"):
            graph.add((node, sh.resultPath, rdflib.URIRef(r.path[1:-1])))
        if r.value:
            graph.add((node, sh.value, rdflib.util.from_n3(r.value)))
        shape = r.shape if r.shape.startswith(("http://", "https://")) else (
            check_shape(r.shape) if r.shape else "")
        if shape:
            graph.add((node, sh.sourceShape, rdflib.URIRef(shape)))
    return graph.serialize(format="turtle")


def render_summary(report: ValidationReport, fail_on: str, short=_plain) -> str:
    """The results counted by rule, most frequent first, then the summary line.

    >>> from kgtool.validation import ValidationResult
    >>> r = ValidationResult("https://e.org/a", "", "", "Warning", "needs a name", "names")
    >>> print(render_summary(ValidationReport([r]), "violation"))
    Results by rule:
          1  Warning  needs a name
                      (check queries/checks/names.rq)
    Passes, with warnings or notes (sh:conforms false): 0 nodes checked, 0 violations, \
1 warnings, 0 infos.
    """
    counts: dict[tuple[str, str, str], int] = {}
    for r in report.results:
        key = (r.severity, r.shape, r.message)
        counts[key] = counts.get(key, 0) + 1
    lines = ["Results by rule:"] if counts else []
    for (severity, shape, message), n in sorted(
            counts.items(), key=lambda item: (-SEVERITIES[item[0][0]], -item[1], item[0])):
        lines.append(escape_control(f"  {n:5}  {severity:<9}{message}"))
        if shape:
            lines.append(f"{'':18}({rule_name(shape, short)})")
    return "\n".join([*lines, report.summary(fail_on)])


def render_report(report: ValidationReport, fmt: str, fail_on: str, color: bool = False,
                  short=_plain) -> str:
    """The report in ``fmt``: text, json, turtle or markdown; ``short`` abbreviates ``<iri>``."""
    if fmt == "json":
        return json.dumps(report.as_dict(fail_on), ensure_ascii=False, indent=2)
    if fmt == "turtle":
        return _turtle(report)
    if fmt == "markdown":
        return _markdown(report, fail_on)
    return _text(report, fail_on, color, short)
