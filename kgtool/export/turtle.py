"""Canonical, diff-stable Turtle from pyoxigraph triples (no rdflib on this path).

The same triples always give the same bytes, whatever their order or blank node ids:
only the project prefixes that are used, sorted; the ``owl:Ontology`` header first;
then subjects grouped by class under a ``## <class>`` comment and sorted by IRI;
``a``, ``rdfs:label`` and ``skos:prefLabel`` before the other predicates; objects
sorted; blank nodes nested as ``[ ... ]`` or ``( ... )`` when referenced once, else
labelled from a hash of what surrounds them.

>>> import pyoxigraph as ox
>>> sc = "https://w3id.org/spacecoop/ontology/"
>>> t = ox.Triple(ox.NamedNode(sc + "Nation"), ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + "Class"))
>>> print(canonical_turtle([t], PrefixMap({"sc": sc, "owl": OWL, "xsd": XSD})), end="")
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sc: <https://w3id.org/spacecoop/ontology/> .
<BLANKLINE>
## owl:Class
<BLANKLINE>
sc:Nation a owl:Class .
"""

from __future__ import annotations

import io
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from typing import BinaryIO

import pyoxigraph as ox

from kgtool.engine.base import syntax_error
from kgtool.errors import InputError
from kgtool.export.blanks import blank_labels, nestable
from kgtool.export.names import CACHED, Curies
from kgtool.export.sources import StoreGraphs, TripleIndex, whole_subjects
from kgtool.prefixes import PrefixMap
from kgtool.vocab import OWL, RDF, RDF_TYPE, RDFS_LABEL, SKOS, XSD

RDF_FIRST, RDF_REST = RDF + "first", RDF + "rest"
NIL = ox.NamedNode(RDF + "nil")
_FIRST_PREDICATES = {RDF_TYPE: 0, RDFS_LABEL: 1, SKOS + "prefLabel": 2}
WIDTH, INDENT = 100, 4
_PAD = " " * INDENT

