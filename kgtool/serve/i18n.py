"""The web app's words in English and Arabic, and the direction of each language.

>>> text("ar", "search"), DIRECTION["ar"]
('بحث', 'rtl')
"""

from __future__ import annotations

LANGUAGES = ("en", "ar")
DIRECTION = {"en": "ltr", "ar": "rtl"}
NAMES = {"en": "English", "ar": "العربية"}

WORDS = {
    "title": ("spacecoop", "سبيس كوب"),
    "tagline": ("A knowledge graph of space cooperation of the 57 member states of the "
                "Organisation of Islamic Cooperation, every fact with its source.",
                "رسم معرفي للتعاون الفضائي للدول الأعضاء السبع والخمسين في منظمة التعاون "
                "الإسلامي، وكل معلومة فيه مع مصدرها."),
    "skip": ("Skip to the content", "انتقل إلى المحتوى"),
    "nav": ("Main", "الرئيسية"),
    "home": ("Home", "الصفحة الرئيسية"),
    "queries": ("Named queries", "الاستعلامات المسماة"),
    "query": ("Query", "استعلام"),
    "check": ("Check a submission", "افحص مساهمة"),
    "pictures": ("Pictures", "صور"),
    "language": ("Language", "اللغة"),
    "search": ("Search", "بحث"),
    "search_label": ("Search by label, in English or Arabic",
                     "ابحث بالاسم، بالعربية أو الإنجليزية"),
    "search_results": ("Search results", "نتائج البحث"),
    "nothing_found": ("Nothing is labelled like that.", "لا يوجد شيء بهذا الاسم."),
    "exact": ("exact", "مطابق"),
    "contains": ("contains", "يحتوي"),
    "close": ("close spelling", "تهجئة قريبة"),
    "matched": ("matched", "طابق"),
    "holds": ("What the graph holds", "محتوى الرسم المعرفي"),
    "class": ("class", "الصنف"),
    "instances": ("instances", "العدد"),
    "coverage": ("Coverage per OIC member state", "التغطية لكل دولة عضو في منظمة التعاون الإسلامي"),
    "nation": ("nation", "الدولة"),
    "organizations": ("agencies and operators", "الوكالات والمشغلون"),
    "agreements": ("agreements", "الاتفاقيات"),
    "spacecraft": ("spacecraft", "المركبات الفضائية"),
    "people": ("people", "الأشخاص"),
    "name": ("name", "الاسم"),
    "summary": ("summary", "الملخص"),
    "parameters": ("parameters", "المعاملات"),
    "run": ("Run", "تشغيل"),
    "sparql_query": ("SPARQL query", "استعلام SPARQL"),
    "editor_help": ("Ctrl+Enter runs the query. The query is in the page's address, so the "
                    "address is a link to share.",
                    "Ctrl+Enter يشغّل الاستعلام. الاستعلام جزء من عنوان الصفحة، فالعنوان رابط "
                    "يمكن مشاركته."),
    "open_in_editor": ("Open in the query editor", "افتح في محرر الاستعلامات"),
    "results": ("Results", "النتائج"),
    "rows": ("rows", "صفوف"),
    "shown_of": ("showing the first {shown} of {total} rows; the downloads have them all",
                 "عرض أول {shown} من {total} صفًا؛ التنزيلات تحتوي عليها كلها"),
    "download": ("Download", "تنزيل"),
    "formats": ("This page as", "هذه الصفحة بصيغة"),
    "answer_true": ("The answer is yes (true).", "الجواب: نعم (true)."),
    "answer_false": ("The answer is no (false).", "الجواب: لا (false)."),
    "facts": ("Facts", "الحقائق"),
    "property": ("property", "الخاصية"),
    "value": ("value", "القيمة"),
    "pointed_at_by": ("Pointed at by", "تشير إليه"),
    "sources": ("Sources", "المصادر"),
    "no_sources": ("No source recorded.", "لا يوجد مصدر مسجل."),
    "source_of": ("source", "المصدر"),
    "fallback": ("no {page} label: shown in {shown}", "لا يوجد اسم بـ{page}: معروض بـ{shown}"),
    "check_intro": ("Paste or upload facts in Turtle or JSON-LD to see the report that "
                    "'kgtool validate FILE' gives, in the context of the graph. Nothing is "
                    "stored.",
                    "الصق أو ارفع حقائق بصيغة Turtle أو JSON-LD لترى التقرير الذي يعطيه "
                    "'kgtool validate FILE' في سياق الرسم المعرفي. لا يُحفظ شيء."),
    "paste": ("Facts to check", "الحقائق المراد فحصها"),
    "or_upload": ("or a file", "أو ملف"),
    "format": ("format", "الصيغة"),
    "by_extension": ("by the file's extension (pasted text: Turtle)",
                     "حسب امتداد الملف (النص الملصق: Turtle)"),
    "check_button": ("Check", "افحص"),
    "report": ("Report", "التقرير"),
    "conforms": ("Conforms", "مطابق"),
    "passes": ("Passes, with warnings or notes (sh:conforms false)",
               "مقبول، مع تحذيرات أو ملاحظات (sh:conforms false)"),
    "does_not_conform": ("Does not conform", "غير مطابق"),
    "limit_note": ("At most {size} per submission.", "الحد الأقصى {size} لكل مساهمة."),
    "error": ("Error", "خطأ"),
    "hint": ("Hint", "تلميح"),
    "footer": ("Served by kgtool {version}. Data: the spacecoop graph; every fact links its "
               "source.", "يقدّمه kgtool {version}. البيانات: رسم سبيس كوب؛ كل حقيقة مرتبطة "
               "بمصدرها."),
}


def text(language: str, key: str, **values: object) -> str:
    """The word ``key`` in ``language`` (English where the language is unknown)."""
    english, arabic = WORDS[key]
    chosen = arabic if language == "ar" else english
    return chosen.format(**values) if values else chosen
