"""Read submission files safely: bounded, no DTD, no foreign JSON-LD context, all or nothing.

Formats: Turtle, TriG, N-Triples, JSON-LD and RDF/XML, by extension or ``--input-format``;
``-`` reads stdin. In order, before anything is parsed: the size cap (``--max-size``); a
UTF-8 byte-order mark is dropped, NUL bytes and text that is not UTF-8 are refused with
their position; RDF/XML with a DTD is refused (UTF-16 and declared encodings included);
JSON-LD whose ``@context`` or ``@import`` names anything but the project context is refused
(nothing is fetched or read). Then pyoxigraph parses the whole file into a fresh list, so a
syntax error leaves nothing behind; more than :data:`MAX_TRIPLES` triples, RDF 1.2 triple
terms, very long literals and deep blank-node nesting are refused.

>>> sub = parse_bytes(b'<https://e.org/a> <https://e.org/p> "x" .', "a.nt", "ntriples")
>>> (sub.files, len(sub.triples))
(('a.nt',), 1)
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgtool.errors import InputError, UsageError
from kgtool.validation.formats import MAX_NESTING, safe_jsonld, safe_xml

INPUT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
                 "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                 "rdfxml": ox.RdfFormat.RDF_XML}
EXTENSIONS = {".ttl": "turtle", ".trig": "trig", ".nt": "ntriples", ".jsonld": "jsonld",
              ".json": "jsonld", ".rdf": "rdfxml", ".owl": "rdfxml", ".xml": "rdfxml"}
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
MAX_LITERAL = 64 * 1024
MAX_TRIPLES = 100_000  # a submission is facts to review, not a graph dump (about 10 s to check)
_RELATIVE_BASE = "https://relative-iri.invalid/"
_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"


@dataclass(frozen=True)
class Submission:
    """The triples of one or more submission files, and the file each triple came from."""

    triples: tuple[ox.Triple, ...]
    files: tuple[str, ...]
    origin: Mapping[ox.Triple, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, triples: Iterable[ox.Triple], display: str = "<submission>") -> Submission:
        """A submission of the given triples, all from ``display``."""
        unique = tuple(dict.fromkeys(triples))
        return cls(unique, (display,), dict.fromkeys(unique, display))

    @classmethod
    def merge(cls, parts: Iterable[Submission]) -> Submission:
        """One submission of several files (a triple keeps its first file)."""
        origin: dict[ox.Triple, str] = {}
        files: list[str] = []
        for part in parts:
            files += part.files
            for triple in part.triples:
                origin.setdefault(triple, part.origin.get(triple, part.files[0]))
        return cls(tuple(origin), tuple(files), origin)


def input_format(display: str, given: str | None) -> str:
    """The format name of a file: ``given``, else by extension (stdin: Turtle).

    >>> input_format("x.jsonld", None), input_format("-", None), input_format("x", "trig")
    ('jsonld', 'turtle', 'trig')
    """
    if given:
        if given not in INPUT_FORMATS:
            raise UsageError(f"unknown input format {given!r}",
                             hint="use one of " + ", ".join(INPUT_FORMATS))
        return given
    if display in ("-", "<stdin>"):
        return "turtle"
    suffix = Path(display).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UsageError(f"{display}: cannot tell the RDF format from the extension "
                         f"{suffix or '(none)'}",
                         hint="rename the file (" + ", ".join(sorted(EXTENSIONS)) + ") or pass "
                              "--input-format")
    return EXTENSIONS[suffix]


def read_bytes(path: str, max_size: int, stdin: BinaryIO | None = None) -> bytes:
    """At most ``max_size`` bytes of a regular file (``-``: stdin), else InputError.

    Symbolic links, named pipes, devices and folders are refused before they are opened
    (a pipe would block, a link would read a file the contributor did not name), and the
    data is read in chunks, so a huge ``--max-size`` allocates nothing in advance.

    >>> import io
    >>> read_bytes("-", 3, io.BytesIO(b"four"))
    Traceback (most recent call last):
    kgtool.errors.InputError: <stdin>: larger than the size cap of 3 bytes
    >>> read_bytes("/dev/null", 3)
    Traceback (most recent call last):
    kgtool.errors.InputError: /dev/null: not a regular file (a character device)
    """
    display = "<stdin>" if path == "-" else path
    too_big = InputError(f"{display}: larger than the size cap of {max_size:,} bytes",
                         hint="split the submission into smaller files, or raise --max-size")
    if path == "-":
        handle = stdin or getattr(sys.stdin, "buffer", None)
        if handle is None:
            raise InputError("<stdin>: standard input is closed",
                             hint="pipe the submission in, or name a file")
        data = _read_capped(handle, max_size)
    else:
        data = _read_file(path, max_size, too_big)
    if len(data) > max_size:
        raise too_big
    return data


_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _read_file(path: str, max_size: int, too_big: InputError) -> bytes:
    """A regular file's bytes, opened without following a link and without blocking."""
    def refused(mode: int) -> InputError:
        if stat.S_ISLNK(mode):
            return InputError(f"{path}: a symbolic link; kgtool reads only the file you name",
                              hint="name the file itself, not a link to it")
        kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
        return InputError(f"{path}: not a regular file ({kind})",
                          hint="submit a Turtle, TriG, N-Triples, JSON-LD or RDF/XML file")

    try:
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise refused(mode)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise InputError(f"{path}: cannot read file ({error.strerror or error})",
                         hint="check that the file exists and is readable") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
            raise refused(info.st_mode)
        if info.st_size > max_size:
            raise too_big
        return _read_capped(handle, max_size)


