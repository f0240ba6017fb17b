"""Hygiene checks: the queries in ``queries/checks/``, each row a result, zero rows a pass.

>>> from kgtool.project import find_project
>>> "duplicate-labels" in [c.name for c in load_checks(find_project())]
True
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox

from kgtool.engine import EmbeddedStore, Solutions
from kgtool.errors import InputError
from kgtool.project import Project
from kgtool.query.catalogue import NamedQuery, read_query
from kgtool.validation.components import CHECK_COMPONENT
from kgtool.validation.report import ValidationResult, focus_key


def load_checks(project: Project) -> list[NamedQuery]:
    """The hygiene checks, ``queries/checks/*.rq``, each with the form it takes when ``?focus``
    is bound (``queries/checks/focused/<name>.rq``), where one is written."""
    folder = project.queries_dir / "checks"
    checks = []
    for path in sorted(folder.glob("*.rq")):
        check = read_query(path, project.relative(path))
        focused = folder / "focused" / path.name
        if focused.is_file():
            check = replace(check, focused=read_query(focused, project.relative(focused)).text)
        checks.append(check)
    return checks


def check_results(engine: EmbeddedStore, checks, focus: set[str] | None = None
                  ) -> list[ValidationResult]:
    """Run each hygiene check (a NamedQuery) over ontology, shapes and data; rows are results.

    ``focus`` keeps only rows about those IRIs; each check then runs once with ``?focus``
    bound to them by a VALUES block, in its focused form if it has one (``check.focused``),
    which reads far less than a run over the whole graph.
    """
    from kgtool.engine.bindings import with_value_rows

    results = []
    for check in checks:
        text = check.text if focus is None else with_value_rows(
            check.focused or check.text, "focus", [ox.NamedNode(iri) for iri in sorted(focus)])
        answer = engine.query(text, parts=("ontology", "data", "shapes"), display=check.display)
        if not isinstance(answer, Solutions) or "focus" not in answer.variables:
            raise InputError(f"{check.display}: a check must be a SELECT with a ?focus column",
                             hint="see 'hygiene check' in CONTRIBUTING.md")
        for row in answer.rows:
            cells = dict(zip(answer.variables, row, strict=True))
            if focus is not None and cells["focus"].value not in focus:
                continue
            shown = {name: "" if cells.get(name) is None else str(cells[name])
                     for name in ("path", "value")}
            results.append(ValidationResult(
                focus=focus_key(cells["focus"]), severity=check.severity,
                message=check.summary, shape=check.name, component=CHECK_COMPONENT, **shown,
            ))
    return results

