"""Property-based fuzzing of the submission readers: random bytes, and random mutations of a
valid submission in Turtle, TriG, JSON-LD and RDF/XML, either parse or are refused with a
KgtoolError (one ``Error:`` line, exit 3), in bounded time; never another exception. Most
examples go through the library's reader; a few run ``kgtool validate`` itself."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from kgtool.errors import KgtoolError
from kgtool.prefixes import read_context
from kgtool.validation.reading import parse_bytes

CONTEXT = read_context(REPO / "ontology" / "context.jsonld")
VALID = REPO / "examples" / "submissions" / "valid" / "egypt.ttl"
_TRIPLES = [q.triple for q in ox.parse(VALID.read_bytes(), ox.RdfFormat.TURTLE)]
_GRAPH = ox.NamedNode("https://w3id.org/spacecoop/graph/submission")
SEEDS = {
    "turtle": VALID.read_bytes(),
    "trig": ox.serialize([ox.Quad(t.subject, t.predicate, t.object, _GRAPH) for t in _TRIPLES],
                         format=ox.RdfFormat.TRIG),
    "jsonld": ox.serialize(_TRIPLES, format=ox.RdfFormat.JSON_LD),
    "rdfxml": ox.serialize(_TRIPLES, format=ox.RdfFormat.RDF_XML),
}
EXTENSIONS = {"turtle": "ttl", "trig": "trig", "jsonld": "jsonld", "rdfxml": "rdf"}
# pieces that reach the readers' special cases: nesting, strings, escapes, DTDs, contexts
TOKENS = [b"{", b"}", b"[", b"]", b"(", b")", b"<", b">", b'"', b'"""', b"'", b"\\", b"\\u00",
          b"@prefix", b"@base <x> .", b"_:b", b"<<", b">>", b"^^", b"@en", b".", b";", b",",
          b'"@context"', b'"@id"', b'"@type"', b'"@base": "x"', b"<!DOCTYPE r [<!ENTITY e 'x'>]>",
          b"&e;", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xe2\x80\xae", b"\x1b]0;t\x07", b"\r",
          b"[" * 200, b"{" * 200, b"<<" * 100, b"( " * 300, b"9" * 400, b"\xf0\x9f\x9a\x80"]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """The seed with a few random edits: bytes replaced, inserted, deleted, slices copied."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["replace", "insert", "delete", "token", "copy"]))
        if edit == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif edit == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif edit == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        else:
            start = draw(st.integers(0, len(data)))
            data[at:at] = data[start:start + draw(st.integers(1, 200))]
    return bytes(data)


def read(data: bytes, fmt: str) -> None:
    """Parse; a KgtoolError is a refusal (and must be one line), anything else fails."""
    try:
        parse_bytes(data, f"fuzz.{EXTENSIONS[fmt]}", fmt, CONTEXT)
    except KgtoolError as error:
        assert error.exit_code == 3 and error.message, error


FUZZ = settings(max_examples=120, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("fmt", list(SEEDS))
def test_the_seeds_parse(fmt: str) -> None:
    assert len(parse_bytes(SEEDS[fmt], f"seed.{EXTENSIONS[fmt]}", fmt, CONTEXT).triples) \
        == len(_TRIPLES)


@pytest.mark.parametrize("fmt", list(SEEDS))
def test_mutations_parse_or_are_refused(fmt: str) -> None:
    @FUZZ
    @given(mutated(SEEDS[fmt]))
    def check(data: bytes) -> None:
        read(data, fmt)

    check()


@pytest.mark.parametrize("fmt", list(SEEDS))
def test_random_bytes_are_refused(fmt: str) -> None:
    @settings(FUZZ, max_examples=60)
    @given(st.binary(max_size=2048))
    def check(data: bytes) -> None:
        read(data, fmt)

    check()


def test_validate_on_mutated_files_is_one_error_line_or_a_report(tmp_path: Path) -> None:
    chooser = random.Random(18)
    for fmt, seed in SEEDS.items():
        for n in range(2):
            data = bytearray(seed)
            for _ in range(3):
                at = chooser.randrange(len(data))
                data[at:at] = chooser.choice(TOKENS)
            path = tmp_path / f"m{n}.{EXTENSIONS[fmt]}"
            path.write_bytes(bytes(data))
            done = subprocess.run([sys.executable, "-m", "kgtool", "validate", str(path)],
                                  capture_output=True, text=True, timeout=120)
            assert "Traceback" not in done.stderr, done.stderr
            assert done.returncode in (0, 1, 3), (fmt, done.returncode, done.stderr)
            if done.returncode == 3:
                assert [line for line in done.stderr.splitlines()
                        if line.startswith("Error:")] and \
                    done.stderr.splitlines()[0].startswith("Error: "), done.stderr
                assert len(done.stderr.splitlines()) <= 2, done.stderr
