"""The curator warns when every source a submission gives a node is a mirror or a proxy
(the kinds of data/source-kinds.csv), and says nothing when one source is an original."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

MAKER = """@prefix sc: <https://w3id.org/spacecoop/ontology/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/spacecoop/id/company/example-maker> a sc:Company ;
  rdfs:label "Example Maker"@en ;
  sc:belongsToNation <https://w3id.org/spacecoop/id/nation/fra> ;
  dcterms:source {sources} .
"""


def validate(run, tmp_path: Path, sources: str):
    path = tmp_path / "maker.ttl"
    path.write_text(MAKER.replace("{sources}", sources), encoding="utf-8")
    return run(["--root", REPO, "validate", path])


def test_mirror_only_sources_are_a_warning(run, tmp_path: Path) -> None:
    result = validate(run, tmp_path, "<https://wikimili.com/en/Example_Maker>")
    assert result.exit_code == 0  # a warning: fails only with --fail-on warning
    assert "every source of company:example-maker is a copy or a proxy" in result.output
    assert "curator rule mirrorSourcesOnly" in result.output


def test_an_original_beside_a_mirror_is_fine(run, tmp_path: Path) -> None:
    result = validate(run, tmp_path, "<https://wikimili.com/en/Example_Maker>, "
                                     "<https://en.wikipedia.org/wiki/Example_Maker>")
    assert result.exit_code == 0
    assert "mirrorSourcesOnly" not in result.output
