"""What the site's templates call: relative links, words and texts in the page's language,
links to terms (their page in the site, the web app's entity page, or the term's own IRI),
and rules of shapes put in words.

>>> relative("en/index.html", "en/class/Nation.html")
'../index.html'
"""

from __future__ import annotations

import posixpath

import pyoxigraph as ox
from markupsafe import Markup, escape

from kgtool.look.site.words import SITE_WORDS
from kgtool.vocab import ID, XSD

DATATYPES = {
    "date": {"en": "a date", "ar": "تاريخ"}, "gYearMonth": {"en": "a year and month",
                                                            "ar": "سنة وشهر"},
    "gYear": {"en": "a year", "ar": "سنة"}, "string": {"en": "a text", "ar": "نص"},
    "decimal": {"en": "a decimal number", "ar": "عدد عشري"},
    "integer": {"en": "a whole number", "ar": "عدد صحيح"},
    "langString": {"en": "a text with a language tag", "ar": "نص بوسم لغة"},
    "anyURI": {"en": "a URI", "ar": "عنوان URI"}, "boolean": {"en": "true or false",
                                                             "ar": "صح أو خطأ"},
}


def relative(target: str, page: str) -> str:
    """The link from ``page`` to ``target``, both paths from the site's root."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


class Helpers:
    """Bound to one page: its path, its language and the site's indexes."""

    def __init__(self, site, page: str, lang: str) -> None:
        self.site, self.page, self.lang = site, page, lang

    @property
    def sep(self) -> str:
        """The list separator of the page's language."""
        return "، " if self.lang == "ar" else ", "

    def url(self, target: str) -> str:
        return relative(target, self.page)

    def lurl(self, target: str) -> str:
        """A page of this language: ``lurl("classes.html")`` -> ``../classes.html``."""
        return self.url(f"{self.lang}/{target}")

    def w(self, key: str, **values) -> str:
        text = SITE_WORDS[key][self.lang]
        return text.format(**values) if values else text

    def text(self, texts: dict[str, str] | None, fallback: str = "") -> Markup:
        """The text in the page's language, else the English one marked as English."""
        texts = texts or {}
        if texts.get(self.lang):
            return escape(texts[self.lang])
        english = texts.get("en") or next(iter(texts.values()), fallback)
        if self.lang != "en" and english:
            return Markup('<span lang="en" dir="ltr">{}</span>').format(english)
        return escape(english)

    def curie(self, iri: str) -> str:
        return self.site.prefixes.shorten(iri)

    def label(self, iri: str) -> Markup:
        return self.text(self.site.labels.get(iri), self.curie(iri))

    def href(self, iri: str) -> str | None:
        """Where a link to a term goes, or None."""
        site = self.site
        if iri in site.model.terms:
            term = site.model.terms[iri]
            return self.lurl(f"{term.kind}/{term.slug}.html")
        if iri in site.concept_scheme:
            return self.lurl(f"vocabulary/{site.concept_scheme[iri]}.html") + "#" + anchor(iri)
        if iri in site.shape_pages:
            return self.lurl(f"shape/{site.shape_pages[iri]}.html")
        if iri.startswith(ID):
            if site.entity_base is None:
                return None
            return f"{site.entity_base.rstrip('/')}/id/{iri[len(ID):]}"
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def term(self, iri: str, with_curie: bool = True) -> Markup:
        """A link to a term: its label, and its CURIE beside it."""
        label = self.label(iri)
        curie = self.curie(iri)
        if str(label) == curie:
            inner = Markup("<code>{}</code>").format(curie)
        elif with_curie:
            inner = Markup("{} <code>{}</code>").format(label, curie)
        else:
            inner = label
        href = self.href(iri)
        return Markup('<a href="{}">{}</a>').format(href, inner) if href else inner

    def cell(self, term) -> Markup:
        """A cell of a query's answer: a term as a link with its label, a literal as text."""
        if term is None:
            return Markup("")
        if isinstance(term, ox.NamedNode):
            return self.term(term.value)
        return escape(term.value)

    def how_many(self, rule) -> str:
        low, high = rule.cardinality
        if high is not None and low == high:
            return self.w("exactly", n=low)
        if low and high is not None:
            return f"{self.w('at-least', n=low)}, {self.w('at-most', n=high)}"
        if low:
            return self.w("at-least", n=low)
        if high is not None:
            return self.w("at-most", n=high)
        return self.w("any-number")

    def value_kind(self, rule) -> Markup:
        """The kinds of value a rule allows, in words, with links."""
        parts: list[Markup] = []
        for datatype in rule.datatypes:
            local = datatype.removeprefix(XSD).rsplit("#", 1)[-1]
            words = DATATYPES.get(local, {}).get(self.lang, local)
            parts.append(Markup("{} (<code>{}</code>)").format(words, self.curie(datatype)))
        parts += [self.term(cls, with_curie=False) for cls in rule.classes]
        if rule.node_kind and not rule.classes and not rule.allowed:
            parts.append(escape(self.w("an-iri")))
        text = Markup(" / ").join(parts) if parts else escape(self.w("a-value"))
        if rule.allowed:
            allowed = Markup(self.sep).join(self.term(v, with_curie=False) for v in rule.allowed)
            text = Markup("{}: {}").format(self.w("one-of"), allowed)
        extras = []
        if rule.pattern:
            extras.append(Markup("{} <code>{}</code>").format(self.w("matching"), rule.pattern))
        if rule.languages:
            extras.append(Markup("{} {}").format(self.w("in-language"),
                                                 ", ".join(rule.languages)))
        if rule.unique_lang:
            extras.append(escape(self.w("one-per-language")))
        if rule.minimum:
            extras.append(Markup("{} {} ({})").format(self.w("minimum"), rule.minimum[1],
                                                      rule.minimum[0]))
        return Markup("; ").join([text, *extras])


def anchor(iri: str) -> str:
    """An element id for a term on a page.

    >>> anchor("https://w3id.org/spacecoop/id/benefit/navigation")
    'benefit-navigation'
    """
    tail = iri[len(ID):] if iri.startswith(ID) else iri.rsplit("/", 1)[-1]
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in tail.replace("/", "-"))