_PREFIX_NAME = re.compile(r"^[A-Za-z]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_NAMESPACE = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*[/#:]$')
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BARE = {XSD + "integer": re.compile(r"^(0|-?[1-9][0-9]*)$"),
         XSD + "decimal": re.compile(r"^(?!-0\.0$)-?(0|[1-9][0-9]*)\.(0|[0-9]*[1-9])$"),
         XSD + "boolean": re.compile(r"^(true|false)$")}
_ESCAPES = {**{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
            ord("\\"): "\\\\", ord('"'): '\\"', ord("\t"): "\\t", ord("\r"): "\\r",
            ord("\n"): "\\n"}
_LONG_ESCAPES = {**_ESCAPES, ord("\n"): "\n"}
_PLAIN = re.compile(r'[^\x00-\x1f\x7f\\"]*')  # nothing to escape
_XSD_STRING = XSD + "string"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Statement = ox.Triple | ox.Quad


def turtle_prefixes(prefixes: PrefixMap) -> PrefixMap:
    """The prefixes that are safe to write: valid Turtle names bound to namespace IRIs.

    >>> turtle_prefixes(PrefixMap({"ok": "https://e.org/", "b\\tad": "https://x/"})).prefixes
    {'ok': 'https://e.org/'}
    """
    return PrefixMap({p: ns for p, ns in prefixes.prefixes.items()
                      if _PREFIX_NAME.match(p) and _NAMESPACE.match(ns)})


def quote(value: str) -> str:
    """A Turtle string literal; the long form only when the value has a line break.

    >>> print(quote('say "hi"\\tnow'), quote("two\\nlines"))
    "say \\"hi\\"\\tnow" \"\"\"two
    lines\"\"\"
    """
    if _PLAIN.fullmatch(value):
        return f'"{value}"'
    if "\n" in value:
        return '"""' + value.translate(_LONG_ESCAPES) + '"""'
    return '"' + value.translate(_ESCAPES) + '"'


class _Names:
    """IRI -> Turtle text (its CURIE, else ``<iri>``), remembered for the most recent IRIs
    only; records the prefixes used."""

    def __init__(self, prefixes: PrefixMap) -> None:
        self.curies = Curies(prefixes)
        self.used: set[str] = set()
        self.cache: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        text = self.cache.get(value)
        if text is None:
            if _BAD_IRI.search(value):
                raise InputError(f"refusing to write the IRI <{value}>",
                                 hint="IRIs must not hold spaces, quotes, brackets or control "
                                      "characters; fix the source data")
            curie = self.curies.find(value)
            if curie:
                self.used.add(curie.split(":", 1)[0])
            if len(self.cache) >= CACHED:
                self.cache.clear()
            text = self.cache[value] = curie or f"<{value}>"
        return text


class _Writer:
    """Renders one graph; holds the blank nodes' statements, which the rendering needs."""

    def __init__(self, prefixes: PrefixMap) -> None:
        self.prefixes = turtle_prefixes(prefixes)
        self.iri = _Names(self.prefixes)
        self.flats: dict[Term, str] = {}
        self.desc: dict[Term, dict[str, list[Term]]] = {}
        self.inline: set[ox.BlankNode] = set()
        self.referenced: set[ox.BlankNode] = set()
        self.labels: dict[ox.BlankNode, str] = {}

    @staticmethod
    def index(triples: Iterable[Statement]) -> tuple[dict[str, list[Term]], bool]:
        """(predicate -> objects, whether an object is a blank node) of one subject's
        triples (RDF 1.1 terms only)."""
        out: dict[str, list[Term]] = {}
        blank = False
        for t in triples:
            o = t.object
            if isinstance(o, ox.BlankNode):
                blank = True
            elif not isinstance(o, Term) or not isinstance(t.subject, Term):
                raise InputError(f"cannot write the RDF 1.2 triple term in {t}",
                                 hint="Turtle output supports RDF 1.1 triples only")
            out.setdefault(t.predicate.value, []).append(o)
        return out, blank

    def know_blanks(self, descs: dict[Term, dict[str, list[Term]]]) -> None:
        """Learn every subject that is a blank node or has one as object, all at once."""
        self.desc.update(descs)
        refs: Counter[ox.BlankNode] = Counter()
        parent: dict[ox.BlankNode, Term] = {}
        statements = []
        for subject, d in descs.items():
            for p, objs in d.items():
                for o in objs:
                    statements.append(ox.Triple(subject, ox.NamedNode(p), o))
                    if isinstance(o, ox.BlankNode):
                        refs[o] += 1
                        parent[o] = subject
        self.inline = nestable({b for b, n in refs.items() if n == 1}, parent)
        self.labels = blank_labels(statements)
        self.referenced = set(refs)

    def literal(self, lit: ox.Literal) -> str:
        return self.keyed_literal(lit)[1]

    def keyed_literal(self, lit: ox.Literal) -> tuple[tuple, str]:
        """(sort key among objects, Turtle text) of a literal."""
        value, language, datatype = lit.value, lit.language, lit.datatype.value
        key = (2, value, datatype, language or "")
        if language:
            direction = lit.direction
            return key, f"{quote(value)}@{language}" + (f"--{direction}" if direction else "")
        if datatype == _XSD_STRING:
            return key, quote(value)
        if datatype in _BARE and _BARE[datatype].match(value):
            return key, value
        return key, f"{quote(value)}^^{self.iri(datatype)}"

    def flat(self, term: Term) -> str:
        """A term on one line; nested blank nodes in full."""
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            return self.literal(term)
        if term not in self.flats:
            if term not in self.inline:
                text = "_:" + self.labels[term]
            elif (items := self.list_items(term)) is not None:
                text = "( " + " ".join(self.flat(i) for i in items) + " )"
            elif term in self.desc:
                text = "[ " + " ; ".join(f"{p} {', '.join(self.flat(o) for o in objs)}"
                                         for p, objs in self.predicates(term)) + " ]"
            else:
                text = "[]"
            self.flats[term] = text
        return self.flats[term]

    def list_items(self, node: ox.BlankNode) -> list[Term] | None:
        """The members of a well-formed rdf:List that starts at ``node``, else None."""
        items: list[Term] = []
        while True:
            d = self.desc.get(node, {})
            if d.keys() != {RDF_FIRST, RDF_REST} or len(d[RDF_FIRST]) + len(d[RDF_REST]) != 2:
                return None
            items.append(d[RDF_FIRST][0])
            node = d[RDF_REST][0]
            if node == NIL:
                return items
            if not isinstance(node, ox.BlankNode) or node not in self.inline:
                return None

    def object_key(self, term: Term) -> tuple:
        if isinstance(term, ox.Literal):
            return (2, term.value, term.datatype.value, term.language or "")
        return (0 if isinstance(term, ox.NamedNode) else 1, self.flat(term), "", "")

    def predicates(self, node: Term) -> list[tuple[str, list[Term]]]:
        """(predicate text, sorted objects), in canonical predicate order."""
        entries = [(_FIRST_PREDICATES.get(p, 3), "a" if p == RDF_TYPE else self.iri(p),
                    sorted(objs, key=self.object_key)) for p, objs in self.desc[node].items()]
        return [(text, objs) for _, text, objs in sorted(entries, key=lambda e: e[:2])]

    def lines(self, node: Term, indent: int, head: str = "") -> list[str]:
        """The predicate-object list of ``node``, one predicate per line (or more).

        ``head`` (the subject) starts the first line instead of the indentation.
        """
        pad, out = " " * indent, []
        entries = self.predicates(node)
        for i, (pred, objs) in enumerate(entries):
            start = f"{head} " if head and i == 0 else pad
            end = " ;" if i < len(entries) - 1 else ""
            one = f"{start}{pred} {', '.join(self.flat(o) for o in objs)}{end}"
            if len(one) <= WIDTH:
                out.append(one)
                continue
            for j, obj in enumerate(objs):
                lead = f"{start}{pred} " if j == 0 else pad + " " * INDENT
                sub = self.object_lines(obj, indent if j == 0 else indent + INDENT, len(lead))
                sub[0] = lead + sub[0]
                sub[-1] += "," if j < len(objs) - 1 else end
                out += sub
        return out

    def object_lines(self, term: Term, indent: int, column: int) -> list[str]:
        """An object that starts at ``column``; a nested node that is too wide is unfolded."""
        text = self.flat(term)
        if column + len(text) <= WIDTH or term not in self.inline or text == "[]":
            return [text]
        pad = " " * indent
        items = self.list_items(term)
        if items is None:
            return ["[", *self.lines(term, indent + INDENT), pad + "]"]
        out = ["("]
        for item in items:
            sub = self.object_lines(item, indent + INDENT, indent + INDENT)
            out += [pad + " " * INDENT + sub[0], *sub[1:]]
        return [*out, pad + ")"]

    def block(self, subject: Term) -> str:
        anonymous = isinstance(subject, ox.BlankNode) and subject not in self.referenced
        head = "[]" if anonymous else self.flat(subject)
        return "\n".join(self.lines(subject, INDENT, head)) + " ."

    def group(self, types: Iterable[Term]) -> tuple[int, str]:
        """The ``## <class>`` section of a subject with these ``rdf:type`` objects."""
        names = [t for t in types if isinstance(t, ox.NamedNode)]
        if ox.NamedNode(OWL + "Ontology") in names:
            return (0, self.iri(OWL + "Ontology"))
        return (1, min(self.iri(t.value) for t in names)) if names else (2, "(no rdf:type)")

    def blank_block(self, subject: ox.BlankNode) -> tuple[tuple, str]:
        block = self.block(subject)
        return ((1 if subject in self.referenced else 2, block), block)

    def plain_block(self, head: str, d: dict[str, list[Term]]) -> str:
        """``block`` of a subject whose objects are all IRIs and literals: the same text,
        with each term rendered once."""
        entries = []
        for p, objs in d.items():
            keyed = []
            for o in objs:
                if isinstance(o, ox.Literal):
                    keyed.append(self.keyed_literal(o))
                else:
                    text = self.iri(o.value)
                    keyed.append(((0, text, "", ""), text))
            keyed.sort(key=_first)
            entries.append((_FIRST_PREDICATES.get(p, 3), "a" if p == RDF_TYPE else self.iri(p),
                            [text for _, text in keyed]))
        entries.sort(key=_first_two)
        out, last = [], len(entries) - 1
        for i, (_, pred, texts) in enumerate(entries):
            start = head + " " if i == 0 else _PAD
            end = " ;" if i < last else ""
            one = f"{start}{pred} {', '.join(texts)}{end}"
            if len(one) <= WIDTH:
                out.append(one)
                continue
            more = len(texts) - 1
            out += [(f"{start}{pred} " if j == 0 else _PAD + _PAD) + text
                    + ("," if j < more else end) for j, text in enumerate(texts)]
        return "\n".join(out) + " ."

    def write(self, source: TripleIndex | StoreGraphs, out: BinaryIO) -> int:
        """Write the canonical text of ``source`` to ``out``; returns the triples written.

        Subjects are read one run at a time, in the store's order (``whole_subjects``), and
        each block goes to a temporary file; subjects that are or point to blank nodes are
        held until all of them are known. The blocks are then copied out in order after
        the ``@prefix`` lines.
        """
        done: dict[str, tuple] = {}  # subject IRI -> (group, offset, length, triples)
        held: dict[Term, dict[str, list[Term]]] = {}
        with tempfile.TemporaryFile() as body:
            def keep(subject: Term, triples: Iterable[Statement]) -> None:
                d, blank = self.index(triples)
                if blank or isinstance(subject, ox.BlankNode):
                    held[subject] = d
                    return
                text = self.plain_block(self.iri(subject.value), d).encode()
                done[subject.value] = (self.group(d.get(RDF_TYPE, ())), body.tell(),
                                       body.write(text), sum(map(len, d.values())))

            for subject, triples in whole_subjects(source):
                if isinstance(subject, ox.NamedNode):
                    done.pop(subject.value, None)
                held.pop(subject, None)
                keep(subject, triples)
            self.know_blanks(held)
            tails: dict[tuple[int, str], list[tuple[tuple, str]]] = {}
            for subject, d in held.items():
                group = self.group(d.get(RDF_TYPE, ()))
                if isinstance(subject, ox.NamedNode):
                    text = self.block(subject).encode()
                    done[subject.value] = (group, body.tell(), body.write(text),
                                           sum(map(len, d.values())))
                elif subject not in self.inline:
                    tails.setdefault(group, []).append(self.blank_block(subject))
            count = sum(entry[3] for entry in done.values()) + sum(
                len(objs) for b, d in held.items() if isinstance(b, ox.BlankNode)
                for objs in d.values())
            order = [entry for _, entry in sorted(done.items(),
                                                  key=lambda item: (item[1][0], item[0]))]
            self.copy(order, tails, body, out)
        return count

    def copy(self, entries: list[tuple], tails: dict, body: BinaryIO, out: BinaryIO) -> None:
        """The ``@prefix`` lines, then each group: its named subjects in order (read back
        from ``body``), then its blank subjects."""
        groups = sorted({entry[0] for entry in entries} | set(tails))
        if not groups:
            return
        out.write("".join(f"@prefix {p}: <{self.prefixes.prefixes[p]}> .\n"
                          for p in sorted(self.iri.used)).encode())
        at = 0
        for group in groups:
            out.write(f"\n## {group[1]}\n".encode())
            while at < len(entries) and entries[at][0] == group:
                body.seek(entries[at][1])
                out.write(b"\n" + body.read(entries[at][2]) + b"\n")
                at += 1
            for _, block in sorted(tails.get(group, [])):
                out.write(f"\n{block}\n".encode())


def _first(entry: tuple) -> object:
    return entry[0]


def _first_two(entry: tuple) -> tuple:
    return entry[:2]


def write_turtle(source: TripleIndex | StoreGraphs, prefixes: PrefixMap,
                 out: BinaryIO) -> int:
    """Write the canonical Turtle of ``source`` (a store's graphs, or triples) to ``out``;
    returns the number of triples written.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_turtle(TripleIndex([]), PrefixMap({}), out), out.getvalue()
    (0, b'')
    """
    try:
        return _Writer(prefixes).write(source, out)
    except RecursionError:
        raise InputError("blank nodes are nested too deeply to write",
                         hint="give the inner blank nodes IRIs") from None


def canonical_turtle(triples: Iterable[Statement], prefixes: PrefixMap) -> str:
    """The canonical Turtle text of ``triples`` (quads are read as triples)."""
    out = io.BytesIO()
    write_turtle(TripleIndex(triples), prefixes, out)
    return out.getvalue().decode()


def parse_turtle(data: bytes | str, display: str) -> list[ox.Triple]:
    """Parse Turtle text with pyoxigraph; errors as ``file:line:col: message``."""
    try:
        return [q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE)]
    except SyntaxError as error:
        raise syntax_error(display, error) from None
