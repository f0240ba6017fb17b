"""Labels for display: CURIEs for IRIs, with the English label beside them, looked up in one
query for a whole answer.

>>> from kgtool.engine import EmbeddedStore, Solutions
>>> from kgtool.prefixes import PrefixMap
>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .',
...                 "data/a.nt", part="data")
>>> answer = Solutions(("s",), [(ox.NamedNode("https://e.org/a"),)])
>>> cell_renderer(store, PrefixMap({"e": "https://e.org/"}), answer)(answer.rows[0][0])
'e:a (A)'
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from kgtool.engine import Engine, Solutions
from kgtool.prefixes import PrefixMap

_LABELS = ("<http://www.w3.org/2000/01/rdf-schema#label>|"
           "<http://www.w3.org/2004/02/skos/core#prefLabel>")


def english_labels(engine: Engine, iris: set[str]) -> dict[str, str]:
    """An English label (rdfs:label or skos:prefLabel) of each IRI that has one."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = engine.query(f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} "
                        f"?s {_LABELS} ?l FILTER (LANGMATCHES(LANG(?l), 'en')) }} GROUP BY ?s"
                        ).rows
    return {s.value: label.value for s, label in rows if label is not None}


def labels_in(engine: Engine, iris: set[str], language: str) -> dict[str, tuple[str, str]]:
    """A label of each IRI that has one, as (text, language tag): in ``language`` where there
    is one, else in English, else in any language, so a caller can show a fallback as one.

    >>> from kgtool.engine import EmbeddedStore
    >>> store = EmbeddedStore()
    >>> store.load_text('<https://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en, '
    ...                 '"أ"@ar . <https://e.org/b> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...                 '"B"@en .', "data/a.ttl", part="data")
    >>> labels_in(store, {"https://e.org/a", "https://e.org/b"}, "ar")
    {'https://e.org/a': ('أ', 'ar'), 'https://e.org/b': ('B', 'en')}
    """
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = engine.query(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s {_LABELS} ?l "
                        "FILTER (isLITERAL(?l)) }").rows
    rank = {language.lower(): 0, "en": 1}
    best: dict[str, tuple[int, str, str]] = {}
    for s, label in rows:
        tag = (label.language or "").lower()
        key = (rank.get(tag, 2), tag, label.value)
        if s.value not in best or key < best[s.value]:
            best[s.value] = key
    return {iri: (text, tag) for iri, (_, tag, text) in best.items()}


def cell_renderer(engine: Engine, prefixes: PrefixMap, answer: Solutions,
                  with_labels: bool = True) -> Callable[[object], str]:
    """A cell renderer for a table of ``answer``: CURIEs, with English labels if asked."""
    labels: dict[str, str] = {}
    if with_labels:
        labels = english_labels(engine, {t.value for row in answer.rows for t in row
                                         if isinstance(t, ox.NamedNode)})

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            text = prefixes.shorten(term.value)
            return f"{text} ({labels[term.value]})" if term.value in labels else text
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return term.value

    return cell
