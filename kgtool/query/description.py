"""What the graph knows about one thing: its facts, who points at it, and the sources.

>>> from kgtool.engine import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> '
...                     '"Alpha"@en .', "data/a.nt", part="data")
>>> find_term(store, None, "alpha")
'https://e.org/a'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.engine.base import Engine, Solutions, Triples
from kgtool.errors import UsageError, escape_control

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SOURCE = "http://purl.org/dc/terms/source"
_LABELS = (f"<{LABEL}>|<http://www.w3.org/2004/02/skos/core#prefLabel>")


@dataclass
class Description:
    """One node: its facts grouped by property, incoming links, and sources."""

    iri: str
    label: str
    facts: dict[str, list[object]] = field(default_factory=dict)
    incoming: list[tuple[str, str, list[str]]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _select(engine: Engine, sparql: str, **subs) -> list[tuple]:
    answer = engine.query(sparql, substitutions=subs)
    assert isinstance(answer, Solutions)
    return answer.rows


def find_term(engine: Engine, prefixes, text: str) -> str:
    """An IRI for ``text``: an IRI, a CURIE, or a label in any language (case-insensitive).

    >>> find_term(None, None, "<http://e.org/a b>")
    Traceback (most recent call last):
    kgtool.errors.UsageError: '<http://e.org/a b>' is not a valid IRI (Invalid IRI code point ' ')
    """
    if text.startswith("<") or "://" in text:
        return _valid_iri(text, text.strip("<>"))
    if prefixes is not None and ":" in text and text.split(":", 1)[0] in prefixes.prefixes:
        return _valid_iri(text, prefixes.expand(text))
    rows = _select(engine, f"SELECT DISTINCT ?s ?l WHERE {{ ?s {_LABELS} ?l }}")
    wanted = text.casefold()
    matches = sorted({s.value for s, label in rows if label.value.casefold() == wanted})
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"{text!r} is the label of {len(matches)} nodes",
                         hint="pick one: " + ", ".join(matches[:5]))
    from difflib import get_close_matches  # only when nothing matched

    labels = {label.value: s.value for s, label in rows}
    close = get_close_matches(text, list(labels), n=3, cutoff=0.6)
    hint = ("did you mean " + "; ".join(f"{c!r} ({labels[c]})" for c in close) + "?") if close \
        else "give an IRI or CURIE, or search labels with 'kgtool query'"
    raise UsageError(f"nothing in the graph is labelled {text!r}", hint=hint)


def _valid_iri(text: str, iri: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise UsageError(f"{text!r} is not a valid IRI ({error})",
                         hint="give an absolute IRI without spaces, quotes or control "
                              "characters, a CURIE such as nation:sau, or a label") from None
    return iri


def label_of(engine: Engine, iri: str) -> str:
    """The English label of a node, else any label, else ''."""
    rows = _select(engine, f"SELECT ?l WHERE {{ ?s {_LABELS} ?l }} "
                   "ORDER BY DESC(LANGMATCHES(LANG(?l), 'en')) ?l LIMIT 1",
                   s=ox.NamedNode(iri))
    return rows[0][0].value if rows else ""


def describe(engine: Engine, iri: str) -> Description:
    """Facts about ``iri``, grouped by property, plus the nodes that point at it."""
    node = ox.NamedNode(iri)
    out = Description(iri=iri, label=label_of(engine, iri))
    for p, o in _select(engine, "SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p ?o", s=node):
        if p.value == SOURCE:
            out.sources.append(o.value)
        out.facts.setdefault(p.value, []).append(o)
    rows = _select(engine, f"""
        SELECT ?x ?p (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
        WHERE {{ ?x ?p ?o . OPTIONAL {{ ?x <{SOURCE}> ?src }} }}
        GROUP BY ?x ?p ORDER BY ?p ?x""", o=node)
    out.incoming = [(x.value, p.value, s.value.split() if s else []) for x, p, s in rows]
    if not out.facts and not out.incoming:
        raise UsageError(f"the graph holds nothing about <{iri}>",
                         hint="check the IRI, or find it by label: kgtool describe 'Saudi Arabia'")
    return out


def describe_triples(engine: Engine, iri: str) -> Triples:
    """The subgraph: the node's triples and those of the nodes that point at it."""
    answer = engine.query(
        "CONSTRUCT { ?s ?p ?o . ?x ?q ?y } WHERE { { ?s ?p ?o } UNION "
        "{ ?x ?r ?s . ?x ?q ?y } }", substitutions={"s": ox.NamedNode(iri)})
    assert isinstance(answer, Triples)
    return answer


def render_description(node: Description, prefixes, label) -> str:
    """The text form of ``kgtool describe``; ``label(iri)`` names linked nodes.

    >>> from kgtool.prefixes import PrefixMap
    >>> node = Description("https://e.org/a", "Alpha", {"https://e.org/p": [ox.Literal("x")]})
    >>> print(render_description(node, PrefixMap({"e": "https://e.org/"}), lambda iri: ""))
    Alpha  e:a
      e:p: x
    Sources: (none recorded)
    """
    def show(term) -> str:
        if isinstance(term, ox.Literal):
            return f"{term.value}@{term.language}" if term.language else term.value
        text = prefixes.shorten(term.value)
        name = label(term.value)
        return f"{text} ({name})" if name else text

    lines = [f"{node.label or prefixes.shorten(node.iri)}  {prefixes.shorten(node.iri)}"]
    for prop, values in node.facts.items():
        lines.append(f"  {prefixes.shorten(prop)}: " + "; ".join(show(v) for v in values))
    if node.incoming:
        lines.append("Pointed at by:")
        for subject, prop, sources in node.incoming:
            lines.append(f"  {show(ox.NamedNode(subject))} {prefixes.shorten(prop)}")
            lines += [f"      source: {src}" for src in sources]
    lines.append("Sources:" if node.sources else "Sources: (none recorded)")
    lines += [f"  {src}" for src in node.sources]
    # every line is one line: a newline, a control or a bidi character in the data is escaped
    return "\n".join(escape_control(line) for line in lines)
