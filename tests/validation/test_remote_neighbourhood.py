"""A submission over --endpoint copies only its neighbourhood, and reports what embedded
validation reports: the synthetic edits of the scoping tests and the duplicate and typo
fixtures, on `oxigraph serve` and on Virtuoso (the example submissions: test_jobs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from validation.test_submissions import EDITS, TTL

from conftest import REPO
from kgtool.engine.remote import RemoteEndpoint
from kgtool.validation import read_submissions, validate
from kgtool.validation.remote_scope import neighbourhood_store

SUBMISSIONS = sorted((REPO / "examples" / "submissions").glob("*/*.ttl"))

FIXTURES = {
    **EDITS,
    # a new node with an existing node's Wikidata link, and one with another's label
    "same-wikidata": 'person:hazzaa a sc:Person ; rdfs:label "Hazzaa"@en ; '
                     "owl:sameAs wd:Q847619 .",
    "same-label": 'agency:sa a sc:SpaceAgency ; rdfs:label "SAUDI SPACE AGENCY"@en .',
    # a misspelt predicate, and a reference to a node that does not exist
    "typo": 'agency:solo a sc:SpaceAgency ; rdfs:label "Solo"@en ; sc:hasParti nation:sau .',
    "unknown": "agreement:artemis-accords sc:hasParty nation:saudi .",
}
#: what the extra fixtures are there to reach (the edits: tests/validation/test_submissions.py)
FOUND = {"same-wikidata": "likely a duplicate of flight:soyuz-tm-3 (Soyuz TM-3)",
         "same-label": "Two nodes of the same class have the same English label",
         "typo": "declared nowhere", "unknown": "did you mean nation:sau (Saudi Arabia)?"}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_submissions_report_the_same(run, store: str, name: str, tmp_path: Path,
                                             monkeypatch) -> None:
    (tmp_path / f"{name}.ttl").write_text(TTL + FIXTURES[name], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    local = run(["--root", REPO, "validate", f"{name}.ttl"])
    remote = run(["--root", REPO, "--endpoint", store, "validate", f"{name}.ttl"])
    assert "Traceback" not in remote.output
    assert remote.exit_code == local.exit_code
    assert remote.output == local.output
    assert "checked" in local.output and FOUND.get(name, "") in local.output


def test_a_submission_copies_a_small_part_of_the_data(store: str, project, monkeypatch
                                                      ) -> None:
    whole = len(list(RemoteEndpoint(store).mirror().quads(("data",))))
    for path in SUBMISSIONS:
        sub = read_submissions([str(path)], context={})
        part = neighbourhood_store(RemoteEndpoint(store), sub.triples)
        assert len(list(part.quads(("data",)))) < whole / 4, path.name
    assert whole > 10_000

    def whole_copy(self):
        raise AssertionError("the submission path copied every graph")

    monkeypatch.setattr(RemoteEndpoint, "mirror", whole_copy)
    report = validate(project, RemoteEndpoint(store), [str(SUBMISSIONS[-1])])
    assert report.conforms and report.checked > 0
