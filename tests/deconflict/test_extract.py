"""Selectors taken from records equal the ones typed by a partner."""

from __future__ import annotations

from datetime import UTC, datetime

from statement_keys import TEST_KEYER
from tearline.deconflict import selectors
from tearline.deconflict.extract import selectors_of
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance

PROV = Provenance("mx.semar", "mx.semar.uie", datetime(2026, 1, 1, tzinfo=UTC))


def record(schema: str, **props: list[str]) -> Record:
    return build_record("r-1", schema, props, PROV, Marking.build("AMBER"), keyer=TEST_KEYER)


def test_a_person_gives_name_and_birth_date_curp_and_rfc() -> None:
    got, problems = selectors_of(record(
        "Person", name=["Joaquín Archivaldo Guzmán Loera"], birthDate=["1957-04-04"],
        idNumber=["HEGG560427MVZRRL04", "not a curp"], taxNumber=["GOLJ570404AB1"]))
    assert set(got) == {
        selectors.person("GUZMAN LOERA, JOAQUIN ARCHIVALDO", "1957-04-04"),
        selectors.curp("hegg560427mvzrrl04"), selectors.rfc("GOLJ-570404-AB1")}
    assert problems == ()


def test_a_vehicle_gives_its_vin_and_its_plate_with_the_country() -> None:
    got, _ = selectors_of(record("Vehicle", registrationNumber=["1M8GDM9AXKP042788", "VKR-45-12"],
                                 country=["mx"]))
    assert set(got) == {selectors.vin("1M8GDM9AXKP042788"), selectors.plate("VKR4512", "MX")}


def test_a_plate_without_country_is_a_problem_not_a_guess() -> None:
    got, problems = selectors_of(record("Vehicle", registrationNumber=["VKR-45-12"]))
    assert got == () and [p.column for p in problems] == ["registrationNumber"]


def test_phone_vessel_and_address() -> None:
    assert selectors_of(record("Phone", number=["+52 667 123 4567"]))[0] == (
        selectors.phone("0052 6671234567", "mx"),)
    vessel, _ = selectors_of(record("Vessel", name=["Doña Chayo"], imoNumber=["IMO 9074729"],
                                    mmsi=["345070123"]))
    assert set(vessel) == {selectors.imo("9074729"), selectors.mmsi("345 070 123")}
    place, _ = selectors_of(record("Address", full=["Calle Río Culiacán #123"], country=["mx"]))
    assert place == (selectors.address("C. Rio Culiacan No. 123", "Mexico"),)


def test_a_bad_value_is_reported_with_its_property() -> None:
    _, problems = selectors_of(record("Vessel", name=["Chayo"], imoNumber=["IMO 9074728"]))
    assert [(p.file, p.column) for p in problems] == [("r-1", "imoNumber")]
    assert "check digit" in problems[0].message
