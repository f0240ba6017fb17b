"""How a page shows an RDF term: a label in the page's language (a fallback marked as one),
the CURIE, and a link, to the entity page for a spacecoop thing, to the page for a source.

>>> import pyoxigraph as ox
>>> from kgtool.prefixes import PrefixMap
>>> view = TermViews(PrefixMap({"nation": ID_BASE + "nation/"}), {}, "en")
>>> view(ox.NamedNode(ID_BASE + "nation/sau")).href
'/id/nation/sau'
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox

from kgtool.prefixes import PrefixMap
from kgtool.vocab import XSD_STRING

ID_BASE = "https://w3id.org/spacecoop/id/"
LANG_NAMES = {"en": ("English", "الإنجليزية"), "ar": ("Arabic", "العربية"),
              "fr": ("French", "الفرنسية")}


def local_path(iri: str) -> str | None:
    """The server's path for a spacecoop thing's IRI, else None.

    >>> local_path("https://w3id.org/spacecoop/id/agency/uaesa"), local_path("https://e.org/")
    ('/id/agency/uaesa', None)
    """
    return "/id/" + iri[len(ID_BASE):] if iri.startswith(ID_BASE) else None


def link(path: str, language: str, **params: object) -> str:
    """A link to ``path`` with ``params``, keeping the page's language.

    >>> link("/queries/who-flew", "ar", nation="nation:sau")
    '/queries/who-flew?nation=nation%3Asau&lang=ar'
    """
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if language != "en":
        query["lang"] = language
    return path + ("?" + urlencode(query) if query else "")


def language_name(tag: str, language: str) -> str:
    """A language tag's name in the page's language.

    >>> language_name("en", "ar")
    'الإنجليزية'
    """
    names = LANG_NAMES.get(tag.lower())
    if names is None:
        return tag or "?"
    return names[1] if language == "ar" else names[0]


@dataclass(frozen=True)
class TermView:
    """A term as a page shows it."""

    kind: str  # iri, literal or bnode
    text: str  # a CURIE, an <IRI>, the literal's text or _:id
    href: str | None = None
    label: str = ""
    label_lang: str = ""
    fallback: str = ""  # the label's language, when it is not the page's: shown beside it
    lang: str = ""  # a literal's language tag
    datatype: str = ""  # a literal's datatype as a CURIE (not for strings)
    external: bool = False


class TermViews:
    """Turns terms into TermViews, with the labels looked up for the page."""

    def __init__(self, prefixes: PrefixMap, labels: dict[str, tuple[str, str]],
                 language: str) -> None:
        self.prefixes, self.labels, self.language = prefixes, labels, language

    def fallback(self, label_lang: str) -> str:
        """The name of a label's language when it is not the page's, else ''.

        >>> TermViews(PrefixMap({}), {}, "ar").fallback("en")
        'الإنجليزية'
        """
        return "" if label_lang == self.language else language_name(label_lang, self.language)

    def iri(self, iri: str) -> TermView:
        label, tag = self.labels.get(iri, ("", ""))
        path = local_path(iri)
        external = path is None and iri.startswith(("http://", "https://")) \
            and self.prefixes.curie(iri) is None
        shown = iri if external else self.prefixes.shorten(iri)
        href = link(path, self.language) if path else iri if external else None
        return TermView("iri", shown, href,
                        label, tag, self.fallback(tag) if label else "", external=external)

    def __call__(self, term) -> TermView | None:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return TermView("bnode", f"_:{term.value}")
        datatype = "" if term.language or term.datatype.value == XSD_STRING else \
            self.prefixes.shorten(term.datatype.value)
        return TermView("literal", term.value, lang=term.language or "", datatype=datatype)

    def title(self, iri: str) -> TermView:
        """The heading of an entity page: its label, else its CURIE."""
        view = self.iri(iri)
        return view if view.label else TermView("iri", view.text, label=view.text)
