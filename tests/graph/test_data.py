"""The bundled graph meets the coverage minimums, every source is a web page, and it validates."""

from __future__ import annotations

from functools import cache

import pytest

from conftest import REPO
from kgtool.engine.embedded import EmbeddedStore, load_project
from kgtool.project import find_project
from kgtool.validation.checks import load_checks
from kgtool.validation.shacl import validate_engine

PREFIX = """PREFIX sc: <https://w3id.org/spacecoop/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <https://w3id.org/spacecoop/id/>
"""
OIC_MEMBER = """?membership sc:hasMember ?nation ;
  sc:inOrganization <https://w3id.org/spacecoop/id/body/oic> ."""


@cache
def graph() -> EmbeddedStore:
    return load_project(find_project(str(REPO)), parts=("ontology", "data", "shapes"))


def count(where: str) -> int:
    rows = graph().query(PREFIX + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}").rows
    return int(rows[0][0].value)


def test_all_57_oic_members_with_codes_and_three_languages() -> None:
    assert count(OIC_MEMBER + " BIND (?nation AS ?x)") == 57
    complete = OIC_MEMBER + """ BIND (?nation AS ?x)
      ?nation sc:iso3166Alpha2 ?a2 ; sc:iso3166Alpha3 ?a3 ; dcterms:source ?s .
      FILTER EXISTS { ?nation rdfs:label ?en FILTER (LANG(?en) = "en") }
      FILTER EXISTS { ?nation rdfs:label ?ar FILTER (LANG(?ar) = "ar") }
      FILTER EXISTS { ?nation rdfs:label ?fr FILTER (LANG(?fr) = "fr") }"""
    assert count(complete) == 57


@pytest.mark.parametrize("body", ["oic", "comstech", "isnet", "ascg", "arabsat", "afsa"])
def test_oic_bodies_and_regional_groups(body: str) -> None:
    assert count(f"BIND (id:body\\/{body} AS ?x) ?x a sc:IntergovernmentalOrganization ; "
                 "dcterms:source ?s") == 1


def test_isnet_has_member_states() -> None:
    assert count("?m sc:inOrganization id:body\\/isnet ; sc:hasMember ?x") >= 10


def test_at_least_25_agencies_of_oic_members() -> None:
    assert count(OIC_MEMBER + """ ?x sc:belongsToNation ?nation .
      { ?x a sc:SpaceAgency } UNION { ?x a sc:ResearchInstitute }""") >= 25


def test_at_least_25_foreign_partners() -> None:
    assert count("""?x sc:belongsToNation ?nation .
      { ?x a sc:SpaceAgency } UNION { ?x a sc:Company }
      FILTER NOT EXISTS { ?m sc:hasMember ?nation ; sc:inOrganization id:body\\/oic }""") >= 25


def test_every_oic_artemis_signing_has_date_signatory_and_source() -> None:
    signings = OIC_MEMBER + """ ?x sc:ofAgreement id:agreement\\/artemis-accords ;
      sc:onBehalfOf ?nation"""
    assert count(signings) >= 6
    assert count(signings + " ; sc:signedOn ?d ; sc:hasSignatory ?who ; dcterms:source ?s") \
        == count(signings)


def test_at_least_40_further_agreements_with_an_oic_party() -> None:
    assert count(OIC_MEMBER + """ ?x a/rdfs:subClassOf* sc:Agreement ; sc:hasParty ?party .
      { FILTER (?party = ?nation) } UNION { ?party sc:belongsToNation ?nation }
      FILTER (?x != id:agreement\\/artemis-accords)""") >= 40


def test_at_least_80_spacecraft_of_oic_members() -> None:
    assert count(OIC_MEMBER + """ ?x a/rdfs:subClassOf* sc:Spacecraft ; sc:operatedBy ?o .
      { ?o sc:belongsToNation ?nation } UNION
      { ?o a sc:IntergovernmentalOrganization . ?o sc:belongsToNation ?nation }""") >= 80


def test_at_least_13_people_flown_and_candidates_marked() -> None:
    flown = OIC_MEMBER + """ ?x sc:hasNationality ?nation ;
      sc:hasAstronautStatus <https://w3id.org/spacecoop/id/astronaut-status/flown> .
      ?f sc:hasCrewMember ?x ; sc:launchedOn ?d ; dcterms:source ?s"""
    assert count(flown) >= 13
    assert count("""?x sc:hasAstronautStatus ?status .
      FILTER (?status != <https://w3id.org/spacecoop/id/astronaut-status/flown>)""") >= 1


def test_every_agreement_and_spacecraft_yields_a_benefit() -> None:
    for cls in ("Agreement", "Spacecraft"):
        assert count(f"?x a/rdfs:subClassOf* sc:{cls} . "
                     "FILTER NOT EXISTS { ?x sc:yieldsBenefit ?b }") == 0, cls


def test_planned_missions_or_partnerships_are_recorded() -> None:
    assert count("""{ ?x sc:hasMissionStatus id:mission-status\\/planned }
      UNION { ?x sc:hasStatus id:agreement-status\\/planned }
      ?x dcterms:source ?s""") >= 3


def test_every_source_is_an_absolute_http_iri() -> None:
    assert count("?s dcterms:source ?x") > 500
    bad = graph().query(PREFIX + """SELECT ?s ?x WHERE { ?s dcterms:source ?x .
      FILTER (!isIRI(?x) || !REGEX(STR(?x), "^https?://[^/ ]+\\\\.[^/ ]+")) }""").rows
    assert bad == []


def test_every_fact_node_has_a_source() -> None:
    assert count("""?x a ?c . FILTER (STRSTARTS(STR(?x), "https://w3id.org/spacecoop/id/"))
      FILTER (STRSTARTS(STR(?c), "https://w3id.org/spacecoop/ontology/"))
      FILTER NOT EXISTS { ?x dcterms:source ?s }""") == 0


def test_the_bundled_graph_conforms_and_the_checks_find_nothing() -> None:
    report = validate_engine(graph(), load_checks(find_project(str(REPO))))
    assert [r for r in report.results if r.severity == "Violation"] == []
    assert report.passes()
