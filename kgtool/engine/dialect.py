"""What a store's SPARQL differs in, and the rewrites that make its answers equal the
embedded store's. The store is told by its ``Server`` header on the first answer.

Virtuoso 7 (each quirk has a test in tests/engine/test_remote_virtuoso.py):

- ``POST application/sparql-query`` never gets an answer: every store gets form-encoded POST.
- ``*`` and ``+`` property paths give wrong row counts, and more wrong ones with a
  ``default-graph-uri`` list: rewritten (:mod:`kgtool.engine.paths`), so that the list,
  which keeps each part to its own graphs, can be sent as to any store.
- ``GROUP_CONCAT`` without ``SEPARATOR`` is an error: the default separator (one space) is
  written out.
- The constants ``true`` and ``false``, and a comparison bound to a variable, come back as
  the integers 1 and 0: written ``STRDT("true", xsd:boolean)`` (or ``IF(comparison, ...)``).
- JSON results say ``typed-literal`` and booleans ``"1"``: results are asked as XML.
- Blank nodes in XML results are named ``nodeID://b10012``, which no parser takes: the
  prefix is dropped.
- ``GRAPH ?g {}`` answers one empty row: rows with an unbound graph are dropped.
- ASK may answer a one-column table ``__ASK_RETVAL``: read as the boolean it is.
- A variable set by ``BIND`` in ``UNION`` branches and read by a later ``OPTIONAL`` loses
  the OPTIONAL's match on some rows, and no rewrite found makes it right: refused
  (:mod:`kgtool.engine.unreliable`).

>>> detect("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name
'virtuoso'
>>> detect("oxigraph/0.4").name
'standard'
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from kgtool.engine.base import Boolean, QueryResult, Solutions
from kgtool.engine.paths import Closure, rewrite_paths
from kgtool.engine.sparql import tokens
from kgtool.engine.unreliable import late_optional_on_bound
from kgtool.errors import UsageError

_BOOLEAN = "<http://www.w3.org/2001/XMLSchema#boolean>"
_EXPRESSION_BEFORE = {"(", "=", "!=", "&&", "||", "!", ","}
_OPERATORS = set("=<>&|!")
_TESTS = {"BOUND", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "CONTAINS",
          "STRSTARTS", "STRENDS", "SAMETERM", "LANGMATCHES", "EXISTS", "NOT"}


@dataclass(frozen=True)
class Dialect:
    """A store family, its version (from the Server header) and how kgtool talks to it."""

    name: str
    version: str = ""

    @property
    def results_type(self) -> str:
        """The media type asked for SELECT and ASK answers."""
        return "application/sparql-results+xml" if self.name == "virtuoso" else \
            "application/sparql-results+json"

    def rewrite(self, sparql: str, closure: Closure) -> str:
        """The query as this store answers it right (unchanged for a standard store).

        >>> Dialect("virtuoso").rewrite("SELECT (GROUP_CONCAT(?x) AS ?y) {}", None)
        'SELECT (GROUP_CONCAT(?x ; SEPARATOR=" ") AS ?y) {}'
        """
        if self.name != "virtuoso":
            return sparql
        variable = late_optional_on_bound(sparql)
        if variable:
            raise UsageError(f"Virtuoso {self.version} answers this query wrongly: {variable} "
                             "is set by BIND in UNION branches and read by a later OPTIONAL, "
                             "which loses its match on some rows",
                             hint="query the embedded store or another endpoint (leave out "
                             "--endpoint), or bind the variable in a triple pattern")
        return rewrite_paths(_booleans(_comparisons(_separators(sparql))), closure)

    def clean(self, stream: BinaryIO) -> BinaryIO:
        """The answer's bytes as a standard parser takes them (line by line, on disk).

        >>> import io
        >>> Dialect("virtuoso").clean(io.BytesIO(b"<bnode>nodeID://b1</bnode>")).read()
        b'<bnode>b1</bnode>'
        """
        if self.name != "virtuoso":
            return stream
        out = tempfile.SpooledTemporaryFile(1 << 20)  # noqa: SIM115 (returned open)
        for line in stream:
            out.write(line.replace(b"<bnode>nodeID://", b"<bnode>"))
        out.seek(0)
        return out

    def normalise(self, result: QueryResult, form: str) -> QueryResult:
        """The answer as a standard store gives it.

        >>> Dialect("virtuoso").normalise(Solutions(("__ask_retval",), [(None,)]), "ASK")
        Boolean(value=False)
        """
        if self.name != "virtuoso" or not isinstance(result, Solutions):
            return result
        if form == "ASK" and len(result.variables) == 1 \
                and result.variables[0].lower() == "__ask_retval":
            return Boolean(any(row[0] is not None and row[0].value not in ("0", "false")
                               for row in result.rows))
        return result


def detect(server: str) -> Dialect:
    """The dialect of the store whose ``Server`` header is ``server``."""
    product, _, rest = server.partition("/")
    if product.strip().lower() == "virtuoso":
        return Dialect("virtuoso", rest.split()[0] if rest else "")
    return Dialect("standard", server.strip())


def _separators(sparql: str) -> str:
    parts = tokens(sparql)
    out, i = [], 0
    while i < len(parts):
        kind, text = parts[i]
        out.append(text)
        if kind == "word" and text.upper() == "GROUP_CONCAT":
            depth, j, named = 0, i + 1, False
            while j < len(parts):
                k, t = parts[j]
                if k == "other" and t == "(":
                    depth += 1
                elif k == "other" and t == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif k == "word" and t.upper() == "SEPARATOR" and depth == 1:
                    named = True
                j += 1
            out.extend(t for _, t in parts[i + 1:j])
            if not named and j < len(parts):
                out.append(' ; SEPARATOR=" "')
            i = j
            continue
        i += 1
    return "".join(out)


def _booleans(sparql: str) -> str:
    """``true``/``false`` in an expression as typed literals Virtuoso keeps boolean."""
    parts = tokens(sparql)
    out, previous, depth = [], "", 0
    for kind, text in parts:
        if kind == "other" and text in "()":
            depth += 1 if text == "(" else -1
        if kind == "word" and text.lower() in ("true", "false") and (
                previous in _EXPRESSION_BEFORE - {","} or (previous == "," and depth > 0)):
            text = f'STRDT("{text.lower()}", {_BOOLEAN})'
        out.append(text)
        if kind not in ("ws", "comment"):
            previous = text
    return "".join(out)


def _comparisons(sparql: str) -> str:
    """``(EXPR AS ?v)`` with a boolean EXPR as ``(IF(EXPR, true, false) AS ?v)``, booleans
    written as Virtuoso keeps them.

    >>> _comparisons("SELECT (?a = ?b AS ?same) {}")  # doctest: +ELLIPSIS
    'SELECT (IF(?a = ?b , STRDT("true", <...#boolean>), STRDT("false", <...#boolean>)) AS ?same) {}'
    """
    parts = tokens(sparql)
    code = [i for i, (k, _) in enumerate(parts) if k not in ("ws", "comment")]
    wrap: list[tuple[int, int]] = []
    for n, i in enumerate(code[:-2]):
        if not (parts[i][0] == "word" and parts[i][1].upper() == "AS"
                and parts[code[n + 1]][0] == "var" and parts[code[n + 2]][1] == ")"):
            continue
        depth, m, boolean = 0, n - 1, False
        while m >= 0:
            kind, text = parts[code[m]]
            if kind == "other" and text == ")":
                depth += 1
            elif kind == "other" and text == "(":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and kind == "other" and text in _OPERATORS:
                boolean = True
            m -= 1
        first = parts[code[m + 1]] if m + 1 < n else ("", "")
        if first[0] == "word" and first[1].upper() in _TESTS:
            boolean = True
        if boolean and m >= 0:
            wrap.append((code[m + 1], code[n]))
    out = [t for _, t in parts]
    for start, end in wrap:
        out[start] = "IF(" + out[start]
        out[end] = f', STRDT("true", {_BOOLEAN}), STRDT("false", {_BOOLEAN})) ' + out[end]
    return "".join(out)
