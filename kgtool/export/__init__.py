"""The export room: the format registry and its writers, canonical Turtle, JSON-LD with the
project context, atomic files and ``fmt``.
May import: query (to run ``export --query`` under a deadline), the engine and the leaves.
Public: the names in ``__all__``.
"""

from kgtool.export.fmt import format_files, open_atomic, turtle_files
from kgtool.export.jsonld import dumps, to_jsonld
from kgtool.export.turtle import canonical_turtle, parse_turtle
from kgtool.export.writers import FORMATS, PARTS, Settings, export, resolve_parts, select

__all__ = [
    "FORMATS", "PARTS", "Settings", "canonical_turtle", "dumps", "export", "format_files",
    "open_atomic", "parse_turtle", "resolve_parts", "select", "to_jsonld", "turtle_files",
]
