"""Seizure sizes per drug and kind of place, derived from CBP and bundled; the synthetic
seizures keep to them (no 14.5 t of fentanyl from a fishing vessel)."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.demo import sizes
from tearline.demo.calibration import grams_of
from tearline.demo.synthetic import generate
from tearline.model.record import Record
from tearline.sources.cbp import default_cbp_paths, monthly_totals, read_cbp

HERE = Path(__file__).resolve().parent / "data"
BUNDLED = Path(sizes.__file__).resolve().parent / sizes.DATA
KIND_OF_CONVEYANCE = {
    "container vessel": "seaport", "fishing vessel": "seaport",
    "international mail": "mail-facility", "express consignment": "mail-facility",
}  # fmt: skip


def test_the_bundled_profiles_are_derived_from_the_cbp_files(data_dir: Path) -> None:
    series = read_cbp(default_cbp_paths(data_dir))
    derived = sizes.to_json(sizes.derive(series.rows), (f.sha256 for f in series.files))
    assert BUNDLED.read_text("utf-8") == derived
    document = json.loads(derived)
    assert len(document["profiles"]) == len(sizes.DRUGS) * len(sizes.SLICES)


def test_a_slice_is_described_by_its_events_mean_scatter_and_largest_row() -> None:
    from tearline.sources.cbp import CbpRow

    def row(events: int, pounds: float) -> CbpRow:
        return CbpRow(2023, date(2023, 1, 1), "U.S. Border Patrol", "Southwest Border",
                      "Land Only", "TUCSON SECTOR", "fentanyl", "Fentanyl", events, pounds)

    pounds_per_kg = 1 / 0.45359237
    (profile,) = sizes.derive([row(1, 10 * pounds_per_kg), row(3, 6 * pounds_per_kg)])
    assert (profile.drug, profile.slice, profile.events, profile.rows) == (
        "fentanyl", "patrol", 4, 2)  # fmt: skip
    assert profile.mean_kg == pytest.approx(4.0)  # 16 kg over 4 events
    # rows' means 10 and 2 around 4: (1·36 + 3·4) / 1 = 48; sigma² = ln(1 + 48/16)
    assert profile.sigma == pytest.approx((2 * 0.6931471805599453) ** 0.5, abs=1e-4)
    assert profile.cap_kg == pytest.approx(10.0)


def test_draws_are_capped_and_deterministic() -> None:
    cap = sizes.profiles()[("fentanyl", "seaport")].cap_kg
    first = [sizes.draw_kg(random.Random(3), "fentanyl", "seaport") for _ in range(5)]
    assert first == [sizes.draw_kg(random.Random(3), "fentanyl", "seaport") for _ in range(5)]
    rng = random.Random(1)
    assert max(sizes.draw_kg(rng, "fentanyl", "seaport") for _ in range(20_000)) <= cap


@pytest.fixture(scope="module")
def demo_seizures(data_dir: Path) -> list[Record]:
    cbp = monthly_totals(read_cbp(default_cbp_paths(data_dir)))
    names = [n for n in (HERE / "org_names.txt").read_text("utf-8").splitlines()
             if n and not n.startswith("#")]  # fmt: skip
    return [r for r in generate(7, cbp, names, keyer=TEST_KEYER) if r.schema == "Seizure"]


def test_no_synthetic_seizure_is_larger_than_cbp_shows_for_its_drug_and_place(
    demo_seizures: list[Record],
) -> None:
    profiles = sizes.profiles()
    checked = 0
    for record in demo_seizures:
        conveyance = record.values("conveyance")[0]
        country = record.values("country")[0]
        kind = KIND_OF_CONVEYANCE.get(conveyance, "land-port" if country == "us" else "inland")
        if country == "us" and kind == "seaport":
            pytest.fail(f"a U.S. seizure from a vessel: {record.id}")
        drug = record.values("drug")[0]
        kg = grams_of(record.values("grossWeight")[0]) / 1000
        assert kg <= profiles[(drug, kind)].cap_kg, (record.id, drug, conveyance, kg)
        checked += 1
    vessels = [r for r in demo_seizures if r.values("conveyance")[0].endswith("vessel")
               and r.values("drug") == ["fentanyl"]]  # fmt: skip
    assert vessels and checked > 1000
