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

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgtool.engine.base import syntax_error
from kgtool.errors import InputError, KgtoolError
from kgtool.prefixes import PrefixMap
from kgtool.vocab import OWL, RDF, RDF_TYPE, RDFS_LABEL, SKOS, XSD

RDF_FIRST, RDF_REST = RDF + "first", RDF + "rest"
NIL = ox.NamedNode(RDF + "nil")
_FIRST_PREDICATES = {RDF_TYPE: 0, RDFS_LABEL: 1, SKOS + "prefLabel": 2}
WIDTH, INDENT = 100, 4

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

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Statement = ox.Triple | ox.Quad


def turtle_prefixes(prefixes: PrefixMap) -> PrefixMap:
    """The prefixes that are safe to write: valid Turtle names bound to namespace IRIs.

    >>> turtle_prefixes(PrefixMap({"ok": "https://e.org/", "b\\tad": "https://x/"})).prefixes
    {'ok': 'https://e.org/'}
    """
    return PrefixMap({p: ns for p, ns in prefixes.prefixes.items()
                      if _PREFIX_NAME.match(p) and _NAMESPACE.match(ns)})


def blank_labels(statements: Iterable[Statement]) -> dict[ox.BlankNode, str]:
    """A label for every blank node, from a hash of the statements around it.

    Hashes are refined within each group of connected blank nodes only, so a label
    does not change when unrelated parts of the graph do. Identical groups are told
    apart by a suffix (``_1``...), identical nodes within a group by ``x1``...

    >>> p, a, b = ox.NamedNode("https://e.org/p"), ox.BlankNode("one"), ox.BlankNode("two")
    >>> blank_labels([ox.Triple(a, p, ox.Literal("x"))])[a]
    'b695177107af52d55'
    >>> blank_labels([ox.Triple(b, p, ox.Literal("x"))])[b]  # same content, same label
    'b695177107af52d55'
    """
    edges: dict[ox.BlankNode, list[tuple[str, str, Term]]] = {}
    for st in statements:
        graph = str(st.graph_name) if isinstance(st, ox.Quad) else ""
        s, p, o = st.subject, st.predicate.value, st.object
        if isinstance(s, ox.BlankNode):
            edges.setdefault(s, []).append((">" + graph, p, o))
        if isinstance(o, ox.BlankNode):
            edges.setdefault(o, []).append(("<" + graph, p, s))
    seen: set[ox.BlankNode] = set()
    components = [_component(start, edges, seen) for start in edges if start not in seen]
    labels: dict[ox.BlankNode, str] = {}
    copies: Counter[str] = Counter()
    for component in components:
        color = _refine(component, edges)
        signature = _hash(sorted(color.values()))
        copy = f"_{copies[signature]}" if copies[signature] else ""
        copies[signature] += 1
        ties: Counter[str] = Counter()
        for node in sorted(component, key=color.get):
            label = "b" + _hash((signature, color[node]))[:16] + copy
            labels[node] = label + (f"x{ties[label]}" if ties[label] else "")
            ties[label] += 1
    return labels


