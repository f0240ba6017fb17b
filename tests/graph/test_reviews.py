"""Data round two: every OIC member state reviewed, every UCS catalogue row reconciled, the
spacecraft's catalogue identifiers well formed and unique, no source on a mirror or proxy host,
and every source host classified."""

from __future__ import annotations

import csv
import re
from functools import cache
from urllib.parse import urlsplit

import pytest

from conftest import REPO
from kgtool.engine import EmbeddedStore, load_project
from kgtool.project import find_project
from kgtool.sources import FORBIDDEN, SourceKinds

UCS = REPO / "tests" / "fixtures" / "reference" / "ucs-satellites-oic.csv"  # see its README
SC = "https://w3id.org/spacecoop/ontology/"
PREFIX = f"PREFIX sc: <{SC}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"


@cache
def graph() -> EmbeddedStore:
    return load_project(find_project(str(REPO)))


def rows(sparql: str) -> list[tuple]:
    return graph().query(PREFIX + sparql).rows


def test_every_oic_member_has_exactly_one_review() -> None:
    members = {n.value for (n,) in rows("SELECT ?n WHERE { ?m sc:hasMember ?n ; sc:inOrganization "
                                        "<https://w3id.org/spacecoop/id/body/oic> }")}
    reviews = rows("SELECT ?n (COUNT(?r) AS ?k) WHERE { ?r a sc:NationReview ; sc:reviewOf ?n } "
                   "GROUP BY ?n")
    assert len(members) == 57
    assert {n.value: int(k.value) for n, k in reviews} == dict.fromkeys(members, 1)


def test_every_review_is_dated_and_looked_for_every_topic() -> None:
    topics = rows("SELECT ?r (COUNT(DISTINCT ?t) AS ?k) WHERE { ?r a sc:NationReview ; "
                  "sc:reviewedOn ?d ; sc:lookedFor|sc:foundNothingOn ?t ; dcterms:source ?s } "
                  "GROUP BY ?r")
    assert len(topics) == 57 and all(int(k.value) == 8 for _, k in topics)


def ucs_rows() -> list[dict[str, str]]:
    with open(UCS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_ucs_row_is_in_the_graph_or_left_out_with_a_reason() -> None:
    in_graph = {c.value: (s.value, n.value if n else None) for s, c, n in rows(
        "SELECT ?s ?c ?n WHERE { ?s sc:cosparId ?c ; a ?t . "
        "?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* sc:Spacecraft "
        "OPTIONAL { ?s sc:noradId ?n } }")}
    left_out = {c.value for (c,) in rows("SELECT ?c WHERE { ?r sc:leavesOut ?x . "
                                         "?x sc:cosparId ?c ; sc:exclusionReason ?why }")}
    missing, wrong_norad = [], []
    for row in ucs_rows():
        cospar, norad = row["COSPAR Number"].strip(), row["NORAD Number"].strip()
        if cospar in left_out:
            continue
        if cospar not in in_graph:
            missing.append((row["Name of Satellite, Alternate Names"], cospar))
        elif in_graph[cospar][1] != norad:
            wrong_norad.append((cospar, in_graph[cospar]))
    assert len(ucs_rows()) == 99
    assert missing == [] and wrong_norad == []


def test_identifiers_are_well_formed_and_unique() -> None:
    for prop, pattern in (("cosparId", r"^(19[5-9]\d|20\d\d)-\d{3}[A-Z]{1,3}$"),
                          ("noradId", r"^[1-9]\d{0,8}$")):
        values = [v.value for (v,) in rows(f"SELECT ?v WHERE {{ ?s a ?t ; sc:{prop} ?v . "
                                           "?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
                                           "sc:Spacecraft }")]
        assert len(values) >= 60, prop
        assert [v for v in values if not re.match(pattern, v)] == [], prop
        assert len(values) == len(set(values)), prop


@pytest.fixture(scope="module")
def sources() -> list[str]:
    return sorted({s.value for (s,) in rows("SELECT DISTINCT ?s WHERE { ?x dcterms:source ?s }")})


def test_no_source_is_on_a_mirror_or_proxy_host(sources) -> None:
    kinds = SourceKinds.load(REPO / "data")
    assert [url for url in sources if kinds.kind(url) in FORBIDDEN] == []


def test_every_source_host_has_a_kind(sources) -> None:
    kinds = SourceKinds.load(REPO / "data")
    assert [urlsplit(url).hostname for url in sources if kinds.kind(url) is None] == []


def test_financing_and_the_finer_benefits_are_used() -> None:
    assert int(rows("SELECT (COUNT(?f) AS ?n) WHERE { ?f a sc:Financing }")[0][0].value) >= 10
    for benefit in ("disaster-monitoring", "aviation-safety", "education", "connectivity"):
        assert graph().query(PREFIX + "ASK { ?x sc:yieldsBenefit "
                             f"<https://w3id.org/spacecoop/id/benefit/{benefit}> }}").value, benefit


def test_stats_report_reviews_identifiers_and_source_kinds(run) -> None:
    import json

    stats = json.loads(run(["--root", REPO, "stats", "-f", "json"]).output)
    assert stats["reviewed"] == 57
    assert stats["with_cospar"] >= 98 and stats["with_norad"] >= 98
    assert set(stats["source_kinds"]) <= {"primary", "catalogue", "encyclopedia", "news",
                                          "other"}
    assert 0 < stats["strongly_sourced"] <= stats["fact_nodes"]
    table = run(["--root", REPO, "stats"]).output
    assert "with a primary or catalogue source" in table and ", 57 reviewed" in table
