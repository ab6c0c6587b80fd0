"""Screening against the May 2024 SDN list (narcotics programs): every listed individual
is found by at least one Spanish-name perturbation of its name (``perturb.py``), and
the evidence rules (identifiers, birth dates, siblings) hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from perturb import perturbations

from tearline.ingest.files import open_sdn_text
from tearline.ingest.ofac import parse_sdn
from tearline.screening.matcher import MATCH, Screener
from tearline.screening.parties import Designation, Party, party_of


@pytest.fixture(scope="module")
def listed(data_dir: Path) -> list[Designation]:
    path = data_dir / "ofac" / "sdn_2024-05-03.csv"
    out = []
    for entry in parse_sdn(open_sdn_text(path).splitlines(), path.name):
        proxy = entry.entity
        party = party_of(proxy.id, proxy.schema.name, proxy.properties)
        if party is not None:
            out.append(Designation(party, entry.programs, entry.ent_num))
    return out


@pytest.fixture(scope="module")
def screener(listed: list[Designation]) -> Screener:
    return Screener(listed)


def _person(name: str, **props: list[str]) -> Party:
    found = party_of("q", "Person", {"name": [name], **props})
    assert found is not None
    return found


def test_every_narcotics_individual_is_found_by_a_perturbation(
        listed: list[Designation], screener: Screener) -> None:
    people = [d for d in listed if d.party.person]
    assert len(people) > 1_000
    missed, tried = [], 0
    for designation in people:
        name = next((n for n in designation.party.names if "," in n), designation.party.names[0])
        variants = perturbations(name)
        assert variants, name
        for variant in variants:
            tried += 1
            if any(h.designation is designation for h in screener.screen(_person(variant))):
                break
        else:
            missed.append(name)
    assert not missed, f"{len(missed)} individuals never found, e.g. {missed[:5]}"
    assert tried < 1.3 * len(people)  # found by the first spelling tried, nearly always


def test_the_perturbations_are_the_kinds_an_agency_writes() -> None:
    found = perturbations("BELTRAN LEYVA, Marcos Arturo")
    assert "Marcos Arturo Beltran Leyva" in found
    assert "MARCOS ARTURO BELTRAN LEYVA" in found
    assert "Marcos Arturo Beltran" in found  # maternal surname dropped
    assert "Arturo Beltran Leyva" in found  # compound given name shortened
    assert "M. Arturo Beltran Leyva" in found
    assert "Marcos Arturo Veltran Leyva" in found  # b/v
    assert "Marcos Arturo Beltran Leyba" in found  # v/b in the maternal surname



def test_an_identity_number_decides(screener: Screener) -> None:
    curp = "RICR701208HSRVHL06"  # Raúl Rivas Chaires's CURP, ent_num 35272
    hits = screener.screen(_person("R. Ribas", idNumber=[curp]))
    assert hits and hits[0].designation.list_id == "35272" and hits[0].score == 1.0
    assert any("CURP" in e and curp in e for e in hits[0].evidence)
    other = screener.screen(_person("Raul Rivas Chaires", idNumber=["RICR701208HSRVHL99"]))
    assert not any(h.designation.list_id == "35272" for h in other)


def test_birth_dates_raise_and_lower_the_score(screener: Screener) -> None:
    def score(**props: list[str]) -> float:
        hits = screener.screen(_person("Sergio Orosco Rodriguez", **props))
        return next(h.score for h in hits if h.designation.list_id == "33935")

    plain = score()
    assert plain < 1.0
    assert score(birthDate=["1967-02-16"]) > score(birthDate=["1967-02-17"]) > plain
    assert not any(h.designation.list_id == "33935" for h in screener.screen(
        _person("Sergio Armando Orozco Rodriguez", birthDate=["1990-07-01"]))
        if h.decision == "match")


def test_brothers_are_not_taken_for_each_other(screener: Screener) -> None:
    hits = screener.screen(_person("Hector Beltran Leyva"))
    assert hits and "Hector" in hits[0].listed_name.title()
    arturo = [h for h in hits if "Marcos Arturo" in h.listed_name]
    assert all(h.score < MATCH for h in arturo)


def test_organizations_match_on_their_folded_names(screener: Screener) -> None:
    hits = screener.screen(Party("q", "Organization", ("Cártel de Sinaloa",)))
    assert any(h.designation.party.schema == "Organization" for h in hits) or hits == []
    made = screener.screen(Party("q", "Organization", ("LOS ZETAS",)))
    assert made and all(h.decision == "match" for h in made)
