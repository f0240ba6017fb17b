"""Merge an accepted submission into data/: validated first, all files or none, recorded.

Under a lock (``data/.kgtool.lock``) the project is loaded afresh and the submission
validated; anything that does not conform is refused and data/ is not touched. Each new
subject goes to a collection file by its class (:func:`placement`); facts about an existing
node go to the file that holds it. Every changed file is written in canonical Turtle to a
temporary file in data/ and fsynced; a journal (``data/.kgtool-journal.json``) lists the
backups; then each file is renamed into place. If anything fails every file is restored,
and a journal left by a crash is rolled back by the next ingest. Each ingest is recorded
in PROV-O in ``data/submissions.ttl``.

>>> collection_fallback(SC + "Signing", None)
'agreements.ttl'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import KgtoolError
from kgtool.journal import JOURNAL, NEW, OLD, data_lock, read_journal, reading
from kgtool.prefixes import PrefixMap
from kgtool.store import GRAPH_BASE, EmbeddedStore, graph_iri
from kgtool.submission import Submission
from kgtool.validate import ValidationReport
from kgtool.vocab import ID, PROV, RDF_TYPE, SC, XSD
from kgtool.vocab import RDFS_LABEL as LABEL

VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
RECORDS = "submissions.ttl"
_FALLBACK = {"Nation": "nations.ttl", "IntergovernmentalOrganization": "bodies.ttl",
             "Membership": "bodies.ttl", "Agreement": "agreements.ttl",
             "BilateralAgreement": "agreements.ttl", "MultilateralAgreement": "agreements.ttl",
             "Signing": "agreements.ttl", "Person": "people.ttl", "Spaceflight": "people.ttl",
             "LaunchVehicle": "launch-vehicles.ttl", "LaunchSite": "launch-vehicles.ttl",
             "NationReview": "reviews.ttl", "CatalogueExclusion": "reviews.ttl",
             "Financing": "financing.ttl"}
_KEYS = f"""PREFIX sc: <{SC}>
SELECT ?s ?top ?key WHERE {{
  VALUES ?top {{ sc:Organization sc:Spacecraft sc:Mission }}
  ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?top .
  FILTER NOT EXISTS {{ ?s a sc:IntergovernmentalOrganization }}
  OPTIONAL {{ ?s sc:belongsToNation ?nation }}
  OPTIONAL {{ ?s sc:operatedBy/sc:belongsToNation ?operator }}
  BIND (IF(?top = sc:Organization,
           IF(EXISTS {{ ?m sc:hasMember ?nation ;
                         sc:inOrganization <https://w3id.org/spacecoop/id/body/oic> }},
              "oic", "partner"),
           COALESCE(STR(?operator), "")) AS ?key)
}}"""


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

    @property
    def accepted(self) -> bool:
        return self.report.conforms()


def collection_fallback(cls: str, key: str | None) -> str | None:
    """The file for a class when no file of data/ holds a node like it yet.

    >>> collection_fallback(SC + "SpaceAgency", "oic"), collection_fallback(SC + "Satellite",
    ...     "https://w3id.org/spacecoop/id/nation/omn")
    ('agencies.ttl', 'spacecraft-omn.ttl')
    """
    if key in ("oic", "partner"):
        return "agencies.ttl" if key == "oic" else "partners.ttl"
    if key is not None:
        return f"spacecraft-{key.rsplit('/', 1)[-1] or 'other'}.ttl"
    return _FALLBACK.get(cls.removeprefix(SC))


class Placement:
    """Decides the data/ file of each subject of a submission.

    An existing node stays in the file that holds its rdf:type. A new node goes where most
    nodes like it already are: of the same class and, for organisations, the same side
    (of an OIC member state or not), for spacecraft and missions the same operator's
    nation; a launch goes with its payload; a blank node with the node that refers to it.
    """

    def __init__(self, engine: EmbeddedStore, union: EmbeddedStore) -> None:
        self.engine = engine
        self.home: dict[ox.NamedNode, str] = {}
        for g in reversed(engine.default_graph(("data",))):
            for q in engine.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, g):
                self.home[q.subject] = g.value.removeprefix(GRAPH_BASE + "data/")
        self.keys = {s: (top.value, key.value) for s, top, key in union.query(_KEYS).rows}
        self.counts: dict[tuple, dict[str, int]] = {}
        for s, (top, key) in self.keys.items():
            if s in self.home:
                for cls in [*self.types(s), top]:
                    bucket = self.counts.setdefault((cls, key), {})
                    bucket[self.home[s]] = bucket.get(self.home[s], 0) + 1
        for s, file in self.home.items():
            for cls in self.types(s):
                bucket = self.counts.setdefault((cls, None), {})
                bucket[file] = bucket.get(file, 0) + 1

    def types(self, node) -> list[str]:
        """The spacecoop classes a node has in data/."""
        return sorted(q.object.value for g in self.engine.default_graph(("data",))
                      for q in self.engine.store.quads_for_pattern(
                          node, ox.NamedNode(RDF_TYPE), None, g)
                      if q.object.value.startswith(SC))

    def file_for(self, node, triples: list[ox.Triple], planned: dict) -> str:
        """The file for one subject, given its triples and the files already planned."""
        if node in self.home:
            return self.home[node]
        if not isinstance(node, ox.NamedNode):
            raise KgtoolError("cannot place a blank node that no IRI refers to",
                              hint="give the node an IRI under https://w3id.org/spacecoop/id/")
        classes = sorted(t.object.value for t in triples
                         if t.predicate.value == RDF_TYPE and t.object.value.startswith(SC))
        payloads = [t.object for t in triples if t.predicate.value == SC + "hasPayload"]
        if SC + "Launch" in classes and payloads:
            first = sorted(payloads, key=str)[0]
            return planned.get(first) or self.home.get(first) or self.file_for(first, [], {})
        top, key = self.keys.get(node, (None, None))
        for cls in [*classes, top]:
            bucket = self.counts.get((cls, key), {})
            if bucket:
                return max(sorted(bucket), key=bucket.get)
        for cls in classes:
            fallback = collection_fallback(cls, key)
            if fallback:
                return fallback
        raise KgtoolError(f"cannot decide the data/ file for <{node.value}>",
                          hint="give it a class of the spacecoop ontology (rdf:type sc:...)")

    def plan(self, submission: Submission) -> dict[str, list[ox.Triple]]:
        """data/ file name -> the submission's triples that are not in the graph yet."""
        by_subject: dict[object, list[ox.Triple]] = {}
        for t in submission.triples:
            by_subject.setdefault(t.subject, []).append(t)
        owner = _blank_owners(submission.triples)
        planned: dict[object, str] = {}
        order = sorted(by_subject, key=lambda s: (SC + "Launch" in {
            t.object.value for t in by_subject[s] if t.predicate.value == RDF_TYPE}, str(s)))
        for s in order:
            if not isinstance(s, ox.BlankNode):
                planned[s] = self.file_for(s, by_subject[s], planned)
        for s in by_subject:
            if isinstance(s, ox.BlankNode):
                planned[s] = planned.get(owner.get(s)) or self.file_for(s, by_subject[s], planned)
        plan: dict[str, list[ox.Triple]] = {}
        for t in submission.triples:
            if isinstance(t.subject, ox.BlankNode) or not self._known(t):
                plan.setdefault(planned[t.subject], []).append(t)
        return plan

    def _known(self, t: ox.Triple) -> bool:
        return any(True for g in self.engine.default_graph(("ontology", "data"))
                   for _ in self.engine.store.quads_for_pattern(t.subject, t.predicate,
                                                                t.object, g))


def _blank_owners(triples: Iterable[ox.Triple]) -> dict:
    """For each blank node, the IRI subject that refers to it (through other blank nodes)."""
    parent = {t.object: t.subject for t in triples if isinstance(t.object, ox.BlankNode)}
    owners = {}
    for node in parent:
        seen, up = {node}, parent[node]
        while isinstance(up, ox.BlankNode) and up in parent and up not in seen:
            seen.add(up)
            up = parent[up]
        if isinstance(up, ox.NamedNode):
            owners[node] = up
    return owners


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


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(data_dir: Path) -> bool:
    """Roll back an interrupted ingest from its journal; True when there was one.

    Restartable at every step: a backup already moved back is skipped, so a recovery
    killed half-way and run again restores the same files. The journal goes last, then
    the leftover copies. Its entries are checked first (:func:`kgtool.journal.read_journal`):
    one that names a file outside data/ stops everything before a file is touched.
    """
    entries = read_journal(data_dir)
    if entries is not None:
        for entry in entries:
            target = data_dir / entry["target"]
            if entry["backup"] is None:
                target.unlink(missing_ok=True)
            elif (data_dir / entry["backup"]).exists():
                os.replace(data_dir / entry["backup"], target)
        _sync_dir(data_dir)
        (data_dir / JOURNAL).unlink()
        _sync_dir(data_dir)
    for leftover in [*data_dir.glob("*" + NEW), *data_dir.glob("*" + OLD)]:
        leftover.unlink()
    _sync_dir(data_dir)
    return entries is not None


def write_files(data_dir: Path, texts: dict[str, str]) -> None:
    """Replace several files of ``data_dir``: every one changes, or none does."""
    entries = []
    try:
        for name in sorted(texts):
            target = data_dir / name
            _write_synced(data_dir / f".{name}{NEW}", texts[name].encode("utf-8"))
            backup = f".{name}{OLD}" if target.exists() else None
            if backup:
                _write_synced(data_dir / backup, target.read_bytes())
            entries.append({"target": name, "backup": backup, "new": f".{name}{NEW}"})
        _write_synced(data_dir / (JOURNAL + NEW), json.dumps(entries).encode("utf-8"))
        _sync_dir(data_dir)
        os.rename(data_dir / (JOURNAL + NEW), data_dir / JOURNAL)
        _sync_dir(data_dir)
        for entry in entries:
            os.replace(data_dir / entry["new"], data_dir / entry["target"])
        _sync_dir(data_dir)
        (data_dir / JOURNAL).unlink()
    except BaseException as error:
        recover(data_dir)
        if isinstance(error, OSError):
            raise KgtoolError(f"could not write data/ ({error}); every file was restored",
                              hint="check the free space and permissions of data/ and retry"
                              ) from None
        raise
    recover(data_dir)  # removes the backups


def _render(triples: list[ox.Triple], prefixes: PrefixMap, display: str) -> str:
    """Canonical Turtle, checked by parsing it back."""
    from kgtool.turtle import canonical_turtle, parse_turtle

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

    ``read_options`` go to :func:`kgtool.submission.read_submissions` (fmt, max_size, stdin).
    """
    from kgtool.jsonld import read_json
    from kgtool.submission import read_submissions

    context = read_json(project.context_path, "JSON-LD context")["@context"]
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
    from kgtool.queries import load_checks
    from kgtool.scoping import validate_submission
    from kgtool.store import load_project
    from kgtool.turtle import parse_turtle

    data_dir = project.data_dir
    engine = load_project(project)
    prefixes = PrefixMap.from_context(project.context_path)
    report = validate_submission(engine, submission, load_checks(project), prefixes=prefixes)
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
    result.record = record[0].subject.value
    plan.setdefault(RECORDS, []).extend(record)
    texts = {}
    for name, added in plan.items():
        path = data_dir / name
        old = parse_turtle(path.read_bytes(), f"data/{name}") if path.exists() else []
        texts[name] = _render(old + added, prefixes, f"data/{name}")
    write_files(data_dir, texts)
    return result