def _read_capped(handle: BinaryIO, max_size: int) -> bytes:
    """Up to ``max_size + 1`` bytes, in chunks of 1 MiB."""
    chunks, size = [], 0
    while size <= max_size:
        chunk = handle.read(min(1 << 20, max_size + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_submission(path: str, *, fmt: str | None = None, max_size: int = DEFAULT_MAX_SIZE,
                    context: Mapping | None = None, stdin: BinaryIO | None = None) -> Submission:
    """Read and parse one submission file (``-`` for stdin).

    ``context`` is the project's JSON-LD context (the ``@context`` value), used where a
    JSON-LD file names :data:`CONTEXT_URL`.
    """
    display = "<stdin>" if path == "-" else path
    name = input_format(display, fmt)
    return parse_bytes(read_bytes(path, max_size, stdin), display, name, context)


def read_submissions(paths: Iterable[str], **options) -> Submission:
    """Read several files as one submission; the first unreadable file stops with its error."""
    submission = Submission.merge(read_submission(p, **options) for p in paths)
    _check_count(len(submission.triples), ", ".join(submission.files))
    return submission


def _check_count(count: int, display: str) -> None:
    """Refuse a submission of more than :data:`MAX_TRIPLES` triples.

    >>> _check_count(MAX_TRIPLES + 1, "big.ttl")
    Traceback (most recent call last):
    kgtool.errors.InputError: big.ttl: a submission of 100,001 triples (limit 100,000)
    """
    if count > MAX_TRIPLES:
        raise _too_many(f"{count:,}", display)


def _too_many(count: str, display: str) -> InputError:
    return InputError(f"{display}: a submission of {count} triples (limit {MAX_TRIPLES:,})",
                      hint=f"split it into submissions of at most {MAX_TRIPLES:,} triples; a "
                           "whole graph goes into data/ and is checked with kgtool validate")


def parse_bytes(data: bytes, display: str, fmt: str, context: Mapping | None = None
                ) -> Submission:
    """Check and parse the bytes of one file; InputError with ``file:line:col`` on any problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    base = None
    if fmt == "rdfxml":
        data = safe_xml(data, display)
    else:
        _check_text(data, display)
        if fmt == "jsonld":
            data, base = safe_jsonld(data, display, context), _RELATIVE_BASE
    if not data.strip():
        raise InputError(f"{display}: the file is empty", hint="a submission needs at least "
                         "one triple; copy a template from examples/submissions/valid/")
    from kgtool.engine.base import syntax_error

    try:
        quads = list(islice(ox.parse(data, INPUT_FORMATS[fmt], base_iri=base,
                                     rename_blank_nodes=True), MAX_TRIPLES + 1))
    except SyntaxError as error:
        problem = syntax_error(display, error)
        if "No scheme found" in problem.message or "relative IRI" in problem.message:
            problem.hint = "write full IRIs (https://...) or prefixed names: relative IRIs " \
                           "are not allowed in a submission"
        raise problem from None
    except (ValueError, OSError) as error:
        raise InputError(f"{display}: cannot parse as {fmt} ({error})",
                         hint="check the format (--input-format) and the file") from None
    if len(quads) > MAX_TRIPLES:  # parsing stopped there
        raise _too_many(f"more than {MAX_TRIPLES:,}", display)
    triples = [q.triple for q in quads]
    if not triples:
        raise InputError(f"{display}: the file holds no triples",
                         hint="copy a template from examples/submissions/valid/")
    _check_terms(triples, display)
    return Submission.of(triples, display)


def _position(data: bytes, offset: int) -> str:
    """``line:col`` (1-based) of a byte offset.

    >>> _position(b"ab\\ncd", 4)
    '2:2'
    """
    newline = b"\n"
    line_start = data.rfind(newline, 0, offset) + 1
    return f"{data.count(newline, 0, offset) + 1}:{offset - line_start + 1}"


def _check_text(data: bytes, display: str) -> None:
    """Refuse binary data and text that is not UTF-8, saying where."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{display}:{_position(data, nul)}: binary data (a NUL byte), not RDF "
                         "text", hint="submit a Turtle, TriG, N-Triples, JSON-LD or RDF/XML file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{display}:{_position(data, error.start)}: not UTF-8 text (byte "
            f"0x{data[error.start]:02X}; Latin-1 or Windows-1252?)",
            hint="save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)") from None

def _check_terms(triples: list[ox.Triple], display: str) -> None:
    """Refuse relative IRIs (JSON-LD), RDF 1.2 triple terms, very long literals and deeply
    nested blank nodes."""
    children: dict[ox.BlankNode, list[tuple[ox.BlankNode, int]]] = {}
    inner: set[ox.BlankNode] = set()
    for t in triples:
        if isinstance(t.object, ox.Triple):
            raise InputError(
                f"{display}: an RDF 1.2 triple term (<<( ... )>>) as the object of "
                f"<{t.subject.value}> <{t.predicate.value}>: the graph, its shapes and "
                "kgtool's SHACL engine hold RDF 1.1 triples only",
                hint="state the fact as plain triples, on a node with its own IRI and "
                     "dcterms:source")
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(_RELATIVE_BASE):
                raise InputError(f"{display}: relative IRI <{term.value[len(_RELATIVE_BASE):]}>",
                                 hint="write full IRIs or CURIEs of the project context")
        if isinstance(t.object, ox.Literal) and len(t.object.value) > MAX_LITERAL:
            raise InputError(
                f"{display}: a literal of {len(t.object.value):,} characters (limit "
                f"{MAX_LITERAL:,}) on <{t.subject}> {t.predicate}",
                hint="shorten the text: a description is a paragraph, not a document")
        if isinstance(t.subject, ox.BlankNode) and isinstance(t.object, ox.BlankNode):
            children.setdefault(t.subject, []).append((t.object, t.predicate.value != _REST))
            inner.add(t.object)
    depth: dict[ox.BlankNode, int] = {}
    stack = [(root, 1) for root in children if root not in inner]
    while stack:  # the next item of a list (rdf:rest) is not a level deeper
        node, level = stack.pop()
        if level > MAX_NESTING:
            raise InputError(f"{display}: blank nodes nested more than {MAX_NESTING} levels "
                             "deep", hint="give the inner nodes IRIs, or flatten the nesting")
        if depth.get(node, 0) < level:
            depth[node] = level
            stack += [(child, level + step) for child, step in children.get(node, ())]
