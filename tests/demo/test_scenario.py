"""The demo scenario: parties, vetting, agreements, and what each marking profile releases."""

from __future__ import annotations

from datetime import UTC, datetime

from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.model.grading import Credibility, Reliability
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.evaluator import Evaluator
from tearline.policy.subject import Subject, VettingFacts

AT = datetime(2021, 6, 1, tzinfo=UTC)


def _record(marking_author: str, profile: sc.Profile) -> Record:
    return build_record(
        "demo-scenario-1", "Seizure", {"drug": ["fentanyl"], "grossWeight": ["1.5"]},
        Provenance(sc.agency_of(marking_author), marking_author, AT, Reliability.A,
                   Credibility.CONFIRMED),
        profile.marking, synthetic=True, keyer=TEST_KEYER,
    )


def _sees(unit: str, record: Record) -> bool:
    subject = Subject(unit=unit, agency=sc.agency_of(unit))
    evaluator = Evaluator(subject, AT, VettingFacts.of(sc.VETTINGS))
    return bool(evaluator.visible_statements(record))


def _profile(agency: str, category: str, name: str) -> sc.Profile:
    return next(p for p in sc.profiles_for(agency, category) if p.name == name)


def test_three_agencies_units_and_one_analyst_per_unit() -> None:
    assert {a.id for a in sc.AGENCIES} == {sc.US_DEA, sc.MX_SEMAR, sc.MX_FGR}
    assert {u.agency for u in sc.UNITS} == {a.id for a in sc.AGENCIES}
    assert sorted(a.unit for a in sc.ANALYSTS) == sorted(u.id for u in sc.UNITS)
    assert {g.id for g in sc.AGREEMENTS} == {sc.SECURITY_FRAMEWORK, sc.MLAT}


def test_us_dea_vets_the_navy_unit_only() -> None:
    facts = VettingFacts.of(sc.VETTINGS)
    assert facts.vetted_by(sc.UIE, AT) == {sc.US_DEA}
    assert facts.vetted_by(sc.NAVAL_POLICE, AT) == frozenset()
    assert facts.vetted_by(sc.FEMDO, AT) == frozenset()


def test_profile_weights_are_percentages_and_markings_cite_agreements() -> None:
    basis = {g.id for g in sc.AGREEMENTS}
    for profiles in sc.PROFILES.values():
        assert sum(p.weight for p in profiles) == 100
        for p in profiles:
            assert p.marking.legal_basis is None or p.marking.legal_basis in basis


def test_vetted_partner_release_reaches_the_vetted_unit_and_no_other_mexican_unit() -> None:
    record = _record(sc.SAN_DIEGO, _profile(sc.US_DEA, "seizure", "vetted-partners"))
    assert _sees(sc.UIE, record) and _sees(sc.SOD, record)
    assert not _sees(sc.NAVAL_POLICE, record)
    assert not _sees(sc.FEMDO, record)


def test_us_only_and_named_units_profiles() -> None:
    us_only = _record(sc.SAN_DIEGO, _profile(sc.US_DEA, "subject", "us-only"))
    assert _sees(sc.HOUSTON, us_only) and not _sees(sc.UIE, us_only)
    red = _record(sc.SAN_DIEGO, _profile(sc.US_DEA, "subject", "named-units"))
    assert _sees(sc.SOD, red) and _sees(sc.UIE, red) and _sees(sc.SAN_DIEGO, red)
    assert not _sees(sc.HOUSTON, red) and not _sees(sc.FEMDO, red)


def test_mexican_releases_reach_us_dea_but_not_the_other_mexican_agency() -> None:
    semar = _record(sc.UIE, _profile(sc.MX_SEMAR, "subject", "to-us-dea-orcon"))
    assert semar.marking.orcon
    assert _sees(sc.SOD, semar) and not _sees(sc.FEMDO, semar)
    fgr = _record(sc.FEMDO, _profile(sc.MX_FGR, "subject", "to-us-dea-mlat"))
    assert fgr.marking.legal_basis == sc.MLAT
    assert _sees(sc.HOUSTON, fgr) and not _sees(sc.UIE, fgr)


def test_portions_narrow_the_record_for_other_units() -> None:
    marking = _profile(sc.US_DEA, "subject", "vetted-partners").marking
    record = build_record(
        "demo-scenario-2", "Person", {"name": ["Juan Pérez López"], "birthDate": ["1980-02-03"]},
        Provenance(sc.US_DEA, sc.SAN_DIEGO, AT), marking,
        portions={"birthDate": sc.informant_portion(sc.SAN_DIEGO)}, synthetic=True,
            keyer=TEST_KEYER,
    )
    uie = Evaluator(Subject(sc.UIE, sc.MX_SEMAR), AT, VettingFacts.of(sc.VETTINGS))
    assert {s.prop for s in uie.visible_statements(record)} == {"name"}
    sod = Evaluator(Subject(sc.SOD, sc.US_DEA), AT, VettingFacts.of(sc.VETTINGS))
    assert {s.prop for s in sod.visible_statements(record)} == {"name", "birthDate"}
