"""The project prefix map, read from ``ontology/context.jsonld`` (the one source of prefixes).

>>> pm = PrefixMap({"sc": "https://w3id.org/spacecoop/ontology/"})
>>> pm.curie("https://w3id.org/spacecoop/ontology/Nation")
'sc:Nation'
>>> pm.expand("sc:Nation")
'https://w3id.org/spacecoop/ontology/Nation'
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kgtool.errors import InputError, UsageError


def read_json(path: Path, what: str) -> dict:
    """A JSON object from a file, or InputError that says which file and why."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{path}: cannot read {what} ({error})",
                         hint=f"check that the {what} is a readable UTF-8 JSON file") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: the {what} must be a JSON object",
                         hint="wrap it in { ... }")
    return data


def read_context(path: Path) -> dict:
    """The ``@context`` of a JSON-LD context file as one object: an object as it is, an array
    of objects merged in order (``null`` resets, as in JSON-LD 1.1 section 4.1). A remote
    context (a string, or ``@import``) is refused with InputError naming the file: nothing
    is fetched.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonld", delete=False) as f:
    ...     _ = f.write('{"@context": [{"a": "https://a.org/"}, {"@vocab": "https://v.org/"}]}')
    >>> read_context(Path(f.name))
    {'a': 'https://a.org/', '@vocab': 'https://v.org/'}
    """
    document = read_json(path, "JSON-LD context")
    if "@context" not in document:
        raise InputError(f"{path}: the JSON-LD context has no @context",
                         hint="restore ontology/context.jsonld from git")
    value = document["@context"]
    merged: dict = {}
    for item in value if isinstance(value, list) else [value]:
        if item is None:
            merged = {}
        elif isinstance(item, dict) and "@import" not in item:
            merged.update(item)
        else:
            remote = isinstance(item, str | dict)
            raise InputError(f"{path}: the @context holds "
                             + ("a remote context, which kgtool does not fetch" if remote else
                                f"a {type(item).__name__}, not a context object"),
                             hint="write the term definitions inline, as one object or an "
                                  "array of objects")
    return merged


#: The IRI of the project context: JSON-LD submissions may name it, and PyLD is served it.
CONTEXT_URL = "https://w3id.org/spacecoop/ontology/context.jsonld"

# A CURIE local part that Turtle and SPARQL accept without escaping.
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


class PrefixMap:
    """Prefix -> namespace, with CURIE shortening (longest namespace wins) and expansion."""

    __slots__ = ("prefixes",)

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes

    @classmethod
    def from_context(cls, path: Path) -> PrefixMap:
        """Read the string-valued entries of a JSON-LD ``@context`` (:func:`read_context`) as
        prefixes."""
        return cls({k: v for k, v in read_context(path).items()
                    if isinstance(v, str) and not k.startswith("@")})

    def curie(self, iri: str) -> str | None:
        """The CURIE for an IRI, or None when no prefix fits cleanly."""
        best: tuple[str, str] | None = None
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
                local = iri[len(ns):]
                if local == "" or _LOCAL.match(local):
                    best = (prefix, ns)
        return None if best is None else f"{best[0]}:{iri[len(best[1]):]}"

    def shorten(self, iri: str) -> str:
        """A CURIE where possible, else ``<iri>``.

        >>> PrefixMap({}).shorten("http://x/y")
        '<http://x/y>'
        """
        return self.curie(iri) or f"<{iri}>"

    def shorten_n3(self, text: str) -> str:
        """Shorten an ``<iri>`` written in N-Triples form; other text passes through.

        >>> PrefixMap({"ex": "http://x/"}).shorten_n3("<http://x/y>")
        'ex:y'
        """
        if text.startswith("<") and text.endswith(">"):
            return self.curie(text[1:-1]) or text
        return text

    def expand(self, text: str) -> str:
        """Expand a CURIE or ``<iri>`` to a full IRI; a full IRI passes through."""
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        if re.match(r"^[a-z][a-z0-9+.\-]*://", text, re.I):
            return text
        prefix, sep, local = text.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        raise UsageError(f"{text!r} is neither an IRI nor a CURIE with a known prefix",
                         hint="known prefixes: " + ", ".join(sorted(self.prefixes)))

    def turtle_prologue(self) -> str:
        """@prefix declarations for every prefix, in a stable order.

        >>> PrefixMap({"ex": "http://x/"}).turtle_prologue()
        '@prefix ex: <http://x/> .\\n'
        """
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.prefixes.items()))