def _hash(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _component(start: ox.BlankNode, edges: dict, seen: set) -> list[ox.BlankNode]:
    todo, out = [start], []
    seen.add(start)
    while todo:
        node = todo.pop()
        out.append(node)
        for _, _, other in edges[node]:
            if isinstance(other, ox.BlankNode) and other not in seen:
                seen.add(other)
                todo.append(other)
    return out


def _refine(nodes: list[ox.BlankNode], edges: dict) -> dict[ox.BlankNode, str]:
    """Colour refinement: hash each node with its neighbours' colours until stable."""
    color = {n: "" for n in nodes}
    classes = 0
    for _ in range(len(nodes) + 1):
        color = {n: _hash((color[n], sorted(
            (d, p, color[o] if isinstance(o, ox.BlankNode) else str(o))
            for d, p, o in edges[n]))) for n in nodes}
        if len(set(color.values())) == classes:
            break
        classes = len(set(color.values()))
    return color


def relabel(statement: Statement, labels: dict[ox.BlankNode, str]) -> Statement:
    """The statement with its blank nodes renamed by ``labels``.

    >>> b = ox.BlankNode("x1")
    >>> str(relabel(ox.Triple(b, ox.NamedNode("https://e.org/p"), b), {b: "n"}))
    '_:n <https://e.org/p> _:n'
    """
    def term(t):
        return ox.BlankNode(labels[t]) if isinstance(t, ox.BlankNode) else t

    s, o = term(statement.subject), term(statement.object)
    if isinstance(statement, ox.Quad):
        return ox.Quad(s, statement.predicate, o, statement.graph_name)
    return ox.Triple(s, statement.predicate, o)


def quote(value: str) -> str:
    """A Turtle string literal; the long form only when the value has a line break.

    >>> print(quote('say "hi"\\tnow'), quote("two\\nlines"))
    "say \\"hi\\"\\tnow" \"\"\"two
    lines\"\"\"
    """
    if "\n" in value:
        return '"""' + value.translate(_LONG_ESCAPES) + '"""'
    return '"' + value.translate(_ESCAPES) + '"'


class _Writer:
    """Renders one graph; holds the indexes that the rendering needs."""

    def __init__(self, triples: Iterable[Statement], prefixes: PrefixMap) -> None:
        self.prefixes = turtle_prefixes(prefixes)
        self.used: set[str] = set()
        self.names: dict[str, str] = {}
        self.flats: dict[Term, str] = {}
        self.desc: dict[Term, dict[str, list[Term]]] = {}
        unique = {st.triple if isinstance(st, ox.Quad) else st for st in triples}
        refs: Counter[ox.BlankNode] = Counter()
        parent: dict[ox.BlankNode, Term] = {}
        for t in unique:
            if not isinstance(t.object, Term) or not isinstance(t.subject, Term):
                raise InputError(f"cannot write the RDF 1.2 triple term in {t}",
                                 hint="Turtle output supports RDF 1.1 triples only")
            self.desc.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
            if isinstance(t.object, ox.BlankNode):
                refs[t.object] += 1
                parent[t.object] = t.subject
        self.inline = _nestable({b for b, n in refs.items() if n == 1}, parent)
        self.labels = blank_labels(unique)
        self.referenced = set(refs)

    def iri(self, value: str) -> str:
        if value not in self.names:
            if _BAD_IRI.search(value):
                raise InputError(f"refusing to write the IRI <{value}>",
                                 hint="IRIs must not hold spaces, quotes, brackets or control "
                                      "characters; fix the source data")
            curie = self.prefixes.curie(value)
            if curie:
                self.used.add(curie.split(":", 1)[0])
            self.names[value] = curie or f"<{value}>"
        return self.names[value]

    def literal(self, lit: ox.Literal) -> str:
        if lit.language:
            direction = f"--{lit.direction}" if lit.direction else ""
            return f"{quote(lit.value)}@{lit.language}{direction}"
        datatype = lit.datatype.value
        if datatype == XSD + "string":
            return quote(lit.value)
        if datatype in _BARE and _BARE[datatype].match(lit.value):
            return lit.value
        return f"{quote(lit.value)}^^{self.iri(datatype)}"

    def flat(self, term: Term) -> str:
        """A term on one line; nested blank nodes in full."""
        if term not in self.flats:
            if isinstance(term, ox.NamedNode):
                text = self.iri(term.value)
            elif isinstance(term, ox.Literal):
                text = self.literal(term)
            elif term not in self.inline:
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

    def group(self, subject: Term) -> tuple[int, str]:
        types = [t for t in self.desc[subject].get(RDF_TYPE, []) if isinstance(t, ox.NamedNode)]
        if ox.NamedNode(OWL + "Ontology") in types:
            return (0, self.iri(OWL + "Ontology"))
        return (1, min(self.iri(t.value) for t in types)) if types else (2, "(no rdf:type)")

    def text(self) -> str:
        groups: dict[tuple[int, str], list[tuple[tuple, str]]] = {}
        for subject in self.desc:
            if subject in self.inline:
                continue
            block = self.block(subject)
            key = ((0, subject.value) if isinstance(subject, ox.NamedNode)
                   else (1, block) if subject in self.referenced else (2, block))
            groups.setdefault(self.group(subject), []).append((key, block))
        body = [f"## {name}\n\n" + "\n\n".join(b for _, b in sorted(blocks))
                for (_, name), blocks in sorted(groups.items())]
        if not body:
            return ""
        head = "".join(f"@prefix {p}: <{self.prefixes.prefixes[p]}> .\n" for p in sorted(self.used))
        return head + "\n" + "\n\n".join(body) + "\n"


def _nestable(candidates: set[ox.BlankNode], parent: dict) -> set[ox.BlankNode]:
    """Blank nodes referenced once whose chain of referrers reaches a written subject."""
    status: dict[ox.BlankNode, bool] = {}
    for start in candidates:
        chain, seen, node = [], set(), start
        while node in candidates and node not in status and node not in seen:
            chain.append(node)
            seen.add(node)
            node = parent[node]
        ok = status.get(node, node not in candidates)
        status.update(dict.fromkeys(chain, ok))
    return {b for b, ok in status.items() if ok}


def canonical_turtle(triples: Iterable[Statement], prefixes: PrefixMap) -> str:
    """The canonical Turtle text of ``triples`` (quads are read as triples)."""
    writer = _Writer(triples, prefixes)
    try:
        return writer.text()
    except RecursionError:
        raise InputError("blank nodes are nested too deeply to write",
                         hint="give the inner blank nodes IRIs") from None


def parse_turtle(data: bytes | str, display: str) -> list[ox.Triple]:
    """Parse Turtle text with pyoxigraph; errors as ``file:line:col: message``."""
    try:
        return [q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE)]
    except SyntaxError as error:
        raise syntax_error(display, error) from None


def format_file(path: Path, prefixes: PrefixMap, *, display: str | None = None,
                ) -> tuple[bool, str]:
    """(changed, canonical text) of a Turtle file; the file itself is not written.

    The new text is parsed again and compared with the old triples before it is returned.
    """
    shown = display or str(path)
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{shown}: cannot read file ({error})",
                         hint="check that the file exists and is UTF-8") from None
    triples = parse_turtle(old, shown)
    new = canonical_turtle(triples, prefixes)
    again = parse_turtle(new, shown + " (formatted)")
    ground = [t for t in triples if not _has_blank(t)]
    if len(set(again)) != len(set(triples)) or set(ground) != {
            t for t in again if not _has_blank(t)}:
        raise KgtoolError(f"{shown}: the canonical form would change the triples",
                          hint="the file was left alone; please report this as a kgtool bug")
    return new != old, new


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
