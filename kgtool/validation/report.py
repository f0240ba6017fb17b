"""The validation report: typed results in a stable order, the verdict and its counts.

Severities: a violation fails; a warning is shown and fails only with ``--fail-on warning``.

>>> SEVERITIES["Warning"] < SEVERITIES["Violation"]
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ENGINES = ("turbo", "pyshacl")
SEVERITIES = {"Info": 0, "Warning": 1, "Violation": 2}
FAIL_ON = {"violation": 2, "warning": 1, "info": 0}

@dataclass(frozen=True, order=True)
class ValidationResult:
    """One problem: where (focus, path, value), how bad, what to do, and which rule said so."""

    focus: str
    path: str
    value: str
    severity: str
    message: str
    shape: str
    focus_label: str = field(default="", compare=False)


@dataclass
class ValidationReport:
    """Results in a stable order (by focus node, then path, value and message)."""

    results: list[ValidationResult]
    checked: int = 0

    def __post_init__(self) -> None:
        self.results = sorted(set(self.results))

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def conforms(self, fail_on: str = "violation") -> bool:
        """True when no result reaches the ``fail_on`` severity."""
        floor = FAIL_ON[fail_on]
        return all(SEVERITIES[r.severity] < floor for r in self.results)

    def summary(self, fail_on: str = "violation") -> str:
        """One line: verdict and counts.

        >>> ValidationReport([], checked=3).summary()
        'Conforms: 3 nodes checked, 0 violations, 0 warnings, 0 infos.'
        """
        verdict = "Conforms" if self.conforms(fail_on) else "Does not conform"
        return (f"{verdict}: {self.checked} nodes checked, {self.count('Violation')} violations, "
                f"{self.count('Warning')} warnings, {self.count('Info')} infos.")

    def grouped(self) -> list[tuple[str, str, list[ValidationResult]]]:
        """Results grouped by focus node: (focus, label, results)."""
        groups: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            groups.setdefault(r.focus, []).append(r)
        return [(f, rs[0].focus_label, rs) for f, rs in groups.items()]

    def as_dict(self, fail_on: str = "violation") -> dict:
        return {
            "conforms": self.conforms(fail_on),
            "summary": self.summary(fail_on),
            "counts": {s: self.count(s) for s in ("Violation", "Warning", "Info")},
            "nodesChecked": self.checked,
            "results": [asdict(r) for r in self.results],
        }

