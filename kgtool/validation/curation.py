"""The curator's checks of a submission that SHACL does not make, each a ValidationResult.

Run in the context of the existing graph (ontology and data): links to ``/id/`` IRIs that
exist nowhere (with the closest IRI or label as a hint); new IRIs that break the rule
``/id/<type>/<slug>``; likely duplicates (same ISO code, Wikidata link, or class and English
label); conflicts with a single-valued property (``sh:maxCount 1``), with both values and
both sources; new facts about an existing node without ``dcterms:source``; blank nodes where
an IRI is needed; ill-typed literals; and ontology, SHACL or ``owl:imports`` triples, which
a submission may not carry. Each rule has an IRI ``scsh:Curation-<rule>`` shown as its shape.

>>> slug_problem("Egyptian_Space_Agency")
"the slug 'Egyptian_Space_Agency' must be lowercase ASCII letters, digits and hyphens \
(e.g. 'egyptian-space-agency')"
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from difflib import get_close_matches
from functools import cached_property

import pyoxigraph as ox

from kgtool.engine.base import GRAPH_BASE
from kgtool.engine.embedded import EmbeddedStore
from kgtool.prefixes import PrefixMap
from kgtool.sources import FORBIDDEN, SourceKinds
from kgtool.validation.checks import label_nodes
from kgtool.validation.components import RULE, SCSH, rule_component
from kgtool.validation.reading import Submission
from kgtool.validation.report import ValidationResult, focus_key
from kgtool.vocab import ID, OWL, RDF, RDF_TYPE, RDFS, RDFS_LABEL, SC, SH, SKOS, SPACECOOP, XSD

LABEL, SOURCE = RDFS_LABEL, "http://purl.org/dc/terms/source"
IDENTIFIERS = {SC + "iso3166Alpha3": "ISO 3166-1 alpha-3 code",
               SC + "iso3166Alpha2": "ISO 3166-1 alpha-2 code", OWL + "sameAs": "Wikidata link"}
_SCHEMA_CLASSES = {OWL + n for n in ("Class", "ObjectProperty", "DatatypeProperty", "Ontology",
                                     "AnnotationProperty", "FunctionalProperty")} | {
    RDFS + "Class", RDF + "Property", RDFS + "Datatype", SKOS + "Concept", SKOS + "ConceptScheme"}
_SCHEMA_PREDICATES = {RDFS + n for n in ("subClassOf", "subPropertyOf", "domain", "range")} | {
    OWL + n for n in ("equivalentClass", "equivalentProperty", "inverseOf")} | {
    SKOS + n for n in ("inScheme", "topConceptOf", "hasTopConcept", "broader", "narrower")}
_IRI_VALUED = {SOURCE, OWL + "sameAs", "http://xmlns.com/foaf/0.1/homepage"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ZONE = r"(Z|[+-]\d{2}:\d{2})?"
_LEXICAL = {"date": (rf"-?(\d{{4}})-(\d{{2}})-(\d{{2}}){_ZONE}", "YYYY-MM-DD"),
            "gYearMonth": (rf"-?\d{{4}}-(0[1-9]|1[0-2]){_ZONE}", "YYYY-MM"),
            "gYear": (rf"-?\d{{4}}{_ZONE}", "YYYY"),
            "dateTime": (rf"-?\d{{4}}-\d{{2}}-\d{{2}}T\d{{2}}:\d{{2}}:\d{{2}}(\.\d+)?{_ZONE}",
                         "YYYY-MM-DDThh:mm:ssZ"),
            "integer": (r"[+-]?\d+", "digits"), "decimal": (r"[+-]?(\d+(\.\d*)?|\.\d+)", "1.5"),
            "boolean": (r"true|false|1|0", "true or false")}
_SHAPE_FACTS = f"""PREFIX sh: <{SH}>
SELECT DISTINCT ?path ?class ?max ?min WHERE {{
  ?shape sh:targetClass ?class ; sh:property ?ps . ?ps sh:path ?path .
  FILTER NOT EXISTS {{ ?shape sh:deactivated true }}
  OPTIONAL {{ ?ps sh:maxCount ?max }} OPTIONAL {{ ?ps sh:minCount ?min }}
}}"""


def slug_problem(slug: str) -> str | None:
    """What is wrong with a slug, or None.

    >>> slug_problem("king-abdulaziz-city-2") is None
    True
    """
    if _SLUG.match(slug):
        return None
    better = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
    return (f"the slug {slug!r} must be lowercase ASCII letters, digits and hyphens"
            + (f" (e.g. {better!r})" if better else ""))


def lexical_problem(literal: ox.Literal) -> str | None:
    """A hint when a literal of a common XSD datatype is not well-formed, else None.

    >>> lexical_problem(ox.Literal("2020-13-45", datatype=ox.NamedNode(XSD + "date")))
    'YYYY-MM-DD'
    """
    kind = literal.datatype.value.removeprefix(XSD)
    if literal.language or kind not in _LEXICAL:
        return None
    pattern, form = _LEXICAL[kind]
    match = re.fullmatch(pattern, literal.value)
    try:
        if match and kind in ("date", "dateTime"):
            text = literal.value.lstrip("-")[:19 if kind == "dateTime" else 10]
            (datetime if kind == "dateTime" else date).fromisoformat(text)
    except ValueError:
        match = None
    return None if match else form


class Curator:
    """The existing graph (ontology and data), looked up for the checks of one submission.

    Only the submission's nodes are looked up (a few pattern lookups each), so the checks
    take milliseconds on a million triples; the whole graph is read only to suggest the
    closest IRI for an unknown reference.
    """

    def __init__(self, existing: EmbeddedStore, union: EmbeddedStore, submission: Submission,
                 prefixes: PrefixMap, classes_of: Callable | None = None) -> None:
        self.existing, self.union, self.sub, self.prefixes = existing, union, submission, prefixes
        self.classes = classes_of or union.classes_of  # rdf:type/rdfs:subClassOf* of IRIs
        self.results: list[ValidationResult] = []
        self.by_subject: dict[object, list[ox.Triple]] = {}
        for t in submission.triples:
            self.by_subject.setdefault(t.subject, []).append(t)
        self.new_types = {s: {t.object for t in ts if t.predicate.value == RDF_TYPE}
                          for s, ts in self.by_subject.items()}
        self.subjects = {s for s in self.by_subject if existing.contains(s)}
        self.ontology_subjects = {s for s in self.subjects
                                  if existing.contains(s, parts=("ontology",))}
        objects = {t.object for t in submission.triples if isinstance(t.object, ox.NamedNode)}
        self.typed = {n for n in objects | self.subjects
                      if existing.contains(n, ox.NamedNode(RDF_TYPE))}
        self.same = self._same()

    def _same(self) -> dict[tuple[str, str], ox.NamedNode]:
        """Existing nodes that share an identifier, or a class and English label (lower
        case), with a new node of the submission: (predicate or class, value) -> node."""
        ids, labels = set(), set()
        for s, triples in self.by_subject.items():
            if s in self.subjects:
                continue
            for t in triples:
                if t.predicate.value in IDENTIFIERS:
                    ids.add((t.predicate.value, t.object.value))
                elif (t.predicate.value == LABEL and isinstance(t.object, ox.Literal)
                      and t.object.language == "en"):
                    labels |= {(c.value, t.object.value.lower()) for c in self.new_types[s]
                               if isinstance(c, ox.NamedNode)}
        found: dict[tuple[str, str], ox.NamedNode] = {}
        if ids:
            rows = " ".join(f"(<{k}> {ox.Literal(v)})" for k, v in sorted(ids))
            for key, value, node in self.existing.query(
                    f"SELECT ?key ?value ?s WHERE {{ VALUES (?key ?value) {{ {rows} }} "
                    "?s ?key ?o FILTER (STR(?o) = ?value) } ORDER BY DESC(?s)").rows:
                found[(key.value, value.value)] = node
        index = label_nodes(self.existing, {text for _, text in labels}) if labels else {}
        pairs = [(n, text) for text, nodes in index.items() for n in nodes]
        # greatest node first, as ORDER BY DESC(?s) did: the least one is kept
        for node, key in sorted(pairs, reverse=True, key=lambda pair: (
                isinstance(pair[0], ox.NamedNode), pair[0].value)):
            for g in self.existing.default_graph():
                for q in self.existing.store.quads_for_pattern(
                        node, ox.NamedNode(RDF_TYPE), None, g):
                    if (q.object.value, key) in labels:
                        found[(q.object.value, key)] = node
        return found

    @cached_property
    def labels(self) -> dict[ox.NamedNode, str]:
        """An English label of every typed node under /id/ (for the closest-IRI hint)."""
        return {s: label.value for s, label in self.existing.query(
            f'SELECT ?s (MIN(?l) AS ?label) WHERE {{ ?s a ?c ; <{LABEL}> ?l '
            f'FILTER (LANGMATCHES(LANG(?l), "en") && STRSTARTS(STR(?s), "{ID}")) }} '
            "GROUP BY ?s").rows}

    def label_of(self, node) -> str | None:
        """The node's English label in the existing graph (the least, if several)."""
        found = sorted(q.object.value for g in self.existing.default_graph()
                       for q in self.existing.store.quads_for_pattern(node, ox.NamedNode(LABEL),
                                                                      None, g)
                       if isinstance(q.object, ox.Literal) and q.object.language == "en")
        return found[0] if found else None

    # -- helpers ---------------------------------------------------------------------------

    def show(self, term) -> str:
        """A term as a contributor reads it: CURIE, "text"@lang, "value"^^xsd:type."""
        if isinstance(term, ox.NamedNode):
            return self.prefixes.shorten(term.value)
        if isinstance(term, ox.BlankNode):
            return "[]"
        text = term.value if len(term.value) <= 80 else term.value[:77] + "..."
        if term.language:
            return f'"{text}"@{term.language}'
        kind = term.datatype.value
        return f'"{text}"' if kind == XSD + "string" else f'"{text}"^^{self.prefixes.shorten(kind)}'

    def named(self, node) -> str:
        label = self.label_of(node)
        return f"{self.show(node)} ({label})" if label else self.show(node)

    def add(self, focus, rule: str, message: str, path=None, value=None,
            severity: str = "Violation") -> None:
        self.results.append(ValidationResult(
            focus=focus_key(focus), path="" if path is None else str(path),
            value="" if value is None else str(value), severity=severity, message=message,
            shape=RULE + rule, component=rule_component(rule)))

    @cached_property
    def known_ids(self) -> dict[str, ox.NamedNode]:
        """Typed nodes under /id/, by the part of their IRI after /id/ (the whole graph)."""
        return {n.value.removeprefix(ID): n for (n,) in self.existing.query(
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER STRSTARTS(STR(?s), "{ID}") }}').rows}

    def closest(self, iri: str) -> str:
        """'; did you mean X?' for the existing IRI or English label closest to ``iri``."""
        known = self.known_ids
        tail = iri.removeprefix(ID)
        match = get_close_matches(tail, list(known), n=1, cutoff=0.75)
        node = known[match[0]] if match else None
        if node is None:
            words = tail.rsplit("/", 1)[-1].replace("-", " ").lower()
            by_label = {self.labels[n].lower(): n for n in known.values() if n in self.labels}
            match = get_close_matches(words, list(by_label), n=1, cutoff=0.6)
            node = by_label[match[0]] if match else None
        if node is None:
            return "; check the IRI, or add that node with its type and source"
        return f"; did you mean {self.named(node)}?"

    # -- the checks ------------------------------------------------------------------------

    def ontology_terms(self) -> None:
        seen = set()
        for t in self.sub.triples:
            s, p, o = t.subject, t.predicate.value, t.object
            if p.startswith(SH) or (isinstance(o, ox.NamedNode) and o.value.startswith(SH)):
                kind = ("shacl", "a submission cannot carry SHACL (sh:) triples: the shapes "
                        "live in ontology/shapes/ and change only by pull request")
            elif p == OWL + "imports":
                kind = ("imports", "a submission cannot import other graphs (owl:imports)")
            elif (s in self.ontology_subjects or s.value.startswith((SC, SCSH))
                  or p in _SCHEMA_PREDICATES
                  or (p == RDF_TYPE and o.value in _SCHEMA_CLASSES)):
                kind = ("term", f"a submission cannot define or change ontology terms "
                        f"({self.show(s)} is one): propose the change to ontology/ in a pull "
                        "request")
            else:
                continue
            if (s, kind[0]) not in seen:
                seen.add((s, kind[0]))
                self.add(s, "ontologyTerm", kind[1], t.predicate)

    def references(self) -> None:
        known = self.typed | {s for s, types in self.new_types.items() if types}
        for t in self.sub.triples:
            o = t.object
            if isinstance(o, ox.NamedNode) and o.value.startswith(ID) and o not in known:
                self.add(t.subject, "unknownReference", f"{self.show(o)} exists neither in the "
                         f"graph nor in this submission{self.closest(o.value)}", t.predicate, o)
        for s in self.by_subject:
            if (isinstance(s, ox.NamedNode) and s.value.startswith(ID) and s not in known
                    and s not in self.subjects):
                self.add(s, "unknownReference", f"{self.show(s)} is not in the graph and this "
                         f"submission gives it no rdf:type{self.closest(s.value)}",
                         ox.NamedNode(RDF_TYPE))

    def iri_rule(self) -> None:
        types = {ns[len(ID):-1] for ns in self.prefixes.prefixes.values()
                 if ns.startswith(ID) and ns.endswith("/")}
        for s in self.by_subject:
            if not isinstance(s, ox.NamedNode) or s in self.subjects or s.value.startswith(
                    (SC, SCSH)):
                continue
            kind, _, slug = s.value.removeprefix(ID).partition("/")
            if not s.value.startswith(SPACECOOP):
                problems = ["spacecoop nodes live under https://w3id.org/spacecoop/id/"]
            elif not s.value.startswith(ID) or not slug:
                problems = ["it is not of the form https://w3id.org/spacecoop/id/<type>/<slug>"]
            else:
                problems = [slug_problem(slug)]
                if kind not in types:
                    problems.insert(0, f"{kind!r} is not a known type (known: "
                                       f"{', '.join(sorted(types))})")
            problems = [p for p in problems if p]
            if problems:
                self.add(s, "iriRule", f"<{s.value}> breaks the IRI rule "
                         f"https://w3id.org/spacecoop/id/<type>/<slug>: {'; '.join(problems)}")

    def duplicates(self) -> None:
        for s, triples in self.by_subject.items():
            if s in self.subjects:
                continue
            found = {}
            for t in triples:
                p, o = t.predicate.value, t.object
                if p in IDENTIFIERS:
                    found.setdefault(self.same.get((p, o.value)), (t, f"the same {IDENTIFIERS[p]}"))
                elif p == LABEL and isinstance(o, ox.Literal) and o.language == "en":
                    for c in self.new_types.get(s, ()):
                        found.setdefault(self.same.get((c.value, o.value.lower())),
                                         (t, f"a {self.show(c)} with the same English label"))
            for other, (t, why) in found.items():
                if other is not None and other != s:
                    self.add(s, "duplicate", f"likely a duplicate of {self.named(other)}, "
                             f"{why} {self.show(t.object)}: describe {self.show(other)} instead "
                             "of a new node", t.predicate, t.object)

    def _sources(self, node, in_graph: bool) -> str:
        if in_graph:
            found = sorted({q.object.value for g in self.existing.default_graph()
                            for q in self.existing.store.quads_for_pattern(
                                node, ox.NamedNode(SOURCE), None, g)})
        else:
            found = sorted(t.object.value for t in self.by_subject.get(node, [])
                           if t.predicate.value == SOURCE)
        shown = ", ".join(found[:2]) + (f" and {len(found) - 2} more" if len(found) > 2 else "")
        return f"source: {shown}" if found else "no source given"

    def conflicts(self, single: dict[str, set[str]]) -> None:
        existing = [s for s in self.by_subject if s in self.subjects]
        classes = self.classes(existing)
        for s in existing:
            for t in self.by_subject[s]:
                if not single.get(t.predicate.value, set()) & classes.get(s.value, set()):
                    continue
                old = [(q.object, q.graph_name.value.removeprefix(GRAPH_BASE))
                       for g in self.existing.default_graph()
                       for q in self.existing.store.quads_for_pattern(s, t.predicate, None, g)]
                if old and t.object not in {value for value, _ in old}:
                    value, where = old[0]
                    self.add(s, "conflict", f"conflicts with the graph: {self.show(t.predicate)} "
                             f"is {self.show(value)} in {where} ({self._sources(s, True)}) but "
                             f"{self.show(t.object)} in {self.sub.origin.get(t, self.sub.files[0])}"
                             f" ({self._sources(s, False)}); keep the best-supported value and "
                             "note the other in skos:editorialNote", t.predicate, t.object)

    def unsourced(self, fact_classes: set[str]) -> None:
        existing = [s for s in self.by_subject if s in self.subjects
                    and s not in self.ontology_subjects]
        classes = self.classes(existing)
        for s in existing:
            triples = self.by_subject[s]
            if (classes.get(s.value, set()) & fact_classes
                    and not any(t.predicate.value == SOURCE for t in triples)
                    and not all(self._in_graph(t) for t in triples)):
                self.add(s, "unsourcedFact", f"this submission adds facts about "
                         f"{self.show(s)} without dcterms:source: give the URL of the page that "
                         "states them", ox.NamedNode(SOURCE))

    def _in_graph(self, t: ox.Triple) -> bool:
        return self.existing.contains(t.subject, t.predicate, t.object)

    def blank_nodes(self) -> None:
        flagged = {}
        for t in self.sub.triples:
            s, p, o = t.subject, t.predicate.value, t.object
            if isinstance(s, ox.BlankNode) and (p.startswith(SC) or (
                    p == RDF_TYPE and o.value.startswith(SC))):
                flagged.setdefault(s, None)
            if isinstance(o, ox.BlankNode) and (p.startswith(SC) or p in _IRI_VALUED):
                flagged[o] = flagged.get(o) or t
        parents = {t.object: t for t in self.sub.triples if isinstance(t.object, ox.BlankNode)
                   and isinstance(t.subject, ox.NamedNode)}
        for node, via in flagged.items():
            via = via or parents.get(node)
            kinds = [c for c in self.new_types.get(node, ()) if c.value.startswith(SC)]
            what = f" (a {self.show(kinds[0])})" if kinds else ""
            self.add(via.subject if via else node, "blankNode",
                     f"a blank node stands where an IRI is needed{what}: give it an IRI "
                     "https://w3id.org/spacecoop/id/<type>/<slug> so that it can be referenced, "
                     "sourced and merged", via.predicate if via else None)

    def mirrored_sources(self, kinds: SourceKinds) -> None:
        """Warn when every source the submission gives a node is a copy (a mirror of an
        encyclopedia article) or a proxy: cite the original page."""
        for s, triples in self.by_subject.items():
            urls = sorted(t.object.value for t in triples if t.predicate.value == SOURCE)
            if urls and all(kinds.kind(url) in FORBIDDEN for url in urls):
                self.add(s, "mirrorSourcesOnly", f"every source of {self.show(s)} is a copy or a "
                         f"proxy of another page ({', '.join(urls[:2])}): cite the original page "
                         "(for a copy of an encyclopedia article, the article itself)",
                         ox.NamedNode(SOURCE), ox.NamedNode(urls[0]), severity="Warning")

    def literals(self) -> None:
        for t in self.sub.triples:
            if isinstance(t.object, ox.Literal) and (form := lexical_problem(t.object)):
                self.add(t.subject, "illTypedLiteral", f"{self.show(t.object)} is not a valid "
                         f"{self.show(t.object.datatype)}: write {form}", t.predicate, t.object)


