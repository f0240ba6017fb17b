"""A streaming JSON-LD compactor for contexts like the project's (prefixes, and terms that
coerce to ``@id``, keep ``@none`` or make language maps), read subject by subject.

PyLD stays the reference: expanded with PyLD, what this writes is the same graph as
PyLD's compaction of the same triples (tests/export/test_streaming.py). A context with
anything else (``@vocab``, ``@base``, scoped or remote contexts, ...) is not handled here:
:meth:`Compactor.of` says None, and the writer uses PyLD. Lists stay ``rdf:first`` /
``rdf:rest`` nodes, where PyLD writes ``@list``: the same triples.

>>> c = Compactor.of({"@context": {"ex": "https://e.org/", "ex:p": {"@type": "@id"}}})
>>> a = ox.NamedNode("https://e.org/a")
>>> c.node(a, [ox.Triple(a, ox.NamedNode("https://e.org/p"), a)])
{'@id': 'ex:a', 'ex:p': 'ex:a'}
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from json.encoder import encode_basestring as _quote
from typing import BinaryIO

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.export.blanks import blank_labels
from kgtool.export.names import Curies
from kgtool.export.sources import StoreGraphs, TripleIndex, whole_subjects
from kgtool.prefixes import PrefixMap
from kgtool.vocab import RDF_TYPE, XSD

_GEN_DELIMS = tuple(":/?#[]@")
_KINDS = {(("@type", "@id"),): "id", (("@type", "@none"),): "none",
          (("@container", "@language"),): "language"}
_STRING = XSD + "string"
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Compactor:
    """Compacts one node at a time with a context of prefixes and simple terms."""

    def __init__(self, context: dict, prefixes: dict[str, str], kinds: dict[str, tuple]
                 ) -> None:
        self.context = context
        self.prefixes = prefixes
        self.curie = Curies(PrefixMap(prefixes))
        self.kinds = kinds  # property IRI -> (term, "id" | "none" | "language")
        self.labels: dict[ox.BlankNode, str] = {}

    @classmethod
    def of(cls, document: dict) -> Compactor | None:
        """The compactor for a context document (``{"@context": {...}}``), or None when
        the context uses more than this compactor knows."""
        context = document.get("@context")
        if not isinstance(context, dict) or set(document) != {"@context"}:
            return None
        prefixes, terms = {}, {}
        for key, value in context.items():
            if key == "@version" and value == 1.1:
                continue
            if key.startswith("@") or key.startswith("_:"):
                return None
            if isinstance(value, str):
                if ":" not in key and value.endswith(_GEN_DELIMS):
                    prefixes[key] = value
                elif ":" in key or value.startswith("@"):
                    return None
                continue  # a term that is not a prefix: never used in compaction here
            if not isinstance(value, dict) or tuple(value.items()) not in _KINDS:
                return None
            terms[key] = _KINDS[tuple(value.items())]
        kinds: dict[str, tuple] = {}
        for term, kind in terms.items():
            prefix, sep, local = term.partition(":")
            if not sep or prefix not in prefixes or local.startswith("//"):
                return None
            iri = prefixes[prefix] + local
            if iri in kinds:
                return None
            kinds[iri] = (term, kind)
        return cls(context, prefixes, kinds)

    def iri(self, value: str) -> str:
        """An IRI as a CURIE where a prefix fits, else in full."""
        curie = self.curie(value)
        if curie is not None:
            return curie
        if value.partition(":")[0] in self.prefixes:
            raise InputError(f"cannot write the IRI <{value}> in JSON-LD: it would read as "
                             "a CURIE of the project context",
                             hint="rename the IRI, or export as Turtle or N-Triples")
        return value

    def ref(self, term: Term) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:" + self.labels[term]
        return self.iri(term.value)

    def value(self, term: Term) -> object:
        """A value under a property with no coercion."""
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if term.language:
                out = {"@language": term.language, "@value": term.value}
                if term.direction:
                    out["@direction"] = term.direction
                return out
            if datatype == _STRING:
                return term.value
            return {"@type": self.iri(datatype), "@value": term.value}
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            return {"@id": self.ref(term)}
        raise InputError(f"cannot write the RDF 1.2 triple term {term} as JSON-LD",
                         hint="JSON-LD output supports RDF 1.1 triples only")

    def sort_key(self, term: Term) -> str:
        return "_:" + self.labels[term] if isinstance(term, ox.BlankNode) else str(term)

    def node(self, subject: ox.NamedNode | ox.BlankNode, triples: Iterable) -> dict:
        """The compacted node object of ``subject`` with these (unique) triples."""
        by_predicate: dict[str, list[Term]] = {}
        for t in triples:
            by_predicate.setdefault(t.predicate.value, []).append(t.object)
        node: dict[str, object] = {"@id": self.ref(subject)}
        for predicate, objs in by_predicate.items():
            if len(objs) > 1:
                objs.sort(key=self.sort_key)
            self.add(node, predicate, objs)
        return node

    def add(self, node: dict, predicate: str, objs: list[Term]) -> None:
        term, kind = self.kinds.get(predicate, (None, None))
        if predicate == RDF_TYPE:
            types = [self.ref(o) for o in objs if not isinstance(o, ox.Literal)]
            if types:
                node["@type"] = types[0] if len(types) == 1 else types
            objs = [o for o in objs if isinstance(o, ox.Literal)]
        elif kind == "id":
            refs = [self.ref(o) for o in objs if not isinstance(o, ox.Literal)]
            _put(node, term, refs)
            objs = [o for o in objs if isinstance(o, ox.Literal)]
        elif kind == "language":
            mapped: dict[str, list[str]] = {}
            rest = []
            for o in objs:
                if isinstance(o, ox.Literal) and not o.direction and (
                        o.language or o.datatype.value == _STRING):
                    mapped.setdefault(o.language or "@none", []).append(o.value)
                else:
                    rest.append(o)
            if mapped:
                node[term] = {k: v[0] if len(v) == 1 else v for k, v in mapped.items()}
            objs = rest
        elif kind == "none":
            _put(node, term, [self.value(o) for o in objs])
            objs = []
        plain = [self.value(o) for o in objs]
        if plain:
            key = predicate if term is not None else self.key(predicate)
            _put(node, key, plain)

    def key(self, predicate: str) -> str:
        """The key of a property with no term of its own: its CURIE, else its IRI."""
        curie = self.curie(predicate)
        return curie if curie is not None else predicate

    def write(self, source: TripleIndex | StoreGraphs, out: BinaryIO) -> int:
        """Write ``{"@context": ..., "@graph": [...]}`` as :func:`kgtool.export.dumps` would:
        nodes sorted by their full id, each rendered once into a temporary file; the nodes
        that are or point to blank nodes wait until every blank node has its label.
        Returns the triples written."""
        done: dict[str, tuple[int, int, int]] = {}  # full id -> (offset, length, triples)
        held: dict[ox.NamedNode | ox.BlankNode, list] = {}
        with tempfile.TemporaryFile() as body:
            def keep(subject, triples: list) -> None:
                text = _dumps(self.node(subject, triples))
                done[_full_id(subject, self.labels)] = (body.tell(), body.write(text),
                                                        len(triples))

            for subject, triples in whole_subjects(source):
                triples = list(triples)
                if isinstance(subject, ox.NamedNode) and held.pop(subject, None) is None:
                    done.pop(subject.value, None)
                if isinstance(subject, ox.BlankNode) or any(
                        isinstance(t.object, ox.BlankNode) for t in triples):
                    held[subject] = [t.triple if isinstance(t, ox.Quad) else t for t in triples]
                else:
                    keep(subject, triples)
            self.labels = blank_labels(t for ts in held.values() for t in ts)
            for subject, triples in held.items():
                keep(subject, triples)
            head = json.dumps({"@context": self.context}, ensure_ascii=False, indent=2,
                              sort_keys=True)[:-2]
            out.write(head.encode() + b',\n  "@graph": [')
            for i, (_, (offset, length, _)) in enumerate(sorted(done.items())):
                body.seek(offset)
                out.write((b",\n    " if i else b"\n    ") + body.read(length))
            out.write(b"\n  ]\n}\n" if done else b"]\n}\n")
        return sum(entry[2] for entry in done.values())


def _put(node: dict, key: str, values: list) -> None:
    if values:
        node[key] = values[0] if len(values) == 1 else values


def _full_id(subject: ox.NamedNode | ox.BlankNode, labels: dict) -> str:
    return "_:" + labels[subject] if isinstance(subject, ox.BlankNode) else subject.value


def _dumps(node: dict) -> bytes:
    """A node as ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`` writes it two
    levels into the document (the encoder of the standard library is pure Python when it
    indents; node objects hold only strings, objects and arrays).

    >>> _dumps({"b": ["x", {"@value": "é"}], "a": "y"}) == json.dumps(
    ...     {"b": ["x", {"@value": "é"}], "a": "y"}, indent=2, sort_keys=True,
    ...     ensure_ascii=False).replace("\\n", "\\n    ").encode()
    True
    """
    return _json(node, "    ").encode()


def _json(value: str | dict | list, pad: str) -> str:
    if isinstance(value, str):
        return _quote(value)
    inner = pad + "  "
    if isinstance(value, dict):
        items = ",\n".join(f"{inner}{_quote(k)}: {_json(value[k], inner)}" for k in sorted(value))
        return f"{{\n{items}\n{pad}}}" if value else "{}"
    items = ",\n".join(inner + _json(v, inner) for v in value)
    return f"[\n{items}\n{pad}]" if value else "[]"
