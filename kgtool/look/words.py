"""The words of pictures and pages that are not in the graph, in English and Arabic.

Labels of things come from the graph (``rdfs:label``, ``skos:prefLabel``); these are the
words around them: headings, column names, alt-text phrases. Arabic sentences are written
as "name: number" so that no noun has to agree with a number.

>>> word("events", "ar")
'عدد الأحداث المؤرخة'
>>> listing([("A", 3), ("B", 1)], "ar")
'A (3)، B (1)'
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    # alt text
    "nodes": {"en": "nations and organizations", "ar": "عدد الدول والمنظمات"},
    "links": {"en": "links", "ar": "عدد الصلات"},
    "most-links": {"en": "Most links", "ar": "الأكثر صلات"},
    "events": {"en": "dated events", "ar": "عدد الأحداث المؤرخة"},
    "from-to": {"en": "from {first} to {last}", "ar": "من {first} إلى {last}"},
    "busiest-year": {"en": "Busiest year", "ar": "أكثر الأعوام أحداثا"},
    "members": {"en": "OIC member states", "ar": "عدد الدول الأعضاء في منظمة التعاون الإسلامي"},
    "coloured-by": {"en": "coloured by {measure}", "ar": "ملونة حسب {measure}"},
    "highest": {"en": "Highest", "ar": "الأعلى"},
    "members-with-none": {"en": "Members with none", "ar": "أعضاء بلا قيمة"},
    "partners-outlined": {"en": "Partner nations outlined", "ar": "الدول الشريكة المحددة بإطار"},
    "largest": {"en": "Largest", "ar": "الأكبر"},
    "total": {"en": "Total", "ar": "المجموع"},
    "nothing": {"en": "Nothing to show for these parameters.",
                "ar": "لا شيء لعرضه لهذه المعايير."},
    "filtered": {"en": "Shown for", "ar": "معروض لـ"},
    # the picture's page parts
    "data": {"en": "The data", "ar": "البيانات"},
}


def word(key: str, lang: str, **values: object) -> str:
    """The word or phrase ``key`` in ``lang``, with ``{placeholders}`` filled."""
    text = WORDS[key][lang]
    return text.format(**values) if values else text


def separator(lang: str) -> str:
    """The list separator of the language."""
    return "، " if lang == "ar" else ", "


def listing(items: list[tuple[str, object]], lang: str) -> str:
    """``name (number)`` items joined with the language's comma."""
    return separator(lang).join(f"{name} ({count})" for name, count in items)


def counted(name: str, count: object, lang: str) -> str:
    """``name: number`` in English order, or the Arabic ``name: number``.

    >>> counted("links", 4, "en")
    '4 links'
    """
    return f"{name}: {count}" if lang == "ar" else f"{count} {name}"
