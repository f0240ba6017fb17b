"""The ``sh:sourceConstraintComponent`` of every result (SHACL 3.6.2).

Shapes' results carry the component the SHACL engine names (``sh:MinCountConstraintComponent``,
``sh:SPARQLConstraintComponent``...). The rules kgtool runs outside SHACL get components of the
project's shapes namespace, declared in ``components.ttl`` next to this module: one per curator
rule, and one for every hygiene check (each check is then told apart by its
``sh:sourceShape``, ``scsh:Check-<name>``).

>>> rule_component("unknownReference")
'https://w3id.org/spacecoop/shapes/UnknownReferenceConstraintComponent'
>>> check_shape("undefined-references")
'https://w3id.org/spacecoop/shapes/Check-undefined-references'
"""

from __future__ import annotations

from pathlib import Path

from kgtool.vocab import SH, SPACECOOP

SCSH = SPACECOOP + "shapes/"
RULE = SCSH + "Curation-"
CHECK_COMPONENT = SCSH + "HygieneCheckConstraintComponent"
SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"
VOCABULARY = Path(__file__).with_name("components.ttl")


def rule_component(rule: str) -> str:
    """The component of the curator rule ``rule`` (``scsh:Curation-<rule>``)."""
    return f"{SCSH}{rule[:1].upper()}{rule[1:]}ConstraintComponent"


def check_shape(name: str) -> str:
    """The ``sh:sourceShape`` IRI of the hygiene check ``queries/checks/<name>.rq``."""
    return f"{SCSH}Check-{name}"