def shape_facts(union: EmbeddedStore) -> tuple[dict[str, set[str]], set[str]]:
    """What the curator reads in the shapes: single-valued predicates (``sh:maxCount 1``) ->
    their classes, and the classes whose nodes need a ``dcterms:source``."""
    single: dict[str, set[str]] = {}
    fact_classes: set[str] = set()
    for path, cls, most, least in union.query(_SHAPE_FACTS, parts=("shapes",)).rows:
        if most is not None and most.value == "1":
            single.setdefault(path.value, set()).add(cls.value)
        if path.value == SOURCE and least is not None and int(least.value) >= 1:
            fact_classes.add(cls.value)
    return single, fact_classes


def curation_results(existing: EmbeddedStore, union: EmbeddedStore, submission: Submission,
                     prefixes: PrefixMap, kinds: SourceKinds | None = None, facts=None,
                     classes_of: Callable | None = None) -> list[ValidationResult]:
    """Every curator's check of ``submission``; ``union`` is the graph with it added;
    ``kinds`` (data/source-kinds.csv) lets the curator warn about mirror-only sources;
    ``facts``: :func:`shape_facts` of the union, if already read; ``classes_of(nodes)``
    the classes of nodes in the union (default: its own lookups)."""
    curator = Curator(existing, union, submission, prefixes, classes_of)
    single, fact_classes = facts or shape_facts(union)
    curator.ontology_terms()
    curator.references()
    curator.iri_rule()
    curator.duplicates()
    curator.conflicts(single)
    curator.unsourced(fact_classes)
    curator.blank_nodes()
    curator.literals()
    if kinds is not None:
        curator.mirrored_sources(kinds)
    return curator.results
