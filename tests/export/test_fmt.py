"""Canonical Turtle and ``kgtool fmt``: stable, idempotent, lossless, atomic."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO
from kgtool.errors import InputError
from kgtool.export.fmt import format_file, format_files, open_atomic
from kgtool.export.turtle import canonical_turtle, parse_turtle, turtle_prefixes
from kgtool.prefixes import PrefixMap

FIXTURE = FIXTURES / "export"
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")
EX = "https://example.org/ns/"


def isomorphic(a, b) -> bool:
    def canonical(triples):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return sorted(str(q) for q in dataset)
    return canonical(a) == canonical(b)


def project_files(project) -> list[Path]:
    return (project.ontology_files() + project.shape_files() + project.example_files()
            + project.data_files())


def test_every_project_file_formats_losslessly_and_idempotently(project) -> None:
    for path in project_files(project):
        _, text = format_file(path, PREFIXES)
        assert isomorphic(parse_turtle(text, "new"), parse_turtle(path.read_bytes(), "old")), path
        assert canonical_turtle(parse_turtle(text, "new"), PREFIXES) == text, path


@pytest.fixture(scope="module")
def tricky() -> str:
    return format_file(FIXTURE / "tricky.ttl", PREFIXES)[1]


@pytest.mark.parametrize("expected", [
    '"quote \\" and backslash \\\\ and tab \\t"',
    '"""line one\nline two with \\"quotes\\" and a final quote\\""""',
    '"carriage\\rreturn"',
    '"line\u2028separator"',
    '"unicode é ✓ 🚀"',
    '"hello"@en-gb, "مرحبا"@ar',
])
def test_strings_are_escaped_and_long_only_when_needed(tricky, expected) -> None:
    assert expected in tricky


def test_numbers_are_bare_only_in_canonical_form(tricky) -> None:
    block = tricky.split(f"<{EX}numbers> <{EX}n> ")[1].split(" .\n")[0]
    assert [line.strip() for line in block.split(",\n")] == [
        '"+5"^^xsd:integer', '"-0.0"^^xsd:decimal', "-7", '".5"^^xsd:decimal', "0",
        '"007"^^xsd:integer', '"1"^^xsd:boolean', '"1.0e3"^^xsd:double', '"1.50"^^xsd:decimal',
        '"2020-01-01"^^xsd:date', "3.14", "42", "true", f'"x"^^<{EX}custom>']


def test_unsafe_local_names_fall_back_to_full_iris(tricky) -> None:
    assert "<https://w3id.org/spacecoop/id/nation/with.dot.> " in tricky
    assert "<https://w3id.org/spacecoop/id/nation/-lead>," in tricky
    assert "<https://w3id.org/spacecoop/id/nation/a%20b>," in tricky
    assert "        nation: ." in tricky


def test_blank_nodes_nest_once_referenced_and_are_labelled_otherwise(tricky) -> None:
    assert f'( 1 2 ( "nested" ) [ <{EX}q> "in a list" ] )' in tricky
    assert f"<{EX}empty> rdf:nil" in tricky
    assert "rdf:first 2, 3 ; rdf:rest rdf:nil" in tricky  # not a well-formed list
    assert f'\n[] <{EX}q> "no referrer" ;\n    <{EX}r> [ <{EX}s> "nested' in tricky
    assert f"<{EX}twins> <{EX}p> [], [] ." in tricky
    shared = [line for line in tricky.splitlines() if line.endswith('"two referrers" .')]
    assert len(shared) == 1 and shared[0].startswith("_:b")
    label = shared[0].split()[0]
    assert f"<{EX}other> <{EX}p> {label} ." in tricky
    assert f"<{EX}shared> <{EX}p> {label} ." in tricky


def test_layout_groups_by_class_after_the_ontology_header() -> None:
    text = canonical_turtle(parse_turtle((REPO / "ontology" / "spacecoop.ttl").read_bytes(),
                                         "spacecoop.ttl"), PREFIXES)
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[0] == "## owl:Ontology" and sections[-1] == "## (no rdf:type)"
    assert sections[1:-1] == sorted(sections[1:-1])
    assert "\nsc:Nation a owl:Class ;\n    rdfs:label " in text


def test_only_used_project_prefixes_are_declared_in_order(tricky) -> None:
    declared = [line.split()[1] for line in tricky.splitlines() if line.startswith("@prefix")]
    assert declared == ["nation:", "rdf:", "xsd:"]  # ex: is not a project prefix
    assert "ns1" not in tricky


def test_hostile_prefixes_are_never_written() -> None:
    hostile = PrefixMap({"ok": EX, "bad\tname": EX + "a/", "evil": "https://e.org/> .\n<x",
                         "word": "foaf:homepage"})
    assert turtle_prefixes(hostile).prefixes == {"ok": EX}
    triple = ox.Triple(ox.NamedNode(EX + "a/b"), ox.NamedNode(EX + "p"), ox.Literal("x"))
    assert canonical_turtle([triple], hostile).splitlines()[0] == f"@prefix ok: <{EX}> ."


def test_iris_that_would_break_the_syntax_are_refused() -> None:
    data = b'<https://e.org/s> <https://e.org/p> <https://e.org/a"b> .'
    (quad,) = ox.parse(data, ox.RdfFormat.N_TRIPLES, lenient=True)  # only lenient takes it
    with pytest.raises(InputError, match="refusing to write the IRI"):
        canonical_turtle([quad], PREFIXES)


@settings(max_examples=200, deadline=None)
@given(value=st.text(), language=st.sampled_from([None, "en", "ar", "fr-ca"]),
       number=st.from_regex(r"\A[+-]?[0-9]{1,6}\Z"))
def test_any_literal_round_trips(value, language, number) -> None:
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    integer = ox.Literal(number, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    triples = [ox.Triple(s, p, ox.Literal(value, language=language)), ox.Triple(s, p, integer)]
    assert set(parse_turtle(canonical_turtle(triples, PREFIXES), "t")) == set(triples)


# kgtool fmt ----------------------------------------------------------------------------

def misformat(source: Path, target: Path) -> None:
    """Write the triples of a real file as N-Triples lines: valid Turtle that fmt rewrites."""
    triples = parse_turtle(source.read_bytes(), str(source))
    target.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


@pytest.fixture
def copy(tmp_path) -> Path:
    """A real data file, written out of canonical form."""
    target = tmp_path / "nations.ttl"
    misformat(REPO / "data" / "nations.ttl", target)
    return target


def test_check_fails_on_a_misformatted_file_and_passes_after_fmt(run, project, copy) -> None:
    original = copy.read_bytes()
    check = run(["--root", project.root, "fmt", "--check", copy])
    assert check.exit_code == 1 and check.stdout == f"{copy}\n"
    assert "1 of 1 files are not canonical; run 'kgtool fmt'" in check.stderr
    assert copy.read_bytes() == original
    rewrite = run(["--root", project.root, "fmt", copy])
    assert rewrite.exit_code == 0 and rewrite.stdout == f"{copy}\n"
    assert isomorphic(parse_turtle(copy.read_bytes(), "new"), parse_turtle(original, "old"))
    again = run(["--root", project.root, "fmt", "--check", copy])
    assert again.exit_code == 0 and again.stdout == ""


def test_fmt_formats_every_turtle_file_of_a_project(run, tmp_path) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "data", root / "data")
    for name in ("ontology/spacecoop.ttl", "data/nations.ttl"):
        misformat(REPO / name, root / name)
    result = run(["--root", root, "fmt"])
    assert result.exit_code == 0, result.output
    listed = set(result.stdout.split())
    assert listed == {"ontology/spacecoop.ttl", "data/nations.ttl"}
    assert all(name.endswith(".ttl") for name in listed)
    assert run(["--root", root, "fmt", "--check"]).exit_code == 0


def test_a_syntax_error_stops_fmt_before_anything_is_written(run, project, copy) -> None:
    original = copy.read_bytes()
    broken = copy.parent / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b \"open .\n")
    result = run(["--root", project.root, "fmt", copy, broken])
    assert result.exit_code == 3
    assert f"Error: {broken}:2:" in result.output and "Hint:" in result.output
    assert copy.read_bytes() == original


def test_fmt_refuses_a_file_that_is_not_turtle(run, project, tmp_path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    result = run(["--root", project.root, "fmt", other])
    assert result.exit_code == 2 and "not a Turtle file" in result.output


def test_rewrite_keeps_permissions_and_leaves_no_temporary_file(copy) -> None:
    copy.chmod(0o640)
    assert format_files([copy], PREFIXES) == [copy]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o640
    assert [p.name for p in copy.parent.iterdir()] == ["nations.ttl"]


def test_an_interrupted_write_leaves_the_file_alone(copy) -> None:
    original = copy.read_bytes()
    with pytest.raises(InputError), open_atomic(copy) as out:
        out.write(b"half of the ")
        raise InputError("stopped")
    assert copy.read_bytes() == original
    assert [p.name for p in copy.parent.iterdir()] == ["nations.ttl"]
