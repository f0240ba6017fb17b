"""Guards for the two formats that can reach outside a file: RDF/XML (DTDs and entities)
and JSON-LD (remote contexts, ``@base``, deep nesting), checked before any parser sees them.

>>> safe_jsonld(b'{"@context": "http://127.0.0.1:9/c.jsonld"}', "x.jsonld", {})
Traceback (most recent call last):
kgtool.errors.InputError: x.jsonld: JSON-LD context http://127.0.0.1:9/c.jsonld is refused: \
kgtool never fetches or reads a context
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from kgtool.errors import InputError
from kgtool.prefixes import CONTEXT_URL

MAX_NESTING = 64
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _xml_encoding(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        return "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else (
            "utf-16-le" if data[:1] == b"<" else "utf-16-be")
    declared = _XML_ENCODING.match(data)
    return declared[1].decode("ascii").lower() if declared else "utf-8"


def safe_xml(data: bytes, display: str) -> bytes:
    """RDF/XML as UTF-8 bytes, or InputError when it holds a DTD or entity declaration.

    The text is decoded (UTF-16 and declared encodings too) and searched for ``<!DOCTYPE``
    or ``<!ENTITY`` before any XML parser sees it; defusedxml then checks it again.

    >>> safe_xml(b'<!DOCTYPE r [<!ENTITY a "x">]><r/>', "x.rdf")
    Traceback (most recent call last):
    kgtool.errors.InputError: x.rdf: RDF/XML with a DTD (<!DOCTYPE ...>) is refused
    """
    refused = InputError(f"{display}: RDF/XML with a DTD (<!DOCTYPE ...>) is refused",
                         hint="remove the DOCTYPE and entity declarations; write the text "
                              "in full")
    encoding = _xml_encoding(data)
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except (LookupError, UnicodeDecodeError) as error:
        raise InputError(f"{display}: cannot decode the XML as {encoding} ({error})",
                         hint="save the file as UTF-8") from None
    if _DTD.search(text):
        raise refused
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise refused from None
    except ParseError as error:
        line, col = error.position
        raise InputError(f"{display}:{line}:{col + 1}: not well-formed XML ({error.msg})",
                         hint="fix the XML at that position") from None
    if encoding not in ("utf-8", "utf8"):
        text = re.sub(r"""^(<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]+""", r"\1UTF-8",
                      text)
    return text.encode("utf-8")


def _context_values(document: object):
    """Every value of an ``@context`` or ``@import`` key, anywhere in the JSON document."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    yield value
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def safe_jsonld(data: bytes, display: str, context: Mapping | None) -> bytes:
    """JSON-LD bytes whose contexts are inline or the project context, which is put inline.

    >>> safe_jsonld(b'{"@context": "http://127.0.0.1:9/c.jsonld"}', "x.jsonld", {})
    Traceback (most recent call last):
    kgtool.errors.InputError: x.jsonld: JSON-LD context http://127.0.0.1:9/c.jsonld is refused: \
kgtool never fetches or reads a context
    """
    try:
        document = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"{display}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})",
                         hint="fix the JSON at that position") from None
    except RecursionError:
        raise InputError(f"{display}: JSON nested too deeply",
                         hint="flatten the document") from None
    _check_depth(document, display)
    uses_project = False
    for value in _context_values(document):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "@base" in item:
                raise InputError(f"{display}: JSON-LD @base is refused: it would turn relative "
                                 "IRIs into spacecoop IRIs",
                                 hint="write full IRIs or CURIEs of the project context")
            if isinstance(item, dict | type(None)):
                continue
            if item != CONTEXT_URL:
                raise InputError(
                    f"{display}: JSON-LD context {str(item)[:200]} is refused: kgtool never "
                    "fetches or reads a context",
                    hint=f"use the project context ({CONTEXT_URL}) or write the context inline")
            uses_project = True
    if not uses_project:
        return data
    if context is None:
        raise InputError(f"{display}: the project context is not available",
                         hint="run kgtool inside the project (or pass --root)")
    return json.dumps(_inline(document, dict(context)), ensure_ascii=False).encode("utf-8")


def _check_depth(document: object, display: str) -> None:
    """Refuse JSON nested more than :data:`MAX_NESTING` arrays and objects deep (walked
    without recursion, before anything recurses into it).

    >>> _check_depth([[[1]]], "x.jsonld")
    >>> _check_depth([[]] * 2 + [[[[[]]]] * 20], "x.jsonld")
    """
    stack = [(document, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            if level > MAX_NESTING:
                raise InputError(f"{display}: JSON nested more than {MAX_NESTING} arrays or "
                                 "objects deep", hint="flatten the document")
            values = item.values() if isinstance(item, dict) else item
            stack.extend((value, level + 1) for value in values)


def _inline(value: object, context: dict) -> object:
    """The document with each reference to :data:`CONTEXT_URL` replaced by the context itself."""
    if isinstance(value, list):
        return [_inline(v, context) for v in value]
    if not isinstance(value, dict):
        return context if value == CONTEXT_URL else value
    out = {}
    for key, item in value.items():
        if key == "@import" and item == CONTEXT_URL:
            out = {**context, **out}
        elif key in ("@context", "@import") or isinstance(item, dict | list):
            out[key] = _inline(item, context)
        else:
            out[key] = item
    return out
