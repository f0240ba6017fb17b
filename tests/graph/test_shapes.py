"""Each shape's invalid cases fail with exactly the expected results; the examples conform.

A case file in ``cases/`` holds Turtle (the project prefixes are added) and one
``# expect: focus | path | severity | message`` line per expected result.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from kgtool.engine.embedded import load_project
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.validation.shacl import validate_engine

CASES = sorted((Path(__file__).parent / "shape-cases").glob("*.ttl"))
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")


def expected(path: Path) -> set[tuple[str, str, str, str]]:
    rows = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, shape_path, severity, message = (p.strip() for p in line[9:].split("|"))
            rows.add((focus, shape_path, severity, message))
    return rows


def actual(path: Path) -> set[tuple[str, str, str, str]]:
    engine = load_project(find_project(str(REPO)), parts=("ontology", "shapes"))
    text = PREFIXES.turtle_prologue() + path.read_text(encoding="utf-8")
    engine.load_text(text, f"tests/graph/shape-cases/{path.stem}.ttl", part="data")
    report = validate_engine(engine)
    return {(PREFIXES.shorten(r.focus), PREFIXES.shorten_n3(r.path), r.severity, r.message)
            for r in report.results}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_case_gives_exactly_the_expected_results(case: Path) -> None:
    want = expected(case)
    assert want, f"{case.name} declares no expected result"
    assert actual(case) == want


def test_every_node_shape_has_an_invalid_case() -> None:
    engine = load_project(find_project(str(REPO)), parts=("shapes",))
    shapes = {r[0].value for r in engine.query(
        "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/shacl#NodeShape> }", parts=("shapes",)
    ).rows}
    fired = set()
    for case in CASES:
        engine = load_project(find_project(str(REPO)), parts=("ontology", "shapes"))
        engine.load_text(PREFIXES.turtle_prologue() + case.read_text(encoding="utf-8"),
                         f"tests/{case.name}", part="data")
        fired |= {r.shape.split("-")[0] for r in validate_engine(engine).results}
    assert len(shapes) >= 13
    assert shapes <= fired, f"no invalid case for {sorted(shapes - fired)}"


def test_shapes_pass_shacl_for_shacl() -> None:
    import rdflib
    from pyshacl import validate

    shapes = rdflib.Graph()
    for path in sorted((REPO / "ontology" / "shapes").glob("*.ttl")):
        shapes.parse(path)
    conforms, _, text = validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text
