"""``kgtool validate``: the whole graph, the contributor templates, or submission files in
the context of the graph, as one report.

>>> from kgtool.project import find_project
>>> from kgtool.engine import load_project
>>> project = find_project()
>>> validate(project, load_project(project), checks=False).checked > 0
True
"""

from __future__ import annotations

from collections.abc import Sequence

from kgtool.engine import Engine, load_project
from kgtool.errors import UsageError
from kgtool.prefixes import PrefixMap, read_context
from kgtool.project import Project
from kgtool.sources import SourceKinds
from kgtool.validation.checks import load_checks
from kgtool.validation.reading import DEFAULT_MAX_SIZE, read_submissions
from kgtool.validation.report import ValidationReport
from kgtool.validation.scoping import validate_submission
from kgtool.validation.shacl import validate_engine


def validate(project: Project, engine: Engine, paths: Sequence[str] = (), *,
             fmt: str | None = None, max_size: int = DEFAULT_MAX_SIZE, checks: bool = True,
             examples: bool = False, shacl: str = "turbo") -> ValidationReport:
    """Validate ``paths`` as one submission against ``engine``'s graph, or without paths the
    whole graph (``examples``: ``ontology/examples`` instead of data/), with the SHACL
    engine ``shacl`` and, unless ``checks`` is False, the hygiene checks."""
    if paths and (examples or shacl != "turbo"):
        raise UsageError("--examples and --engine apply to the whole graph, not to PATHs",
                         hint="leave out the PATHs, or the option")
    rules = load_checks(project) if checks else []
    if paths:
        context = read_context(project.context_path)
        submission = read_submissions(paths, context=context, fmt=fmt, max_size=max_size)
        return validate_submission(engine, submission, rules,
                                   prefixes=PrefixMap.from_context(project.context_path),
                                   kinds=SourceKinds.load(project.data_dir))
    if examples:
        engine = load_project(project, parts=("ontology", "examples", "shapes"))
    return validate_engine(engine, rules, shacl=shacl)
