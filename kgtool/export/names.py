"""CURIEs for the writers: ``PrefixMap.curie``'s answer, found with a few dictionary lookups
and remembered for the most recent IRIs only, so memory stays bounded on any graph.

>>> curies = Curies(PrefixMap({"ex": "https://e.org/", "exs": "https://e.org/s/"}))
>>> curies("https://e.org/s/a"), curies("https://e.org/a"), curies("urn:x")
('exs:a', 'ex:a', None)
"""

from __future__ import annotations

from kgtool.prefixes import PrefixMap

CACHED = 1 << 14  # IRIs whose CURIE is remembered


class Curies:
    """The CURIE of an IRI (longest namespace whose local part is clean), else None.

    Only namespaces ending with ``/``, ``#`` or ``:`` are looked for (the others are never
    used), so the candidates are the IRI's prefixes that end there, tried longest first.
    """

    def __init__(self, prefixes: PrefixMap) -> None:
        self.single: dict[str, PrefixMap] = {}
        for p, ns in prefixes.prefixes.items():
            if ns.endswith(("/", "#", ":")):
                self.single.setdefault(ns, PrefixMap({p: ns}))
        self.starts = tuple(self.single)
        self.cache: dict[str, str | None] = {}

    def __call__(self, iri: str) -> str | None:
        try:
            return self.cache[iri]
        except KeyError:
            if len(self.cache) >= CACHED:
                self.cache.clear()
            curie = self.cache[iri] = self.find(iri)
            return curie

    def find(self, iri: str) -> str | None:
        """The CURIE, not remembered."""
        if not iri.startswith(self.starts):
            return None
        end = len(iri)
        while (i := max(iri.rfind("/", 0, end), iri.rfind("#", 0, end),
                        iri.rfind(":", 0, end))) >= 0:
            one = self.single.get(iri[:i + 1])
            if one is not None and (curie := one.curie(iri)):
                return curie
            end = i
        return None
