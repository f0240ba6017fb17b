"""Alt text from a picture's data: what a screen reader should say about it.

Each definition says which kind of summary fits (``alt.kind``) and which columns to read:
``network`` (nodes, links by kind, the most linked), ``timeline`` (events, years, kinds,
the busiest year), ``map`` (members by the chosen measure, those with none, the partners)
and ``bars`` (the largest categories, the total, and how many categories, named by the
text ``counted``). The text is in the picture's
language and ends with the parameters it is shown for.

>>> top({"A": 3, "B": 5, "C": 1}, 2)
[('B', 5), ('A', 3)]
"""

from __future__ import annotations

from collections import Counter

from kgtool.look.table import Table
from kgtool.look.words import counted, listing, separator, word


def top(counts: dict[str, int], n: int) -> list[tuple[str, int]]:
    """The ``n`` largest counts, ties in name order."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def _label(record: dict, column: str) -> str:
    return str(record.get(column + "Label", record.get(column, "")))


def _shown_for(table: Table) -> str:
    if not table.filters:
        return ""
    names = {name: table.picture.text.get(name, {}).get(table.lang, name) for name in table.filters}
    parts = separator(table.lang).join(f"{names[name]}: {shown}"
                                       for name, shown in sorted(table.filters.items()))
    return f" {word('filtered', table.lang)} {parts}."


def _network(table: Table, spec: dict) -> str:
    lang, source, target = table.lang, spec.get("source", "source"), spec.get("target", "target")
    kind = spec.get("kind-column", "kind")
    degree: Counter = Counter()
    names: dict[str, str] = {}
    for record in table.records:
        for end in (source, target):
            degree[record[end]] += 1
            names[record[end]] = _label(record, end)
    kinds = Counter(_label(r, kind) for r in table.records)
    most = [(names[curie], n) for curie, n in top(dict(degree), 3)]
    return (f"{_title(table)}: {counted(word('nodes', lang), len(degree), lang)}"
            f"{separator(lang)}{counted(word('links', lang), len(table.records), lang)} "
            f"({listing(top(dict(kinds), 10), lang)}). "
            f"{word('most-links', lang)}: {listing(most, lang)}.")


def _timeline(table: Table, spec: dict) -> str:
    lang, date, kind = table.lang, spec.get("date", "date"), spec.get("kind-column", "kind")
    event = spec.get("event", "event")
    events = {r[event]: r for r in table.records if date in r}
    years = Counter(str(r[date]).lstrip("-")[:4] for r in events.values())
    kinds = Counter(_label(r, kind) for r in events.values())
    if not events:
        return f"{_title(table)}: {counted(word('events', lang), 0, lang)}."
    busiest = top(dict(years), 1)[0]
    return (f"{_title(table)}: {counted(word('events', lang), len(events), lang)}"
            f"{separator(lang)}{word('from-to', lang, first=min(years), last=max(years))} "
            f"({listing(top(dict(kinds), 10), lang)}). "
            f"{word('busiest-year', lang)}: {busiest[0]} ({busiest[1]}).")


def _map(table: Table, spec: dict) -> str:
    lang, nation, member = table.lang, spec.get("nation", "nation"), spec.get("member", "member")
    param = spec.get("measure-param", "measure")
    measure = table.choices[param]
    measure_label = table.picture.params[param].choices[measure][lang]
    members = {_label(r, nation): r.get(measure, 0) for r in table.records if r.get(member)}
    partners = sorted(_label(r, nation) for r in table.records if not r.get(member))
    none = sum(1 for value in members.values() if not value)
    highest = [(name, value) for name, value in top(members, 5) if value]
    text = (f"{_title(table)}: {counted(word('members', lang), len(members), lang)}"
            f"{separator(lang)}"
            f"{word('coloured-by', lang, measure=measure_label)}. ")
    if highest:
        text += f"{word('highest', lang)}: {listing(highest, lang)}. "
    text += f"{word('members-with-none', lang)}: {none}."
    if partners:
        text += (f" {word('partners-outlined', lang)}: {len(partners)} "
                 f"({separator(lang).join(partners)}).")
    return text


def _bars(table: Table, spec: dict) -> str:
    lang, category, value = table.lang, spec.get("category"), spec.get("value")
    sums: Counter = Counter()
    for record in table.records:
        sums[_label(record, category)] += record.get(value, 0) or 0
    if not sums:
        return f"{_title(table)}: {word('nothing', lang)}"
    groups = table.picture.text[spec["counted"]][lang] if "counted" in spec else ""
    return (f"{_title(table)}: {word('largest', lang)}: {listing(top(dict(sums), 3), lang)}. "
            f"{word('total', lang)}: {sum(sums.values())}"
            + (f" ({counted(groups, len(sums), lang)})." if groups else "."))


def _title(table: Table) -> str:
    return table.picture.text.get("title", table.picture.summary)[table.lang]


KINDS = {"network": _network, "timeline": _timeline, "map": _map, "bars": _bars}


def alt_text(table: Table) -> str:
    """The alt text of a picture for its table (in the table's language)."""
    spec = table.picture.alt
    if not table.records and spec["kind"] != "map":
        return f"{_title(table)}: {word('nothing', table.lang)}{_shown_for(table)}"
    return KINDS[spec["kind"]](table, spec) + _shown_for(table)

