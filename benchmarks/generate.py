"""A seeded generator of spacecoop-shaped graphs of any size, with known violations.

The project it writes has the real ontology, shapes and queries, and a data/ folder whose
classes, links, label languages and per-class mix follow the bundled graph (measured on it:
per 1,000 fact nodes 113 nations, 112 memberships, 157 satellites, 143 launches, 102 bilateral
agreements, ...). The data conforms to the shapes, except for a few percent of nodes that
get one deliberate violation each; ``truth.json`` lists them and the SHACL results a correct
engine must report (per shape and per severity).

Run: python benchmarks/generate.py --triples 100000 --out benchmarks/out/100k
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/spacecoop/id/"
SC = "https://w3id.org/spacecoop/ontology/"
SH = "https://w3id.org/spacecoop/shapes/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
NOTE = "http://www.w3.org/2004/02/skos/core#editorialNote"
DESCRIPTION = "http://purl.org/dc/terms/description"
SOURCE = "http://purl.org/dc/terms/source"
HOMEPAGE = "http://xmlns.com/foaf/0.1/homepage"
#: Fact nodes per 1,000, as in the bundled graph (data/, November 2026).
MIX = {"Nation": 113, "Membership": 112, "SpaceAgency": 58, "Company": 87,
       "ResearchInstitute": 12, "IntergovernmentalOrganization": 16, "BilateralAgreement": 102,
       "MultilateralAgreement": 4, "Signing": 19, "Satellite": 157, "CubeSat": 25,
       "Launch": 143, "LaunchVehicle": 54, "LaunchSite": 26, "Person": 37, "Spaceflight": 23,
       "Mission": 6}
TRIPLES_PER_NODE = 10.1  # measured on the generator's own output
#: The first nation codes, the anchors of the named queries' defaults.
ANCHOR_NATIONS = ["are", "sau", "kor", "usa", "dza", "egy", "tur", "pak", "idn", "mys"]
LANGUAGES = ["ar", "fr", "fa", "tr", "ms", "ur", "id", "bn", "az", "zh", "ru", "ko", "ja"]
BENEFITS = ["technological-advancement", "scientific-discovery", "economic-development",
            "telecommunications", "weather-forecasting", "earth-observation", "navigation",
            "promoting-peace"]
ACTIVITIES = ["exchange-of-scientists", "data-sharing", "technology-transfer",
              "joint-development", "joint-mission", "launch-service", "astronaut-training",
              "capacity-building", "joint-research"]
PURPOSES = ["communications", "earth-observation", "meteorology", "navigation", "science",
            "technology-demonstration", "education"]
AGREEMENT_TYPES = ["memorandum-of-understanding", "framework-agreement",
                   "cooperation-agreement", "implementing-arrangement", "letter-of-intent"]
#: Deliberate violations: name -> the results they cause, as (shape, severity) pairs.
VIOLATIONS = {
    "missing-source": [("FactNodeShape-source", "Violation")],
    "no-english-label": [("FactNodeShape-labelEn", "Violation")],
    "ill-typed-launch-date": [("LaunchShape-launchedOn", "Violation")],
    "single-party": [("BilateralAgreementShape-hasParty", "Violation"),
                     ("AgreementShape-parties", "Violation")],
    "party-is-a-launch-site": [("AgreementShape-hasParty", "Violation")],
    "status-from-another-scheme": [("AgreementShape-hasStatus", "Violation")],
    "dissolved-before-founded": [("OrganizationShape-dates", "Violation")],
    "flown-without-flight": [("PersonShape-flownHasFlight", "Violation")],
    "landed-before-launch": [("SpaceflightShape-dates", "Violation")],
    "bad-cospar-id": [("SpacecraftShape-cosparId", "Violation")],
    "signed-before-opening": [("SigningShape-afterOpening", "Violation")],
    "oic-member-without-french": [("NationLabelShape-oicLabels", "Warning")],
}
#: Turtle prefixes of the generated files.
PREFIXES = {"sc": SC, "rdfs": LABEL[:-5], "skos": ALT[:-8], "dcterms": SOURCE[:-6], "xsd": XSD,
            **{k: f"{ID}{k}/" for k in (
                "nation", "agency", "company", "institute", "body", "membership", "site",
                "vehicle", "mission", "spacecraft", "launch", "agreement", "signing", "person",
                "flight", "benefit", "activity", "purpose")}}


class Graph:
    """Triples grouped by output file, written as Turtle."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.files: dict[str, list[ox.Triple]] = {}
        self.by_class: dict[str, list[str]] = {}
        self.file = "nations"

    def add(self, s: str, p: str, o) -> None:
        obj = o if isinstance(o, ox.Literal | ox.NamedNode) else ox.NamedNode(o)
        self.files.setdefault(self.file, []).append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p),
                                                              obj))

    def node(self, cls: str, kind: str, slug: str, label: str, *, sources: int = 2,
             description: bool = True) -> str:
        iri = f"{ID}{kind}/{slug}"
        self.by_class.setdefault(cls, []).append(iri)
        self.add(iri, RDF_TYPE, SC + cls)
        self.add(iri, LABEL, ox.Literal(label, language="en"))
        if description:
            self.add(iri, DESCRIPTION, ox.Literal(f"A generated {cls} for benchmarks: {label}.",
                                                  language="en"))
        for n in range(sources):
            self.add(iri, SOURCE, f"https://example.org/source/{kind}/{slug}/{n}")
        return iri

    def date(self, start: int = 1960, end: int = 2024) -> tuple[int, int, int]:
        return self.rnd.randint(start, end), self.rnd.randint(1, 12), self.rnd.randint(1, 28)

    def pick(self, cls: str, k: int = 1) -> list[str]:
        return self.rnd.sample(self.by_class[cls], min(k, len(self.by_class[cls])))


