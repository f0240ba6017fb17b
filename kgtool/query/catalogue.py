"""The named-query catalogue: ``queries/<name>.rq`` files with a ``#+`` header.

A header is a block of ``#+`` comment lines in a small YAML subset (grlc-compatible)::

    #+ summary: Partners of a nation, by kind of cooperation activity
    #+ description: Every agreement party of the nation, with the activities named.
    #+ params:
    #+   - nation: iri
    #+ defaults:
    #+   - nation: nation:are
    #+ tags:
    #+   - partners

Parameters are bound as RDF terms (SPARQL pre-binding), never pasted into the text.

>>> q = parse_query("#+ summary: All\\n#+ params:\\n#+   - since: date\\nSELECT * {}", "all")
>>> (q.summary, q.params)
('All', {'since': 'date'})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kgtool.engine.sparql import analyse, refuse_unsafe
from kgtool.errors import InputError, UsageError
from kgtool.query.params import bind_value

if TYPE_CHECKING:
    from kgtool.prefixes import PrefixMap
    from kgtool.project import Project

PARAM_KINDS = ("iri", "date", "year", "number", "string")
SEVERITY_NAMES = {"violation": "Violation", "warning": "Warning", "info": "Info"}


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header."""

    name: str
    text: str
    display: str
    summary: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    expect: str = ""
    severity: str = "Violation"
    fix: str = ""
    focused: str = ""  # a check's form for a bound ?focus: queries/checks/focused/<name>.rq

    @property
    def form(self) -> str | None:
        return analyse(self.text).form


def _is_key(name: str) -> bool:
    """A header key: ASCII letters and underscores (str methods: no regex to compile).

    >>> _is_key("summary"), _is_key("two words"), _is_key("")
    (True, False, False)
    """
    return name != "" and name.replace("_", "a").isascii() and name.replace("_", "a").isalpha()


def _header(text: str) -> dict[str, object]:
    """Parse the ``#+`` lines: ``key: value`` scalars and ``- item`` / ``- k: v`` lists."""
    header: dict[str, object] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#+"):
            continue
        body = line[2:].rstrip()
        stripped = body.lstrip()
        if body[:1].isspace() and stripped.startswith("-") and key is not None:  # "  - item"
            if not isinstance(header.get(key), list):
                header[key] = []
            header[key].append(stripped[1:].strip())  # type: ignore[union-attr]
            continue
        name, colon, value = body.partition(":")
        if colon and _is_key(name.strip()):  # "key: value"
            key = name.strip().lower()
            header[key] = value.strip() or []
        elif header.get(key) and isinstance(header[key], str):
            header[key] = f"{header[key]} {body.strip()}"  # continuation line
    return header


def _pairs(items: object, where: str) -> dict[str, str]:
    if not items:
        return {}
    if isinstance(items, str):
        items = [p.strip() for p in items.split(",")]
    out = {}
    for item in items:  # type: ignore[union-attr]
        name, sep, value = item.partition(":")
        if not sep:
            raise InputError(f"{where}: header item {item!r} is not 'name: value'",
                             hint="write '#+   - name: kind'")
        out[name.strip().lstrip("?$")] = value.strip()
    return out


def parse_query(text: str, name: str, display: str | None = None) -> NamedQuery:
    """Build a NamedQuery from the text of a ``.rq`` file."""
    display = display or name
    header = _header(text)
    params = _pairs(header.get("params"), display)
    for param, kind in params.items():
        if kind not in PARAM_KINDS:
            raise InputError(f"{display}: parameter {param} has unknown kind {kind!r}",
                             hint="kinds are " + ", ".join(PARAM_KINDS))
    tags = header.get("tags") or ()
    severity = str(header.get("severity") or "violation").lower()
    return NamedQuery(
        name=name, text=text, display=display,
        summary=str(header.get("summary") or ""),
        description=str(header.get("description") or ""),
        params=params, defaults=_pairs(header.get("defaults"), display),
        tags=tuple([tags] if isinstance(tags, str) else tags),
        expect=str(header.get("expect") or ""),
        severity=SEVERITY_NAMES.get(severity, "Violation"), fix=str(header.get("fix") or ""),
    )


