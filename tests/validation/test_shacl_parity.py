"""pyshacl-turbo, the default engine, gives exactly pySHACL's results: shape cases, real graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from kgtool.engine.embedded import load_project
from kgtool.prefixes import PrefixMap
from kgtool.project import find_project
from kgtool.validation.shacl import shape_results

CASES = sorted((REPO / "tests" / "graph" / "shape-cases").glob("*.ttl"))
PREFIXES = PrefixMap.from_context(REPO / "ontology" / "context.jsonld")


def keyed(results) -> list[tuple[str, str, str, str, str]]:
    return sorted({(r.focus, r.path, r.value, r.severity, r.message) for r in results})


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_parity_on_shape_cases(case: Path) -> None:
    engine = load_project(find_project(str(REPO)), parts=("ontology", "shapes"))
    engine.load_text(PREFIXES.turtle_prologue() + case.read_text(encoding="utf-8"),
                     f"tests/{case.name}", part="data")
    turbo, reference = shape_results(engine, "turbo"), shape_results(engine, "pyshacl")
    assert reference, "each case has violations, so parity is not trivially empty"
    assert keyed(turbo) == keyed(reference)


@pytest.mark.slow
def test_parity_on_the_bundled_graph_and_examples() -> None:
    for parts in (("ontology", "examples", "shapes"), ("ontology", "data", "shapes")):
        engine = load_project(find_project(str(REPO)), parts=parts)
        assert keyed(shape_results(engine, "turbo")) == keyed(shape_results(engine, "pyshacl"))
