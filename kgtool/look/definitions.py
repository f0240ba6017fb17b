"""Picture definitions: ``queries/<name>.plot.json``, one per picture, beside its query.

A definition names the query that feeds the picture and says how to draw it: ``kind``
``vega-lite`` (a Vega-Lite ``spec`` whose data is the query's rows) or ``network`` (nodes
and edges from two columns, laid out by kgtool). It also declares the picture's own
parameters (filters on columns, or a choice of column), the kinds of columns that are not
plain terms (``iris``: space-separated IRIs from GROUP_CONCAT), translations of literal
values and of the texts the spec refers to, and how its alt text is made. Every text is
given in English and Arabic (``{"en": ..., "ar": ...}``). docs/pictures.md describes the
format.

>>> d = parse_definition({"query": "q", "kind": "vega-lite", "summary": {"en": "A", "ar": "أ"},
...                       "spec": {"mark": "bar"}, "alt": {"kind": "bars"}}, "demo", "demo")
>>> (d.name, d.query, d.summary["ar"])
('demo', 'q', 'أ')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kgtool.errors import InputError, UsageError

LANGUAGES = ("en", "ar")
KINDS = ("vega-lite", "network")
PARAM_KINDS = ("iri", "decade", "choice")
COLUMN_KINDS = ("iris",)
ALT_KINDS = ("network", "timeline", "map", "bars")
SUFFIX = ".plot.json"


@dataclass(frozen=True)
class PictureParam:
    """A parameter of the picture itself: a filter on columns, or a choice of column."""

    name: str
    kind: str  # iri: keep rows where a column holds the IRI; decade: rows dated in it; choice
    filter: tuple[str, ...] = ()
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    default: str | None = None
    summary: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Picture:
    """One picture: its query, how to draw it, its parameters and texts."""

    name: str
    display: str
    query: str
    kind: str
    summary: dict[str, str]
    params: dict[str, PictureParam] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    text: dict[str, dict[str, str]] = field(default_factory=dict)
    spec: dict = field(default_factory=dict)
    network: dict = field(default_factory=dict)
    alt: dict = field(default_factory=dict)


def _texts(value: object, where: str) -> dict[str, str]:
    if not (isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang]
                                            for lang in LANGUAGES)):
        raise InputError(f"{where}: needs a text in each language ({', '.join(LANGUAGES)})",
                         hint='write {"en": "...", "ar": "..."}')
    return {lang: value[lang] for lang in LANGUAGES}


def _param(name: str, raw: object, where: str) -> PictureParam:
    if not isinstance(raw, dict) or raw.get("kind") not in PARAM_KINDS:
        raise InputError(f"{where}: parameter {name} needs a kind, one of "
                         + ", ".join(PARAM_KINDS), hint='write "kind": "iri"')
    columns = raw.get("filter", [])
    columns = (columns,) if isinstance(columns, str) else tuple(columns)
    choices = {key: _texts(text, f"{where}: choice {key}")
               for key, text in raw.get("choices", {}).items()}
    if raw["kind"] == "choice" and raw.get("default") not in choices:
        raise InputError(f"{where}: parameter {name} needs a default among its choices",
                         hint='add "default": "<one of the choices>"')
    if raw["kind"] != "choice" and not columns:
        raise InputError(f"{where}: parameter {name} filters no column",
                         hint='add "filter": ["<column>"]')
    return PictureParam(name, raw["kind"], columns, choices, raw.get("default"),
                        _texts(raw["summary"], f"{where}: {name}") if "summary" in raw else {})


def parse_definition(raw: dict, name: str, display: str) -> Picture:
    """Check a definition read from JSON and build the Picture."""
    if raw.get("kind") not in KINDS:
        raise InputError(f"{display}: kind must be one of {', '.join(KINDS)}",
                         hint='write "kind": "vega-lite" or "kind": "network"')
    if not isinstance(raw.get("query"), str):
        raise InputError(f"{display}: names no query", hint='write "query": "<named query>"')
    alt = raw.get("alt") or {}
    if alt.get("kind") not in ALT_KINDS:
        raise InputError(f"{display}: alt.kind must be one of {', '.join(ALT_KINDS)}",
                         hint="say how the alt text is made from the data")
    columns = dict(raw.get("columns", {}))
    for column, kind in columns.items():
        if kind not in COLUMN_KINDS:
            raise InputError(f"{display}: column {column} has unknown kind {kind!r}",
                             hint="column kinds are " + ", ".join(COLUMN_KINDS))
    part = "spec" if raw["kind"] == "vega-lite" else "network"
    if not isinstance(raw.get(part), dict):
        raise InputError(f"{display}: a {raw['kind']} picture needs a {part!r} object",
                         hint="see docs/pictures.md for the format")
    values = {column: {value: _texts(text, f"{display}: value {value}")
                       for value, text in labels.items()}
              for column, labels in raw.get("values", {}).items()}
    return Picture(
        name=name, display=display, query=raw["query"], kind=raw["kind"],
        summary=_texts(raw.get("summary"), f"{display}: summary"),
        params={key: _param(key, value, display) for key, value in raw.get("params", {}).items()},
        columns=columns, values=values,
        text={key: _texts(value, f"{display}: text {key}")
              for key, value in raw.get("text", {}).items()},
        spec=raw.get("spec", {}), network=raw.get("network", {}), alt=alt,
    )


def read_definition(path: Path, display: str) -> Picture:
    """Read one ``.plot.json`` file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{display}: cannot read picture ({error})",
                         hint="check that the file is readable UTF-8") from None
    except ValueError as error:
        raise InputError(f"{display}:{error.lineno}:{error.colno}: {error.msg}",
                         hint="fix the JSON at that position") from None
    if not isinstance(raw, dict):
        raise InputError(f"{display}: a picture is a JSON object", hint="wrap it in { ... }")
    return parse_definition(raw, path.name[: -len(SUFFIX)], display)


def pictures(project) -> list[Picture]:
    """Every picture of the project (``queries/*.plot.json``), sorted by name."""
    return [read_definition(path, project.relative(path))
            for path in sorted(project.queries_dir.glob(f"*{SUFFIX}"))]


def find_picture(project, name: str) -> Picture:
    """The picture called ``name``, or a usage error that lists the pictures there are."""
    found = {picture.name: picture for picture in pictures(project)}
    if name not in found:
        raise UsageError(f"no picture {name!r}",
                         hint="pictures: " + (", ".join(sorted(found)) or "none"))
    return found[name]
