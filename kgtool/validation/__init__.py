"""The validation room: reading submissions safely, SHACL, SPARQL constraints, hygiene
checks, submission scoping, the curator, and the report model with its renderers.
May import: query (to read check files), the engine and the leaves; not export, not ingest.
Public: the names in ``__all__``.
"""

from kgtool.validation.checks import check_results, load_checks
from kgtool.validation.reading import (
    DEFAULT_MAX_SIZE,
    INPUT_FORMATS,
    Submission,
    parse_bytes,
    read_submission,
    read_submissions,
)
from kgtool.validation.render import render_report, render_summary
from kgtool.validation.report import (
    ENGINES,
    FAIL_ON,
    SEVERITIES,
    ValidationReport,
    ValidationResult,
)
from kgtool.validation.run import validate
from kgtool.validation.scoping import validate_submission
from kgtool.validation.shacl import shape_results, validate_engine

__all__ = [
    "DEFAULT_MAX_SIZE", "ENGINES", "FAIL_ON", "INPUT_FORMATS", "SEVERITIES", "Submission",
    "ValidationReport", "ValidationResult", "check_results", "load_checks", "parse_bytes",
    "read_submission", "read_submissions", "render_report", "render_summary", "shape_results",
    "validate",
    "validate_engine", "validate_submission",
]
