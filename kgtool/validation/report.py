"""The validation report: typed results in a stable order, the verdict and its counts.

Two verdicts, kept apart. ``conforms`` is SHACL's (3.6.1): true only when there is no
result at all, whatever its severity. ``passes(fail_on)`` is the exit-code policy: a
violation fails; a warning is shown and fails only with ``--fail-on warning``.

>>> SEVERITIES["Warning"] < SEVERITIES["Violation"]
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ENGINES = ("turbo", "pyshacl")
SEVERITIES = {"Info": 0, "Warning": 1, "Violation": 2}
FAIL_ON = {"violation": 2, "warning": 1, "info": 0}

def focus_key(node) -> str:
    """How a result names its focus node (a pyoxigraph or rdflib term): an IRI as itself,
    a blank node as ``_:id`` (no IRI starts with ``_:``, so the two never meet).

    >>> import pyoxigraph as ox
    >>> focus_key(ox.BlankNode("b1")), focus_key(ox.NamedNode("https://e.org/a"))
    ('_:b1', 'https://e.org/a')
    """
    import pyoxigraph as ox
    import rdflib

    if isinstance(node, ox.BlankNode):
        return "_:" + node.value
    if isinstance(node, rdflib.BNode):
        return "_:" + str(node)
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def report_term(node) -> str:
    """A report term (an rdflib term or None) in N3, with ``"x"^^xsd:string`` written ``"x"``
    (the same RDF term).

    >>> import rdflib
    >>> report_term(rdflib.Literal("x", datatype=rdflib.XSD.string)), report_term(None)
    ('"x"', '')
    """
    import rdflib

    if node is None:
        return ""
    if isinstance(node, rdflib.Literal) and node.datatype == rdflib.XSD.string:
        node = rdflib.Literal(str(node))
    return node.n3()


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One problem: where (focus, path, value), how bad, what to do, and which rule said so
    (``shape``, and ``component``: the IRI of its ``sh:sourceConstraintComponent``).

    A blank-node focus is written ``_:id`` (see :func:`focus_key`), an IRI as itself.
    """

    focus: str
    path: str
    value: str
    severity: str
    message: str
    shape: str
    component: str = ""
    focus_label: str = field(default="", compare=False)


@dataclass
class ValidationReport:
    """Results in a stable order (by focus node, then path, value and message)."""

    results: list[ValidationResult]
    checked: int = 0
    known: int = 0  # results left out: the graph had them before the submission

    def __post_init__(self) -> None:
        self.results = sorted(set(self.results))

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def conforms(self) -> bool:
        """SHACL's ``sh:conforms``: true only when there are no results at all."""
        return not self.results

    def passes(self, fail_on: str = "violation") -> bool:
        """The exit-code policy: true when no result reaches the ``fail_on`` severity."""
        floor = FAIL_ON[fail_on]
        return all(SEVERITIES[r.severity] < floor for r in self.results)

    def verdict(self, fail_on: str = "violation") -> str:
        """Both verdicts in words: ``Conforms``, ``Passes, with warnings or notes
        (sh:conforms false)`` or ``Does not conform``."""
        if self.conforms:
            return "Conforms"
        return ("Passes, with warnings or notes (sh:conforms false)" if self.passes(fail_on)
                else "Does not conform")

    def summary(self, fail_on: str = "violation") -> str:
        """One line: verdict and counts.

        >>> ValidationReport([], checked=3).summary()
        'Conforms: 3 nodes checked, 0 violations, 0 warnings, 0 infos.'
        """
        verdict = self.verdict(fail_on)
        known = (f"; {self.known} result{'s' * (self.known != 1)} already in the graph before "
                 "this submission not shown") if self.known else ""
        return (f"{verdict}: {self.checked} nodes checked, {self.count('Violation')} violations, "
                f"{self.count('Warning')} warnings, {self.count('Info')} infos{known}.")

    def grouped(self) -> list[tuple[str, str, list[ValidationResult]]]:
        """Results grouped by focus node: (focus, label, results)."""
        groups: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            groups.setdefault(r.focus, []).append(r)
        return [(f, rs[0].focus_label, rs) for f, rs in groups.items()]

    def as_dict(self, fail_on: str = "violation") -> dict:
        return {
            "conforms": self.conforms,
            "passes": self.passes(fail_on),
            "failOn": fail_on,
            "summary": self.summary(fail_on),
            "counts": {s: self.count(s) for s in ("Violation", "Warning", "Info")},
            "nodesChecked": self.checked,
            "alreadyInGraph": self.known,
            "results": [asdict(r) for r in self.results],
        }

