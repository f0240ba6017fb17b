"""Merge an accepted submission into data/: validated first, all files or none, recorded.

Under a lock (``data/.kgtool.lock``) the project is loaded afresh and the submission
validated; anything that does not conform is refused and data/ is not touched. Each new
subject goes to a collection file by its class (:mod:`kgtool.ingest.placement`); facts
about an existing node go to the file that holds it. Every changed file is written in
canonical Turtle, all or none (:mod:`kgtool.ingest.files`). Each ingest is recorded in
PROV-O in ``data/submissions.ttl``.

>>> record_triples(datetime(2026, 1, 2, tzinfo=UTC), ["x.ttl"], [], None, "ab" * 8)[0].subject
<NamedNode value=https://w3id.org/spacecoop/id/ingest/20260102-000000-abababab>
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kgtool.engine import graph_iri, load_project
from kgtool.errors import KgtoolError
from kgtool.export import canonical_turtle, parse_turtle
from kgtool.ingest.files import recover, write_files
from kgtool.ingest.placement import Placement
from kgtool.journal import data_lock, reading
from kgtool.prefixes import PrefixMap, read_context
from kgtool.sources import SourceKinds
from kgtool.validation import (
    Submission,
    ValidationReport,
    load_checks,
    read_submissions,
    validate_submission,
)
from kgtool.vocab import ID, PROV, RDF_TYPE, XSD
from kgtool.vocab import RDFS_LABEL as LABEL

VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
RECORDS = "submissions.ttl"


@dataclass(frozen=True)
class FileChange:
    """The triples an ingest adds to one file of data/ (``created``: the file is new)."""

    path: str
    added: tuple[ox.Triple, ...]
    created: bool = False


@dataclass
class IngestResult:
    """What an ingest did: the validation report, and the files it changed (or would)."""

    report: ValidationReport
    changes: list[FileChange] = field(default_factory=list)
    dry_run: bool = False
    record: str | None = None
    recorded: tuple[ox.Triple, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.report.passes()

def record_triples(when: datetime, files: Iterable[str], changes: list[FileChange],
                   contributor: str | None, digest: str) -> list[ox.Triple]:
    """The PROV-O record of one ingest: a prov:Activity with what it used and generated."""
    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    activity = iri(f"{ID}ingest/{when.strftime('%Y%m%d-%H%M%S')}-{digest[:8]}")
    a, label = iri(RDF_TYPE), iri(LABEL)
    names = ", ".join(files)
    out = [ox.Triple(activity, a, iri(PROV + "Activity")),
           ox.Triple(activity, label, ox.Literal(f"Ingest of {names} ({stamp})", language="en")),
           ox.Triple(activity, iri(PROV + "startedAtTime"),
                     ox.Literal(stamp, datatype=iri(XSD + "dateTime")))]
    if contributor:
        agent = ox.BlankNode()
        out += [ox.Triple(activity, iri(PROV + "wasAssociatedWith"), agent),
                ox.Triple(agent, a, iri(PROV + "Agent")),
                ox.Triple(agent, label, ox.Literal(contributor))]
    for name in files:
        used = ox.BlankNode()
        out += [ox.Triple(activity, iri(PROV + "used"), used),
                ox.Triple(used, a, iri(PROV + "Entity")), ox.Triple(used, label, ox.Literal(name))]
    for change in changes:
        made = ox.BlankNode()
        out += [ox.Triple(activity, iri(PROV + "generated"), made),
                ox.Triple(made, a, iri(PROV + "Entity")),
                ox.Triple(made, iri(PROV + "specializationOf"), iri(graph_iri(change.path))),
                ox.Triple(made, iri(VOID_TRIPLES), ox.Literal(str(len(change.added)),
                                                              datatype=iri(XSD + "integer")))]
    return out

def _render(triples: list[ox.Triple], prefixes: PrefixMap, display: str) -> str:
    """Canonical Turtle, checked by parsing it back."""
    text = canonical_turtle(triples, prefixes)
    again = parse_turtle(text, display)
    if len(set(again)) != len(set(triples)):
        raise KgtoolError(f"{display}: the canonical form would change the triples",
                          hint="nothing was written; please report this as a kgtool bug")
    return text


def recover_project(project) -> bool:
    """``kgtool ingest --recover``: roll back an interrupted ingest, under the lock."""
    try:
        with data_lock(project.data_dir):
            return recover(project.data_dir)
    except OSError as error:
        raise KgtoolError(f"cannot recover data/ ({error})",
                          hint="check the permissions of data/ and retry") from None


def ingest(project, paths: list[str], *, dry_run: bool = False, contributor: str | None = None,
           **read_options) -> IngestResult:
    """Validate the submission files and, when they conform, merge them into data/.

    ``read_options`` go to :func:`kgtool.validation.read_submissions` (fmt, max_size,
    stdin).
    """
    context = read_context(project.context_path)
    submission = read_submissions(paths, context=context, **read_options)
    try:
        if dry_run:  # read-only: no exclusive lock, no recovery, no journal followed
            with reading(project.data_dir):
                return _merge(project, submission, dry_run, contributor)
        with data_lock(project.data_dir):
            recover(project.data_dir)
            return _merge(project, submission, dry_run, contributor)
    except OSError as error:
        raise KgtoolError(f"cannot update data/ ({error})",
                          hint="check the permissions of data/ and retry") from None


def _merge(project, submission: Submission, dry_run: bool, contributor: str | None
           ) -> IngestResult:
    """Validate, place and write, holding the lock."""
    data_dir = project.data_dir
    engine = load_project(project)
    prefixes = PrefixMap.from_context(project.context_path)
    report = validate_submission(engine, submission, load_checks(project), prefixes=prefixes,
                                 kinds=SourceKinds.load(data_dir))
    result = IngestResult(report, dry_run=dry_run)
    if not result.accepted:
        return result
    plan = engine.extended(lambda union: Placement(engine, union).plan(submission),
                           triples=submission.triples)
    result.changes = [FileChange(f"data/{name}", tuple(plan[name]),
                                 not (data_dir / name).exists()) for name in sorted(plan)]
    if dry_run or not plan:
        return result
    when = datetime.now(UTC).replace(microsecond=0)
    digest = hashlib.sha256(repr(sorted(map(str, submission.triples))).encode()).hexdigest()
    record = record_triples(when, [Path(f).name for f in submission.files], result.changes,
                            contributor, digest)
    result.record, result.recorded = record[0].subject.value, tuple(record)
    plan.setdefault(RECORDS, []).extend(record)
    texts = {}
    for name, added in plan.items():
        path = data_dir / name
        old = parse_turtle(path.read_bytes(), f"data/{name}") if path.exists() else []
        texts[name] = _render(old + added, prefixes, f"data/{name}")
    write_files(data_dir, texts)
    return result
