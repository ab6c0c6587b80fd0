"""Parties: names without bidirectional controls; agreements in force for a period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tearline.errors import ValidationError
from tearline.model.parties import Agency, Agreement, Analyst, Unit

T = datetime(2024, 5, 1, tzinfo=UTC)
RLO = "\u202e"


@pytest.mark.parametrize("make", [
    lambda name: Agency("mx.semar", name, "mx"),
    lambda name: Unit("mx.semar.uie", "mx.semar", name),
    lambda name: Analyst("ana@mx.semar.uie", "mx.semar.uie", name),
    lambda name: Agreement("fw", name, "bilateral", frozenset({"us.dea"})),
])
def test_names_and_titles_refuse_bidirectional_controls(make: object) -> None:
    assert callable(make)
    make("Unidad de Inteligencia Especial")
    with pytest.raises(ValidationError, match="U\\+202E"):
        make(f"Unidad {RLO}laicepsE")


def test_an_agreement_is_in_force_between_its_dates() -> None:
    open_ended = Agreement("fw", "Framework", "bilateral", frozenset({"us.dea"}))
    assert open_ended.in_force(T)
    ended = Agreement("fw", "Framework", "bilateral", frozenset({"us.dea"}), T, T + timedelta(1))
    assert (ended.in_force(T - timedelta(seconds=1)), ended.in_force(T),
            ended.in_force(T + timedelta(1))) == (False, True, False)
    with pytest.raises(ValidationError, match="end after it begins"):
        Agreement("fw", "Framework", "bilateral", frozenset({"us.dea"}), T, T)
    with pytest.raises(ValidationError, match="time zone"):
        Agreement("fw", "Framework", "bilateral", frozenset({"us.dea"}), datetime(2024, 1, 1))


@pytest.mark.parametrize("make", [
    lambda: Agency("MX SEMAR", "Secretaría de Marina", "mx"),
    lambda: Unit("mx.semar.uie", "mx semar", "UIE"),
    lambda: Unit(None, "mx.semar", "UIE"),  # type: ignore[arg-type]
])
def test_a_bad_party_id_is_the_partys_validation_error_not_a_marking_error(make: object) -> None:
    assert callable(make)
    with pytest.raises(ValidationError, match="dotted lowercase name") as raised:
        make()
    assert type(raised.value) is ValidationError
