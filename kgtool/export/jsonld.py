"""JSON-LD with PyLD, never fetching anything: framed exports, and compaction when the
context holds more than :mod:`kgtool.export.compact` (the streaming compactor) handles.

The context is ``ontology/context.jsonld``, read as a local dict. PyLD gets a document
loader that knows one URL, :data:`CONTEXT_URL`, answered from that dict, and refuses
every other URL with :class:`RemoteContextRefused` before any network or file access.

>>> import pyoxigraph as ox
>>> ctx = {"@context": {"sc": "https://w3id.org/spacecoop/ontology/",
...                     "rdfs:label": {"@container": "@language"},
...                     "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}}
>>> t = ox.Triple(ox.NamedNode("https://w3id.org/spacecoop/ontology/Nation"),
...               ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
...               ox.Literal("nation", language="en"))
>>> [(node["@id"], node["rdfs:label"]) for node in to_jsonld([t], ctx)["@graph"]]
[('sc:Nation', {'en': 'nation'})]
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError, KgtoolError, UsageError
from kgtool.prefixes import CONTEXT_URL, read_json

#: The one URL that the document loader answers, from the local file.
#: Frames shipped in ``ontology/frames/<name>.json``.
BUILTIN_FRAMES = ("agreement", "nation")


class RemoteContextRefused(InputError):
    """JSON-LD processing asked for a document that is not the project context (exit 3)."""


def document_loader(context: dict) -> Callable[..., dict]:
    """A PyLD document loader that serves ``context`` at CONTEXT_URL and refuses the rest.

    >>> document_loader({"@context": {}})("http://127.0.0.1:9/x.jsonld", {})
    Traceback (most recent call last):
    kgtool.export.jsonld.RemoteContextRefused: JSON-LD wanted to load http://127.0.0.1:9/x.jsonld; \
kgtool never fetches documents
    """
    def load(url: str, options: dict | None = None) -> dict:
        if url != CONTEXT_URL:
            raise RemoteContextRefused(
                f"JSON-LD wanted to load {url}; kgtool never fetches documents",
                hint=f"drop that @context (the project context is used), write it inline, "
                     f"or use {CONTEXT_URL}")
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": copy.deepcopy(context)}

    return load


def load_frame(ref: str, frames_dir: Path) -> dict:
    """A frame by built-in name (``nation``, ``agreement``) or by path to a JSON file.

    A frame without ``@context`` gets the project context.
    """
    path = frames_dir / f"{ref}.json" if ref in BUILTIN_FRAMES else Path(ref)
    if ref not in BUILTIN_FRAMES and not path.is_file():
        raise UsageError(f"--frame {ref}: no such frame file",
                         hint="give a FRAME.json path or one of " + ", ".join(BUILTIN_FRAMES))
    return read_json(path, "frame")


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": "_:" + term.value}
    if not isinstance(term, ox.Literal):
        raise InputError(f"cannot write the RDF 1.2 triple term {term} as JSON-LD",
                         hint="JSON-LD output supports RDF 1.1 triples only")
    out = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if term.language:
        out["language"] = term.language
    return out


def to_jsonld(triples: Iterable[ox.Triple], context: dict, frame: dict | None = None) -> dict:
    """Compact ``triples`` with ``context`` (the JSON of context.jsonld), or frame them.

    Blank node ids are kept as given: relabel them first for stable output.
    """
    from pyld import jsonld

    dataset = {"@default": [{"subject": _term(t.subject), "predicate": _term(t.predicate),
                             "object": _term(t.object)} for t in triples]}
    options = {"documentLoader": document_loader(context)}
    try:
        expanded = jsonld.from_rdf(dataset, {"useNativeTypes": False, "useRdfType": False})
        if frame is None:
            return jsonld.compact(expanded, copy.deepcopy(context), {**options, "graph": True})
        frame = {"@context": copy.deepcopy(context["@context"]), **frame}
        return _prune_reverse(jsonld.frame(expanded, frame, {**options, "omitGraph": False}))
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, KgtoolError):
                raise cause from None
            cause = cause.__cause__
        raise InputError(f"JSON-LD: {error.args[0] if error.args else error} ({error.code})",
                         hint="check the frame against https://www.w3.org/TR/json-ld11-framing/"
                         ) from None


def _prune_reverse(value):
    """Drop the empty ``@reverse`` lists that PyLD leaves when a reverse subframe matches none.

    >>> _prune_reverse({"@id": "x", "@reverse": {"p": []}, "q": [{"@reverse": {"p": [1]}}]})
    {'@id': 'x', 'q': [{'@reverse': {'p': [1]}}]}
    """
    if isinstance(value, list):
        return [_prune_reverse(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _prune_reverse(v) for k, v in value.items()}
    if isinstance(out.get("@reverse"), dict):
        out["@reverse"] = {k: v for k, v in out["@reverse"].items() if v != []}
        if not out["@reverse"]:
            del out["@reverse"]
    return out


def dumps(document: dict) -> bytes:
    """Stable JSON text: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
