"""The model that the docs site shows, read from the ontology files: the ontology header,
every class and property with its labels, definition, domain and range, super- and
subterms and alignments, and the SKOS concept schemes as trees.

Terms are the subjects typed ``owl:Class`` or one of the OWL property types in
``ontology/spacecoop.ttl``; alignments are the links to terms of other vocabularies
stated in ``ontology/alignments.ttl``.

>>> slug("https://w3id.org/spacecoop/ontology/Nation", "sc:Nation")
'Nation'
>>> slug("http://www.w3.org/ns/prov#Agent", "prov:Agent")
'prov-Agent'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.vocab import OWL, RDF_TYPE, RDFS, SC, SKOS

SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
PROPERTY_TYPES = {OWL + "ObjectProperty": "object", OWL + "DatatypeProperty": "datatype",
                  OWL + "AnnotationProperty": "annotation", OWL + "FunctionalProperty": ""}


class Triples:
    """Subject -> predicate -> objects (in a stable order), with the file of each triple."""

    def __init__(self, quads) -> None:
        self.out: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.files: dict[tuple, str] = {}
        for quad in quads:
            objects = self.out[quad.subject][quad.predicate.value]
            if quad.object not in objects:
                objects.append(quad.object)
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            self.files[(quad.subject, quad.predicate.value, quad.object)] = graph
        for objects in (o for p in self.out.values() for o in p.values()):
            objects.sort(key=str)

    def objects(self, subject, predicate: str) -> list:
        return self.out.get(subject, {}).get(predicate, [])

    def one(self, subject, predicate: str):
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def texts(self, subject, predicate: str) -> dict[str, str]:
        """Language tag -> text (the first per language)."""
        found: dict[str, str] = {}
        for term in self.objects(subject, predicate):
            if isinstance(term, ox.Literal):
                found.setdefault(term.language or "", term.value)
        return found

    def subjects(self, predicate: str, obj) -> list:
        return sorted((s for s, p in self.out.items() if obj in p.get(predicate, [])), key=str)

    def items(self, head) -> list:
        """The members of an RDF list."""
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        out = []
        while head is not None and head != ox.NamedNode(rdf + "nil"):
            first = self.one(head, rdf + "first")
            if first is None:
                break
            out.append(first)
            head = self.one(head, rdf + "rest")
        return out


def slug(iri: str, curie: str) -> str:
    """A file name for a term: the local name for spacecoop terms, else prefix-local."""
    if iri.startswith(SC):
        return iri[len(SC):]
    return curie.replace(":", "-").replace("/", "-") or "term"


@dataclass
class Term:
    iri: str
    curie: str
    kind: str  # class | property
    types: list[str]
    label: dict[str, str]
    definition: dict[str, str]
    defined_by: str | None
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    supers: list[str] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    alignments: list[tuple[str, str]] = field(default_factory=list)  # (relation, IRI)
    inverse: list[str] = field(default_factory=list)
    deprecated: bool = False

    @property
    def slug(self) -> str:
        return slug(self.iri, self.curie)

    @property
    def own(self) -> bool:
        return self.iri.startswith(SC)


@dataclass
class Concept:
    iri: str
    curie: str
    label: dict[str, str]
    definition: dict[str, str]
    narrower: list[Concept] = field(default_factory=list)


@dataclass
class Scheme:
    iri: str
    curie: str
    label: dict[str, str]
    definition: dict[str, str]
    top: list[Concept]
    count: int

    @property
    def slug(self) -> str:
        return self.curie.split(":", 1)[-1]


@dataclass
class Model:
    header: dict[str, object]
    terms: dict[str, Term]  # IRI -> term
    schemes: list[Scheme]

    def classes(self) -> list[Term]:
        return [t for t in self.terms.values() if t.kind == "class"]

    def properties(self) -> list[Term]:
        return [t for t in self.terms.values() if t.kind == "property"]


def _names(terms) -> list[str]:
    return [t.value for t in terms if isinstance(t, ox.NamedNode)]


def read_terms(graph: Triples, prefixes, alignment_file: str) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for subject in sorted((s for s in graph.out if isinstance(s, ox.NamedNode)), key=str):
        types = _names(graph.objects(subject, RDF_TYPE))
        kind = ("class" if OWL + "Class" in types else
                "property" if any(t in PROPERTY_TYPES for t in types) else None)
        if kind is None:
            continue
        sup = RDFS + ("subClassOf" if kind == "class" else "subPropertyOf")
        own_supers, aligned = [], []
        for target in _names(graph.objects(subject, sup)):
            in_alignments = graph.files.get((subject, sup, ox.NamedNode(target))) == alignment_file
            (aligned if in_alignments else own_supers).append(target)
        terms[subject.value] = Term(
            iri=subject.value, curie=prefixes.shorten(subject.value), kind=kind,
            types=[prefixes.shorten(t) for t in types], label=graph.texts(subject, RDFS + "label"),
            definition=graph.texts(subject, SKOS + "definition"),
            defined_by=next(iter(_names(graph.objects(subject, RDFS + "isDefinedBy"))), None),
            domain=_names(graph.objects(subject, RDFS + "domain"))
            + _names(graph.objects(subject, SCHEMA + "domainIncludes")),
            range=_names(graph.objects(subject, RDFS + "range"))
            + _names(graph.objects(subject, SCHEMA + "rangeIncludes")),
            supers=own_supers, alignments=[(prefixes.shorten(sup), a) for a in aligned],
            inverse=_names(graph.objects(subject, OWL + "inverseOf")),
            deprecated=any(o.value == "true" for o in graph.objects(subject, OWL + "deprecated")),
        )
    for term in terms.values():
        for parent in term.supers:
            if parent in terms:
                terms[parent].subs.append(term.iri)
    return terms


def read_schemes(graph: Triples, prefixes) -> list[Scheme]:
    scheme_type = ox.NamedNode(SKOS + "ConceptScheme")
    schemes = []
    for subject in graph.subjects(RDF_TYPE, scheme_type):
        members = graph.subjects(SKOS + "inScheme", subject)

        def concept(node, seen: frozenset = frozenset(), members=members) -> Concept:
            narrower = sorted({*graph.objects(node, SKOS + "narrower"),
                               *graph.subjects(SKOS + "broader", node)} - seen, key=str)
            return Concept(node.value, prefixes.shorten(node.value),
                           graph.texts(node, SKOS + "prefLabel"),
                           graph.texts(node, SKOS + "definition"),
                           [concept(n, seen | {node}) for n in narrower if n in members])

        tops = sorted(set(graph.objects(subject, SKOS + "hasTopConcept"))
                      | set(graph.subjects(SKOS + "topConceptOf", subject)), key=str)
        schemes.append(Scheme(subject.value, prefixes.shorten(subject.value),
                              graph.texts(subject, SKOS + "prefLabel"),
                              graph.texts(subject, SKOS + "definition"),
                              [concept(t) for t in tops], len(members)))
    return schemes


def read_model(quads, prefixes, alignment_file: str) -> Model:
    """The site's model from the quads of the ontology files."""
    graph = Triples(quads)
    ontology = ox.NamedNode(SC)
    header = {"title": graph.texts(ontology, DCTERMS + "title"),
              "description": graph.texts(ontology, DCTERMS + "description"),
              "version": str(getattr(graph.one(ontology, OWL + "versionInfo"), "value", "")),
              "license": str(getattr(graph.one(ontology, DCTERMS + "license"), "value", "")),
              "iri": SC}
    return Model(header, read_terms(graph, prefixes, alignment_file),
                 read_schemes(graph, prefixes))
