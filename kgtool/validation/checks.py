"""Hygiene checks: the queries in ``queries/checks/``, each row a result, zero rows a pass.

>>> from kgtool.project import find_project
>>> "duplicate-labels" in [c.name for c in load_checks(find_project())]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from weakref import WeakKeyDictionary

import pyoxigraph as ox

from kgtool.engine import EmbeddedStore, Solutions
from kgtool.engine.labels import ENGLISH
from kgtool.errors import InputError
from kgtool.project import Project, file_version
from kgtool.query.catalogue import NamedQuery, read_query
from kgtool.validation.components import CHECK_COMPONENT
from kgtool.validation.report import ValidationResult, focus_key
from kgtool.vocab import RDFS_LABEL

_LABELS: WeakKeyDictionary = WeakKeyDictionary()
_CHECKS: dict[tuple, list[NamedQuery]] = {}


def load_checks(project: Project) -> list[NamedQuery]:
    """The hygiene checks, ``queries/checks/*.rq``, each with the form it takes when ``?focus``
    is bound (``queries/checks/focused/<name>.rq``), where one is written; parsed again only
    when a file changes (a server validates many submissions)."""
    folder = project.queries_dir / "checks"
    paths = sorted(folder.glob("*.rq")) + sorted((folder / "focused").glob("*.rq"))
    key = tuple((str(p), *file_version(p)) for p in paths)
    if key in _CHECKS:
        return list(_CHECKS[key])
    checks = []
    for path in sorted(folder.glob("*.rq")):
        check = read_query(path, project.relative(path))
        focused = folder / "focused" / path.name
        if focused.is_file():
            check = replace(check, focused=read_query(focused, project.relative(focused)).text)
        checks.append(check)
    if len(_CHECKS) >= 4:
        _CHECKS.clear()
    _CHECKS[key] = checks
    return list(checks)


def english_labels(engine: EmbeddedStore) -> dict[str, set]:
    """The nodes of the engine's ontology and data by English label (any ``en`` tag), lower
    case: read once per engine and its graphs (a server's store does not change), so that
    a submission's labels are looked up, not compared with every label of the graph.

    >>> store = EmbeddedStore()
    >>> store.load_text('<https://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...                 '"Nile"@en-GB .', "data/x.nt", part="data")
    >>> english_labels(store)
    {'nile': {<NamedNode value=https://e.org/a>}}
    """
    key = tuple(engine.default_graph())
    cached = _LABELS.get(engine)
    if cached is None or cached[0] != key:
        index: dict[str, set] = {}  # the store's own solutions: no typed rows for 10^5 labels
        for node, label in engine.store.query(ENGLISH, default_graph=list(key)):
            index.setdefault(label.value.lower(), set()).add(node)
        cached = _LABELS[engine] = (key, index)
    return cached[1]


def label_nodes(engine: EmbeddedStore, keys) -> dict[str, set]:
    """The nodes of the engine's ontology and data with each of ``keys`` (lower-cased) as
    an English label: from an on-disk store's index (:mod:`kgtool.engine.labels`), else
    from :func:`english_labels`.

    >>> label_nodes(EmbeddedStore(), ["nile"])
    {}
    """
    index = getattr(engine, "labels", None)
    if index is not None:
        return index.nodes(keys)
    labels = english_labels(engine)
    return {k: labels[k] for k in keys if k in labels}


def same_label_nodes(existing: EmbeddedStore, union: EmbeddedStore, focus: set[str],
                     triples: Iterable[ox.Triple]) -> set:
    """Every node of ``union`` (``existing`` with the submission ``triples`` and the shapes)
    with an English label that, lower-cased, is one of the ``focus`` nodes': the only nodes
    that ``duplicate-labels`` can pair them with."""
    from kgtool.engine.bindings import with_value_rows

    if not focus:
        return set()
    rows = union.query(with_value_rows(ENGLISH.replace("?s", "?focus"), "focus", [
        ox.NamedNode(iri) for iri in sorted(focus)]), parts=("ontology", "data", "shapes")).rows
    keys = {label.value.lower() for _, label in rows}
    found = {n for nodes in label_nodes(existing, keys).values() for n in nodes}
    found |= {t.subject for t in triples if t.predicate.value == RDFS_LABEL and isinstance(
        t.object, ox.Literal) and t.object.value.lower() in keys}
    found |= {n for n, label in union.query(ENGLISH, parts=("shapes",)).rows
              if label.value.lower() in keys}
    return found


def check_results(engine: EmbeddedStore, checks, focus: set[str] | None = None,
                  candidates: Mapping[str, set] | None = None) -> list[ValidationResult]:
    """Run each hygiene check (a NamedQuery) over ontology, shapes and data; rows are results.

    ``focus`` keeps only rows about those IRIs; each check then runs once with ``?focus``
    bound to them by a VALUES block, in its focused form if it has one (``check.focused``),
    which reads far less than a run over the whole graph. ``candidates`` (check name ->
    nodes) names the only nodes a focused form's ``?value`` can be, bound by VALUES too
    (e.g. :func:`same_label_nodes` for ``duplicate-labels``).
    """
    from kgtool.engine.bindings import with_value_rows

    results = []
    for check in checks:
        text = check.text if focus is None else check.focused or check.text
        nodes = (candidates or {}).get(check.name)
        if (focus is not None and check.focused and nodes is not None
                and all(isinstance(n, ox.NamedNode) for n in nodes)):  # VALUES holds no _:b
            text = with_value_rows(text, "value", sorted(nodes, key=str))
        if focus is not None:
            text = with_value_rows(text, "focus", [ox.NamedNode(iri) for iri in sorted(focus)])
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

