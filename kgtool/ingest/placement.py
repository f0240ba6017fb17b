"""Where each node of a submission goes in data/: the file that holds it, or the file where
most nodes like it are (same class and, for organisations, the same side; for spacecraft the
same operator's nation), else a collection file by class.

>>> collection_fallback(SC + "Signing", None)
'agreements.ttl'
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kgtool.engine import GRAPH_BASE, EmbeddedStore
from kgtool.errors import KgtoolError
from kgtool.validation import Submission
from kgtool.vocab import RDF_TYPE, SC

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