def lit(value: str, datatype: str = "string") -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def day(date: tuple[int, int, int]) -> ox.Literal:
    return lit(f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}", "date")


def counts_for(triples: int) -> dict[str, int]:
    nodes = triples / TRIPLES_PER_NODE
    counts = {cls: max(2, round(nodes * share / 1000)) for cls, share in MIX.items()}
    counts["Nation"] = min(counts["Nation"], 17_000)
    return counts


def nation_codes(rnd: random.Random, n: int) -> list[str]:
    """Three-letter codes: the anchors of the named queries' defaults first."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    others = sorted({a + b + c for a in letters for b in letters for c in letters}
                    - set(ANCHOR_NATIONS))
    return (ANCHOR_NATIONS + rnd.sample(others, max(0, n - len(ANCHOR_NATIONS))))[:n]


def organisations(g: Graph, counts: dict[str, int]) -> None:
    g.file = "nations"
    for code in nation_codes(g.rnd, counts["Nation"]):
        iri = g.node("Nation", "nation", code, f"Nation {code.upper()}", sources=3,
                     description=False)
        g.add(iri, LABEL, ox.Literal(f"دولة {code}", language="ar"))
        g.add(iri, LABEL, ox.Literal(f"Nation {code.upper()} (fr)", language="fr"))
        g.add(iri, SC + "iso3166Alpha2", lit(code[:2].upper()))
        g.add(iri, SC + "iso3166Alpha3", lit(code.upper()))
    g.file = "bodies"
    for i in range(counts["IntergovernmentalOrganization"]):
        slug = ["oic", "isnet"][i] if i < 2 else f"body-{i}"
        iri = g.node("IntergovernmentalOrganization", "body", slug, f"Body {slug}", sources=3)
        g.add(iri, LABEL, ox.Literal(f"Organisation {slug}", language="fr"))
        g.add(iri, SC + "foundedOn", day(g.date(1945, 2000)))
    oic = ID + "body/oic"
    for i, nation in enumerate(g.by_class["Nation"] * 2):
        if i >= counts["Membership"]:
            break
        body = oic if i < len(g.by_class["Nation"]) * 0.6 else g.pick(
            "IntergovernmentalOrganization")[0]
        if body == oic and i >= len(g.by_class["Nation"]):
            body = ID + "body/isnet"
        iri = g.node("Membership", "membership", f"m-{i}", f"Membership {i}", description=False)
        g.add(iri, SC + "hasMember", nation)
        g.add(iri, SC + "inOrganization", body)
        if g.rnd.random() < 0.6:
            g.add(iri, SC + "joinedOn", lit(str(g.rnd.randint(1970, 2020)), "gYear"))
    g.file = "agencies"
    for cls, kind in (("SpaceAgency", "agency"), ("Company", "company"),
                      ("ResearchInstitute", "institute")):
        for i in range(counts[cls]):
            slug = ["uaesa", "nasa"][i] if cls == "SpaceAgency" and i < 2 else f"{kind}-{i}"
            iri = g.node(cls, kind, slug, f"{cls} {slug}", sources=3)
            if g.rnd.random() < 0.5:
                g.add(iri, LABEL, ox.Literal(f"{slug} ({cls})", language=g.rnd.choice(LANGUAGES)))
            g.add(iri, ALT, lit(slug.upper()))
            g.add(iri, SC + "belongsToNation", g.pick("Nation")[0])
            founded = g.date(1950, 2015)
            g.add(iri, SC + "foundedOn", day(founded))
            if g.rnd.random() < 0.4:
                g.add(iri, HOMEPAGE, f"https://{slug}.example.org/")
            if g.rnd.random() < 0.1:
                g.add(iri, SC + "dissolvedOn", day((founded[0] + 5, 1, 1)))
            if g.rnd.random() < 0.4:
                g.add(iri, NOTE, ox.Literal("Generated note.", language="en"))
            if i > 0 and g.rnd.random() < 0.1:
                g.add(iri, SC + ("succeeds" if cls == "SpaceAgency" else "isPartOf"),
                      g.by_class[cls][g.rnd.randrange(i)])


def hardware(g: Graph, counts: dict[str, int]) -> None:
    g.file = "launch-vehicles"
    for i in range(counts["LaunchSite"]):
        iri = g.node("LaunchSite", "site", f"site-{i}", f"Launch site {i}")
        g.add(iri, SC + "locatedIn", g.pick("Nation")[0])
    for i in range(counts["LaunchVehicle"]):
        iri = g.node("LaunchVehicle", "vehicle", f"vehicle-{i}", f"Vehicle {i}", sources=3)
        g.add(iri, SC + "belongsToNation", g.pick("Nation")[0])
        g.add(iri, SC + "manufacturedBy", g.pick("Company")[0])
        g.add(iri, ALT, lit(f"V-{i}"))
    g.file = "spacecraft"
    for i in range(counts["Mission"]):
        iri = g.node("Mission", "mission", f"mission-{i}", f"Mission {i}")
        g.add(iri, SC + "operatedBy", g.pick("SpaceAgency")[0])
        for partner in g.pick("Company", g.rnd.randint(1, 3)):
            g.add(iri, SC + "hasPartner", partner)
        g.add(iri, SC + "yieldsBenefit", ID + "benefit/" + g.rnd.choice(BENEFITS))
    cospar: set[str] = set()
    for cls in ("Satellite", "CubeSat"):
        for i in range(counts[cls]):
            iri = g.node(cls, "spacecraft", f"{cls.lower()}-{i}", f"{cls} {i}", sources=3)
            g.add(iri, SC + "operatedBy", g.pick(g.rnd.choice(["SpaceAgency", "Company"]))[0])
            for maker in g.pick("Company", g.rnd.randint(1, 2)):
                g.add(iri, SC + "manufacturedBy", maker)
            for purpose in g.rnd.sample(PURPOSES, g.rnd.randint(1, 2)):
                g.add(iri, SC + "hasPurpose", ID + "purpose/" + purpose)
            for benefit in g.rnd.sample(BENEFITS, g.rnd.randint(1, 2)):
                g.add(iri, SC + "yieldsBenefit", ID + "benefit/" + benefit)
            if g.rnd.random() < 0.6:
                g.add(iri, SC + "involvesActivity", ID + "activity/" + g.rnd.choice(ACTIVITIES))
            if g.rnd.random() < 0.4:
                g.add(iri, ALT, ox.Literal(f"{cls[:3].upper()}-{i}", language="en"))
            if g.rnd.random() < 0.1:  # one spacecraft per ID: the next letter if taken
                launch = f"{g.rnd.randint(1990, 2023)}-{g.rnd.randint(1, 999):03d}"
                piece = next(c for c in map(chr, range(65, 91)) if launch + c not in cospar)
                cospar.add(launch + piece)
                g.add(iri, SC + "cosparId", lit(launch + piece))
            if g.rnd.random() < 0.2:
                g.add(iri, SC + "hasMissionStatus", ID + "mission-status/operational")
    g.file = "launches"
    craft = g.by_class["Satellite"] + g.by_class["CubeSat"]
    for i in range(counts["Launch"]):
        iri = g.node("Launch", "launch", f"launch-{i}", f"Launch {i}", description=False)
        for payload in g.rnd.sample(craft, g.rnd.choice([1, 1, 1, 2])):
            g.add(iri, SC + "hasPayload", payload)
        g.add(iri, SC + "launchedOn", day(g.date(1965, 2024)))
        g.add(iri, SC + "usedVehicle", g.pick("LaunchVehicle")[0])
        g.add(iri, SC + "launchedFrom", g.pick("LaunchSite")[0])
        if g.rnd.random() < 0.7:
            g.add(iri, SC + "providedBy", g.pick("Company")[0])
        if g.rnd.random() < 0.5:
            g.add(iri, NOTE, ox.Literal("Generated note.", language="en"))


def agreements(g: Graph, counts: dict[str, int]) -> None:
    g.file = "agreements"
    signed: dict[str, tuple[int, int, int]] = {}
    for cls in ("BilateralAgreement", "MultilateralAgreement"):
        for i in range(counts[cls]):
            slug = "artemis-accords" if cls == "MultilateralAgreement" and i == 0 \
                else f"{cls.lower()}-{i}"
            iri = g.node(cls, "agreement", slug, f"Agreement {slug}")
            parties = g.pick("Nation", 2 if cls == "BilateralAgreement" else g.rnd.randint(5, 15))
            for party in parties:
                g.add(iri, SC + "hasParty", party)
            signed[iri] = g.date(1970, 2020)
            g.add(iri, SC + "signedOn", day(signed[iri]))
            g.add(iri, SC + "hasStatus", ID + "agreement-status/" + g.rnd.choice(
                ["signed", "in-force", "expired"]))
            g.add(iri, SC + "hasAgreementType",
                  ID + "agreement-type/" + g.rnd.choice(AGREEMENT_TYPES))
            for benefit in g.rnd.sample(BENEFITS, g.rnd.randint(1, 3)):
                g.add(iri, SC + "yieldsBenefit", ID + "benefit/" + benefit)
            if g.rnd.random() < 0.6:
                g.add(iri, SC + "involvesActivity", ID + "activity/" + g.rnd.choice(ACTIVITIES))
            if g.rnd.random() < 0.25:
                g.add(iri, SC + "concerns", g.pick("Satellite")[0])
    opened = {a: 2020 for a in g.by_class["MultilateralAgreement"]}
    for i in range(counts["Signing"]):
        agreement = g.pick("MultilateralAgreement")[0]
        iri = g.node("Signing", "signing", f"signing-{i}", f"Signing {i}")
        g.add(iri, SC + "ofAgreement", agreement)
        nation = g.pick("Nation")[0]
        g.add(iri, SC + "hasSignatory", nation)
        g.add(iri, SC + "onBehalfOf", nation)
        # the first recorded signing is on the agreement's own date (its first signature)
        first = signed.pop(agreement, None)
        g.add(iri, SC + "signedOn", day(first or g.date(opened[agreement] + 1, 2024)))
        if g.rnd.random() < 0.4:
            g.add(iri, SC + "signerName", lit(f"Signer {i}"))
            g.add(iri, SC + "signerRole", ox.Literal("Minister", language="en"))
    g.file = "people"
    persons = [g.node("Person", "person", f"person-{i}", f"Person {i}")
               for i in range(counts["Person"])]
    crew: set[str] = set()
    for i in range(counts["Spaceflight"]):
        iri = g.node("Spaceflight", "flight", f"flight-{i}", f"Flight {i}", sources=3)
        for member in g.rnd.sample(persons, g.rnd.randint(1, 2)):
            g.add(iri, SC + "hasCrewMember", member)
            crew.add(member)
        launched = g.date(1965, 2023)
        g.add(iri, SC + "launchedOn", day(launched))
        g.add(iri, SC + "landedOn", day((launched[0] + 1, launched[1], launched[2])))
        g.add(iri, SC + "hasFlightType", ID + "flight-type/orbital")
        g.add(iri, SC + "usedVehicle", g.pick("LaunchVehicle")[0])
        g.add(iri, SC + "hasMissionStatus", ID + "mission-status/completed")
        if g.rnd.random() < 0.7:
            g.add(iri, SC + "withPartner", g.pick("SpaceAgency")[0])
    for person in persons:
        g.add(person, SC + "hasNationality", g.pick("Nation")[0])
        status = "flown" if person in crew else g.rnd.choice(["candidate", "assigned", "backup"])
        g.add(person, SC + "hasAstronautStatus", ID + "astronaut-status/" + status)
        if g.rnd.random() < 0.6:
            g.add(person, SC + "affiliatedWith", g.pick("SpaceAgency")[0])


def inject(g: Graph, share: float) -> dict[str, list[str]]:
    """Give ``share`` of the fact nodes one deliberate violation each; returns the victims."""
    per_kind = max(1, round(sum(map(len, g.by_class.values())) * share / len(VIOLATIONS)))
    where: dict[str, list[tuple[str, int]]] = {}
    for name, triples in g.files.items():
        for index, t in enumerate(triples):
            where.setdefault(t.subject.value, []).append((name, index))
    objects = {(t.subject.value, t.predicate.value): t.object.value
               for ts in g.files.values() for t in ts}
    crew = {t.object.value for ts in g.files.values() for t in ts
            if t.predicate.value == SC + "hasCrewMember"}
    oic = {t.object.value for ts in g.files.values() for t in ts
           if t.predicate.value == SC + "hasMember"
           and objects[(t.subject.value, SC + "inOrganization")] == ID + "body/oic"}
    used = {ID + "nation/are", ID + "nation/sau", ID + "agency/uaesa"}
    out: dict[str, list[str]] = {name: [] for name in VIOLATIONS}

    def victims(name: str, cls: str, test=lambda iri: True) -> list[str]:
        pool = [n for n in g.by_class[cls] if n not in used and test(n)]
        chosen = g.rnd.sample(pool, min(per_kind, len(pool)))
        used.update(chosen)
        out[name].extend(chosen)
        return chosen

    def edit(iri: str, predicate: str, new=None, *, every: bool = False, lang: str = "") -> None:
        """Replace (or drop, when ``new`` is None) the first or every matching triple."""
        for name, index in where[iri]:
            t = g.files[name][index]
            if t is None or t.predicate.value != predicate or (
                    lang and getattr(t.object, "language", None) != lang):
                continue
            g.files[name][index] = None if new is None else ox.Triple(t.subject, t.predicate, new)
            if not every:
                return

    def append(iri: str, predicate: str, value) -> None:
        name = where[iri][0][0]
        g.files[name].append(ox.Triple(ox.NamedNode(iri), ox.NamedNode(predicate), value))

    for node in victims("missing-source", "Company"):
        edit(node, SOURCE, every=True)
    for node in victims("no-english-label", "Satellite"):
        edit(node, LABEL, ox.Literal("Satellit", language="de"))
    for node in victims("ill-typed-launch-date", "Launch"):
        edit(node, SC + "launchedOn", lit("2015-13-45", "date"))
    for node in victims("single-party", "BilateralAgreement"):
        edit(node, SC + "hasParty")
    for node in victims("party-is-a-launch-site", "BilateralAgreement"):
        edit(node, SC + "hasParty", ox.NamedNode(g.pick("LaunchSite")[0]))
    for node in victims("status-from-another-scheme", "BilateralAgreement"):
        edit(node, SC + "hasStatus", ox.NamedNode(ID + "mission-status/operational"))
    for node in victims("dissolved-before-founded", "SpaceAgency",
                        lambda n: (n, SC + "dissolvedOn") not in objects):
        append(node, SC + "dissolvedOn", day((1940, 1, 1)))
    for node in victims("flown-without-flight", "Person", lambda n: n not in crew):
        edit(node, SC + "hasAstronautStatus", ox.NamedNode(ID + "astronaut-status/flown"))
    for node in victims("landed-before-launch", "Spaceflight"):
        edit(node, SC + "landedOn", day((1960, 1, 1)))
    for n, node in enumerate(victims("bad-cospar-id", "CubeSat",
                                     lambda n: (n, SC + "cosparId") not in objects)):
        append(node, SC + "cosparId", lit(f"{n}-BAD"))  # distinct: no duplicate identifiers
    for node in victims("signed-before-opening", "Signing"):
        edit(node, SC + "signedOn", day((1950, 1, 1)))
    for node in victims("oic-member-without-french", "Nation", lambda n: n in oic):
        edit(node, LABEL, lang="fr")
    return out


def write(g: Graph, victims: dict[str, list[str]], out: Path, seed: int) -> dict:
    """The project folder: real ontology and queries, generated data/, truth.json."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPO / "ontology", out / "ontology")
    shutil.copytree(REPO / "queries", out / "queries")
    (out / "data").mkdir()
    total = 0
    for name, triples in sorted(g.files.items()):
        kept = [t for t in triples if t is not None]
        total += len(set(kept))
        (out / "data" / f"{name}.ttl").write_bytes(
            ox.serialize(kept, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    results = Counter()
    for name, nodes in victims.items():
        for shape, severity in VIOLATIONS[name]:
            results[(shape, severity)] += len(nodes)
    truth = {
        "seed": seed, "data_triples": total,
        "nodes": {cls: len(nodes) for cls, nodes in sorted(g.by_class.items())},
        "expected": {
            "Violation": sum(n for (_, sev), n in results.items() if sev == "Violation"),
            "Warning": sum(n for (_, sev), n in results.items() if sev == "Warning"),
            "by_shape": {SH + shape: n for (shape, _), n in sorted(results.items())}},
        "violations": victims,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


def generate(triples: int, out: Path, *, seed: int = 42, share: float = 0.02) -> dict:
    """Generate a project of about ``triples`` data triples; returns its truth."""
    g = Graph(seed)
    counts = counts_for(triples)
    organisations(g, counts)
    hardware(g, counts)
    agreements(g, counts)
    return write(g, inject(g, share), out, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="data triples to aim at")
    parser.add_argument("--out", type=Path, required=True, help="project folder to (re)write")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--violations", type=float, default=0.02,
                        help="share of fact nodes with a deliberate violation")
    args = parser.parse_args()
    truth = generate(args.triples, args.out, seed=args.seed, share=args.violations)
    print(f"{args.out}: {truth['data_triples']} data triples, "
          f"{truth['expected']['Violation']} violations, {truth['expected']['Warning']} warnings")


if __name__ == "__main__":
    main()
