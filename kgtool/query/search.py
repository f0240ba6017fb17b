"""Find things by label, in any language: exact matches first, then labels that contain the
words, then close spellings, each match with the label that matched and its language.

The labels are read once (:meth:`LabelIndex.build`) and searched in memory, so a search box
answers without a query per keystroke.

>>> from kgtool.engine import EmbeddedStore
>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/sau> <http://www.w3.org/2000/01/rdf-schema#label> '
...                 '"Saudi Arabia"@en, "السعودية"@ar .', "data/a.ttl", part="data")
>>> index = LabelIndex.build(store)
>>> [(m.iri, m.kind) for m in index.search("Saudi Arabiaa")]
[('https://e.org/sau', 'close')]
>>> index.search("السعودية")[0].language
'ar'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches

from kgtool.engine.base import Engine

_LABELS = ("<http://www.w3.org/2000/01/rdf-schema#label>|"
           "<http://www.w3.org/2004/02/skos/core#prefLabel>|"
           "<http://www.w3.org/2004/02/skos/core#altLabel>")
KINDS = ("exact", "contains", "close")


@dataclass(frozen=True)
class Match:
    """One thing found: its IRI, the label that matched (and its language) and how."""

    iri: str
    label: str
    language: str
    kind: str  # one of KINDS


def fold(text: str) -> str:
    """Text for comparing: case-folded, accents and Arabic short vowels (harakat) removed.

    >>> fold("Émirats"), fold("مَرْحَبًا") == fold("مرحبا")
    ('emirats', True)
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


class LabelIndex:
    """Every label of the graph, folded for searching."""

    def __init__(self, labels: list[tuple[str, str, str]]) -> None:
        self.labels = labels  # (iri, label, language)
        self.folded: dict[str, list[int]] = {}
        for i, (_, label, _) in enumerate(labels):
            self.folded.setdefault(fold(label), []).append(i)

    @classmethod
    def build(cls, engine: Engine) -> LabelIndex:
        """Read every label (rdfs:label, skos:prefLabel, skos:altLabel) of the graph."""
        rows = engine.query(f"SELECT DISTINCT ?s ?l WHERE {{ ?s {_LABELS} ?l "
                            "FILTER (isIRI(?s) && isLITERAL(?l)) }").rows
        return cls(sorted((s.value, label.value, label.language or "") for s, label in rows))

    def search(self, text: str, limit: int = 20) -> list[Match]:
        """Things whose label equals ``text``, then contains it, then is spelled close to it,
        one match per thing, the best first."""
        wanted = fold(text)
        if not wanted:
            return []
        found: dict[str, Match] = {}

        def add(keys, kind: str) -> None:
            for key in keys:
                for i in self.folded[key]:
                    iri, label, language = self.labels[i]
                    if iri not in found and len(found) < limit:
                        found[iri] = Match(iri, label, language, kind)

        add([wanted] if wanted in self.folded else [], "exact")
        add(sorted((k for k in self.folded if wanted in k and k != wanted),
                   key=lambda k: (len(k), k)), "contains")
        if len(found) < limit:
            close = get_close_matches(wanted, list(self.folded), n=limit, cutoff=0.6)
            add(sorted(close, key=lambda k: -SequenceMatcher(None, wanted, k).ratio()), "close")
        return list(found.values())
