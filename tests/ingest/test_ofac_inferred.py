"""Inferred person → namesake-organization links: few, labelled, graded lower, never stated."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.ingest.ofac import OfacEntry
from tearline.ingest.ofac_import import import_sdn
from tearline.ingest.ofac_inferred import INFERRED_ROLE, infer_namesake_links, inferred_link
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.schema import get_model
from tearline.model.statement import Provenance

SDN = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ofac" / "sdn_2024-05-03.csv"
PROV = Provenance("us.treasury", "us.treasury.ofac", datetime(2024, 5, 3, tzinfo=UTC),
                  Reliability.A, Credibility.CONFIRMED)
#: Pinned on the 2024-05-03 list: (person, organization) entry numbers.
EXPECTED = {
    ("10899", "10900"),  # BELTRAN LEYVA, Marcos Arturo → BELTRAN LEYVA ORGANIZATION
    ("15001", "15000"),  # MEZA FLORES, Fausto Isidro → MEZA FLORES DTO
    ("23603", "23604"), ("23606", "23604"), ("23607", "23604"), ("23608", "23604"),
    ("23609", "23604"), ("23610", "23604"),  # RINCON CASTILLO family → its DTO
    ("8234", "8236"), ("8235", "8236"),  # ARELLANO FELIX brothers → ARELLANO FELIX ORGANIZATION
    ("9338", "9337"), ("9339", "9337"),  # ARRIOLA MARQUEZ brothers → their organization
}


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    if not SDN.exists():
        pytest.fail(f"reference data missing: {SDN} (see shared/data/README.md)")
    return {r.id: r for r in import_sdn(SDN, PROV, Marking.build("CLEAR"), keyer=TEST_KEYER)}


def _inferred(records: dict[str, Record]) -> dict[str, Record]:
    return {k: r for k, r in records.items() if k.startswith("ofac-inferred-")}


def test_the_inferred_links_are_few_and_pinned(records: dict[str, Record]) -> None:
    found = {tuple(k.removeprefix("ofac-inferred-").split("-")) for k in _inferred(records)}
    assert found == EXPECTED


def test_labelled_graded_lower_and_apart_from_stated_links(records: dict[str, Record]) -> None:
    link = records["ofac-inferred-10899-10900"]
    assert link.schema == "UnknownLink"
    assert (link.values("subject"), link.values("object")) == (["ofac-10899"], ["ofac-10900"])
    assert link.values("role") == [INFERRED_ROLE]
    assert "not stated by OFAC" in link.values("description")[0]
    assert {(s.reliability, s.credibility) for s in link.statements} == {
        (Reliability.A, Credibility.POSSIBLY_TRUE)
    }
    stated = [r for k, r in records.items() if k.startswith("ofac-link-")]
    assert stated and all(r.values("role") == ["Linked To"] for r in stated)
    assert all(s.credibility is Credibility.CONFIRMED for r in stated for s in r.statements)


def test_negatives(records: dict[str, Record]) -> None:
    inferred = _inferred(records)
    subjects = {r.values("subject")[0] for r in inferred.values()}
    # Relatives designated years later than their organization.
    assert {"ofac-11725", "ofac-11726"}.isdisjoint(subjects)  # Alfredo, Hector BELTRAN LEYVA
    assert "ofac-9398" not in subjects  # ARRIOLA MARQUEZ, Edgar Fernando (61 entries apart)
    # One surname only: HASSAN, Ali Khatib Haji is entry 19428, beside HASSAN DTO (19429).
    assert "ofac-19428" not in subjects
    # Already stated: RUELAS TORRES, Jose Luis has Linked To his DTO; no second, inferred link.
    assert "ofac-link-18957-18956" in records
    assert "ofac-18957" not in subjects
    # Organizations never get inferred links to organizations.
    assert all(records[s].schema == "Person" for s in subjects)


def test_the_rule_needs_a_shared_program() -> None:
    model = get_model()

    def entry(ent_num: str, name: str, schema: str, programs: tuple[str, ...],
              last: str | None = None) -> OfacEntry:
        proxy = model.make_entity(schema)
        proxy.id = f"ofac-{ent_num}"
        proxy.add("name", name)
        if last:
            proxy.add("lastName", last)
        return OfacEntry(ent_num, 1, name, programs, (proxy,))

    org = entry("101", "GARCIA LOPEZ ORGANIZATION", "Organization", ("SDNTK",))
    same = entry("100", "GARCIA LOPEZ, Juan", "Person", ("SDNTK",), "GARCIA LOPEZ")
    other = entry("102", "GARCIA LOPEZ, Ana", "Person", ("CUBA",), "GARCIA LOPEZ")
    links = infer_namesake_links([same, org, other])
    assert [link.id for link in links] == [inferred_link(same, org).id]
    assert infer_namesake_links([same, other]) == []
