"""Export the graph (or a subset) in six RDF formats, and format the project's Turtle files.

Output is deterministic: blank nodes get labels from a hash of their surroundings and
every format but the streaming ones (N-Triples, N-Quads of a whole part, written quad by
quad as the store yields them) is sorted. Turtle is :mod:`kgtool.export.turtle`'s canonical form.

>>> import io
>>> from kgtool.engine import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/a> <https://e.org/p> "x" .', "data/a.nt", part="data")
>>> out = io.BytesIO()
>>> export(store, "nt", out)
1
>>> out.getvalue()
b'<https://e.org/a> <https://e.org/p> "x" .\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgtool.engine import QUERYABLE_PARTS, EmbeddedStore, Engine, Solutions
from kgtool.errors import KgtoolError, UsageError
from kgtool.export.blanks import blank_labels, relabel
from kgtool.export.compact import Compactor
from kgtool.export.jsonld import dumps, load_frame, to_jsonld
from kgtool.export.sources import StoreGraphs, TripleIndex
from kgtool.export.turtle import turtle_prefixes, write_turtle
from kgtool.prefixes import PrefixMap, read_context
from kgtool.project import find_project
from kgtool.text import refuse_xml_problem

PARTS = ("ontology", "data", "shapes")
ID_BASE = "https://w3id.org/spacecoop/id/"
_SC = "https://w3id.org/spacecoop/ontology/"
_CLASS_KNOWN = """ASK { { ?class a ?meta FILTER(?meta IN (
    <http://www.w3.org/2002/07/owl#Class>, <http://www.w3.org/2000/01/rdf-schema#Class>)) }
  UNION { ?x a ?class } UNION { ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?class } }"""
_INSTANCES = """SELECT DISTINCT ?x ?class WHERE {
  ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }"""
_FACTS = f"""SELECT DISTINCT ?f ?e WHERE {{
  VALUES ?kind {{ <{_SC}Signing> <{_SC}Launch> <{_SC}Spaceflight> <{_SC}Membership> }}
  {{ ?f ?p ?e }} UNION {{ ?e ?p ?f }}
  ?f a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?kind .
  FILTER(isIRI(?f) && STRSTARTS(STR(?f), "{ID_BASE}"))
}}"""

Quads = Callable[[], Iterable[ox.Quad]]  # gives a fresh pass over the quads each call


@dataclass(frozen=True)
class Settings:
    """What the writers need besides the quads."""

    prefixes: PrefixMap
    context: dict
    frame: dict | None = None


def _canonical(statements: Iterable[ox.Quad | ox.Triple]) -> list:
    """Unique statements with hash-labelled blank nodes, sorted by their N-Quads text."""
    unique = set(statements)
    labels = blank_labels(unique)
    return sorted({relabel(s, labels) for s in unique}, key=str)


def _stream(quads: Quads, out: BinaryIO, fmt: ox.RdfFormat, graphs: bool) -> int:
    """Write quads as they come (two passes: blank node labels, then the quads)."""
    def statements():
        return (q if graphs else q.triple for q in quads())

    labels = blank_labels(s for s in statements() if isinstance(s.subject, ox.BlankNode)
                          or isinstance(s.object, ox.BlankNode))
    count = 0

    def relabelled():
        nonlocal count
        for s in statements():
            count += 1
            yield relabel(s, labels) if labels else s

    ox.serialize(relabelled(), out, fmt)
    return count


def _used_prefixes(statements: list, prefixes: PrefixMap) -> dict[str, str]:
    safe, used, seen = turtle_prefixes(prefixes), {}, set()
    for s in statements:
        terms = [s.subject, s.predicate, s.object, getattr(s, "graph_name", None)]
        if isinstance(s.object, ox.Literal):
            terms.append(s.object.datatype)
        for term in terms:
            if isinstance(term, ox.NamedNode) and term.value not in seen:
                seen.add(term.value)
                curie = safe.curie(term.value)
                if curie:
                    name = curie.split(":", 1)[0]
                    used[name] = safe.prefixes[name]
    return dict(sorted(used.items()))


def _sorted_writer(fmt: ox.RdfFormat, graphs: bool) -> Callable[[Quads, BinaryIO, Settings], int]:
    def write(quads: Quads, out: BinaryIO, settings: Settings) -> int:
        statements = _canonical(q if graphs else q.triple for q in quads())
        if fmt == ox.RdfFormat.RDF_XML:
            refuse_xml_problem((t for s in statements for t in (s.subject, s.object)),
                               "the export")
        prefixes = _used_prefixes(statements, settings.prefixes)
        try:
            ox.serialize(statements, out, fmt, prefixes=prefixes)
        except ValueError as error:
            raise KgtoolError(f"cannot write {fmt.name}: {error}",
                              hint="export as Turtle or N-Triples instead") from None
        return len(statements)
    return write


def _turtle(quads: Quads, out: BinaryIO, settings: Settings) -> int:
    source = quads if isinstance(quads, StoreGraphs) else TripleIndex(quads())
    return write_turtle(source, settings.prefixes, out)


def _jsonld(quads: Quads, out: BinaryIO, settings: Settings) -> int:
    """Compacted by :mod:`kgtool.export.compact` as the quads stream; framed (or with a
    context it does not handle) by PyLD, with every triple in memory."""
    compactor = Compactor.of(settings.context) if settings.frame is None else None
    if compactor is not None:
        return compactor.write(quads if isinstance(quads, StoreGraphs) else TripleIndex(quads()),
                               out)
    triples = _canonical(q.triple for q in quads())
    out.write(dumps(to_jsonld(triples, settings.context, settings.frame)))
    return len(triples)


#: Export formats: name -> writer(quads, binary stream, settings) -> statements written.
FORMATS: dict[str, Callable[[Quads, BinaryIO, Settings], int]] = {
    "turtle": _turtle,
    "json-ld": _jsonld,
    "nt": lambda quads, out, _: _stream(quads, out, ox.RdfFormat.N_TRIPLES, graphs=False),
    "nq": lambda quads, out, _: _stream(quads, out, ox.RdfFormat.N_QUADS, graphs=True),
    "trig": _sorted_writer(ox.RdfFormat.TRIG, graphs=True),
    "xml": _sorted_writer(ox.RdfFormat.RDF_XML, graphs=False),
}


def resolve_parts(part: str | Sequence[str]) -> tuple[str, ...]:
    """Part names in load order; ``all`` means every part.

    >>> resolve_parts(["data", "ontology"]), resolve_parts("all")
    (('ontology', 'data'), ('ontology', 'data', 'shapes'))
    """
    names = {part} if isinstance(part, str) else set(part)
    unknown = names - {*PARTS, "all"}
    if unknown:
        raise UsageError(f"unknown part {sorted(unknown)[0]!r}",
                         hint="parts are " + ", ".join((*PARTS, "all")))
    return tuple(p for p in PARTS if p in names or "all" in names)


def export(engine: Engine, fmt: str, out: BinaryIO, *, part: str | Sequence[str] = "data",
           classes: Sequence[str] = (), entities: Sequence[str] = (), query: Path | None = None,
           frame: str | None = None, context_path: Path | None = None,
           timeout: float = 30.0) -> int:
    """Write the chosen part(s), or a subset of them, to ``out``; returns statements written.

    ``classes`` are CURIEs or IRIs, ``entities`` IRIs or CURIEs, ``query`` a CONSTRUCT file
    (run under ``timeout``), ``frame`` a built-in frame name or a FRAME.json path (json-ld
    only). ``context_path`` is the project context (default: the current project's).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint="formats: " + ", ".join(FORMATS))
    if frame is not None and fmt != "json-ld":
        raise UsageError("--frame works with -f json-ld only", hint="add -f json-ld")
    context_path = context_path or find_project().context_path
    if not isinstance(engine, EmbeddedStore):  # a remote endpoint: its graphs, copied
        engine = engine.mirror()
    context = {"@context": read_context(context_path)}
    prefixes = PrefixMap.from_context(context_path)
    settings = Settings(prefixes, context,
                        load_frame(frame, context_path.parent / "frames") if frame else None)
    parts = resolve_parts(part)

    def write(view: EmbeddedStore) -> int:
        if classes or entities or query:
            chosen = select(view, parts, prefixes, classes=classes, entities=entities,
                            query=query, timeout=timeout)
            return FORMATS[fmt](lambda: chosen, out, settings)
        graphs = sorted(view.default_graph(parts), key=lambda g: g.value)
        return FORMATS[fmt](StoreGraphs(view.store, tuple(graphs)), out, settings)

    return engine.extended(write, parts=parts)


def select(engine: EmbeddedStore, parts: Sequence[str], prefixes: PrefixMap, *,
           classes: Sequence[str] = (), entities: Sequence[str] = (),
           query: Path | None = None, timeout: float = 30.0) -> list[ox.Quad]:
    """The quads of a subset, canonically labelled and sorted.

    Instances and fact nodes are found in ontology + data (+ the chosen parts); their
    triples, and those of the blank nodes they reach, come from the chosen parts.
    """
    search = tuple(dict.fromkeys((*QUERYABLE_PARTS, *parts)))
    roots: set[ox.NamedNode | ox.BlankNode] = set()
    for ref in classes:
        cls = ox.NamedNode(prefixes.expand(ref))
        if not _answer(engine.query(_CLASS_KNOWN, substitutions={"class": cls}, parts=search)):
            raise UsageError(f"--class {ref}: no such class in the graph",
                             hint="classes are declared in ontology/spacecoop.ttl; "
                                  "'kgtool stats' lists the classes with instances")
        roots |= _column(engine.query(_INSTANCES, substitutions={"class": cls}, parts=search))
    for ref in entities:
        entity = ox.NamedNode(prefixes.expand(ref))
        if not _answer(engine.query("ASK { ?e ?p ?o }", substitutions={"e": entity},
                                    parts=search)):
            raise UsageError(f"--entity {ref}: nothing is said about it in the graph",
                             hint="check the IRI; 'kgtool describe TERM' shows what is known")
        roots |= {entity} | _column(engine.query(_FACTS, substitutions={"e": entity},
                                                 parts=search))
    quads = _describe(engine.store, set(engine.default_graph(parts)), roots)
    if query is not None:
        quads |= {ox.Quad(t.subject, t.predicate, t.object) for t in
                  _construct(engine, query, timeout)}
    return _canonical(quads)


def _answer(result: object) -> bool:
    return bool(getattr(result, "value", False))


def _column(result: object) -> set:
    assert isinstance(result, Solutions)
    return {row[0] for row in result.rows if row[0] is not None}


def _describe(store: ox.Store, graphs: set[ox.NamedNode], roots: set) -> set[ox.Quad]:
    """The quads about ``roots`` in ``graphs``, and about every blank node they reach."""
    out, seen, todo = set(), set(), list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(node, None, None, None):
            if quad.graph_name in graphs:
                out.add(quad)
                if isinstance(quad.object, ox.BlankNode):
                    todo.append(quad.object)
    return out


def _construct(engine: EmbeddedStore, path: Path, timeout: float) -> list[ox.Triple]:
    """Run a CONSTRUCT file safely (no SERVICE, no FROM, a deadline); refuse other forms."""
    from kgtool.query import check_safety, execute, read_query

    query = read_query(path, str(path))
    if query.form != "CONSTRUCT":
        raise UsageError(f"{path}: export --query needs a CONSTRUCT query, "
                         f"not {query.form or 'this text'}",
                         hint="write CONSTRUCT { ... } WHERE { ... }, or run it with kgtool query")
    check_safety(query)
    return execute(engine, query, {}, timeout=timeout).result.triples