def read_query(path: Path, display: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{display or path}: cannot read query ({error})",
                         hint="check the path and that the file is UTF-8") from None
    return parse_query(text, path.stem, display or str(path))


def catalogue(project: Project) -> list[NamedQuery]:
    """Every named query of the project, sorted by name."""
    return [read_query(p, project.relative(p)) for p in sorted(project.queries_dir.glob("*.rq"))]


def resolve(project: Project, ref: str, stdin_text: str | None = None) -> NamedQuery:
    """A query by name, by ``.rq`` path, or ``-`` for the text given on stdin."""
    if ref == "-":
        return parse_query(stdin_text or "", "stdin", "<stdin>")
    path = Path(ref)
    if ref.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise InputError(f"{ref}: no such query file", hint="check the path")
        return read_query(path, ref)
    own = project.queries_dir / f"{ref}.rq"
    if "/" not in ref and own.is_file():  # the one file, not the whole catalogue
        return read_query(own, project.relative(own))
    named = {q.name: q for q in catalogue(project)}
    if ref not in named:
        from difflib import get_close_matches

        close = get_close_matches(ref, list(named), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "run 'kgtool queries' for the list"
        raise UsageError(f"no named query {ref!r}", hint=hint)
    return named[ref]


def check_safety(query: NamedQuery, allow_service: bool = False) -> None:
    """Refuse updates always; SERVICE and FROM unless explicitly allowed."""
    refuse_unsafe(query.text, query.display, allow_service=allow_service)


def bindings(query: NamedQuery, given: list[tuple[str, str]], prefixes: PrefixMap) -> dict:
    """Check ``-p`` names against the header and bind every declared parameter."""
    values = dict(query.defaults)
    for name, value in given:
        name = name.lstrip("?$")
        if name not in query.params:
            declared = ", ".join(query.params) or "none"
            raise UsageError(f"{query.display}: unknown parameter {name!r}",
                             hint=f"declared parameters: {declared}")
        values[name] = value
    missing = [p for p in query.params if p not in values]
    if missing:
        raise UsageError(f"{query.display}: missing parameter(s) {', '.join(missing)}",
                         hint="give each with -p NAME VALUE")
    return {name: bind_value(query.params[name], values[name], prefixes)
            for name in query.params}


def catalogue_markdown(items: list[NamedQuery]) -> str:
    """The query catalogue as a Markdown page (``kgtool queries -f markdown``, which writes
    docs/queries.md): per query its summary, description, parameters with their kind and
    default, tags and text, from the ``#+`` headers.

    >>> print(catalogue_markdown([parse_query("#+ summary: All\\nSELECT * {}", "all")]))
    ... # doctest: +ELLIPSIS
    # The named queries
    ...
    ## `all`
    <BLANKLINE>
    All
    ...
    """
    lines = ["# The named queries", "",
             "Generated from the `#+` headers of `queries/*.rq` by `kgtool queries -f markdown`; "
             "a test keeps this page equal to that output. Run one with `kgtool query NAME`.", "",
             "| name | summary | parameters |", "|---|---|---|"]
    lines += [f"| [`{q.name}`](#{q.name}) | {q.summary} | "
              f"{', '.join(f'{p} ({k})' for p, k in q.params.items())} |" for q in items]
    for q in items:
        lines += ["", f"## `{q.name}`", "", q.summary]
        if q.description:
            lines += ["", q.description]
        if q.params:
            lines += ["", "Parameters:"]
            lines += [f"- `{p}`: {k}" + (f", default `{q.defaults[p]}`" if p in q.defaults
                                         else "") for p, k in q.params.items()]
        if q.tags:
            lines += ["", "Tags: " + ", ".join(q.tags)]
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#+"))
        lines += ["", "```sparql", body.strip(), "```"]
    return "\n".join(lines) + "\n"
