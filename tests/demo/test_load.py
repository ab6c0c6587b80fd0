"""The demo edge: organization names from OFAC and records calibrated to the CBP files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.demo.load import demo_records, read_org_names, trafficking_group_names
from tearline.errors import IngestError

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _data() -> Path:
    if not (DATA / "ofac").is_dir() or not (DATA / "cbp").is_dir():
        pytest.fail(f"reference data missing under {DATA} (see shared/data/README.md)")
    return DATA


def test_org_names_are_ofac_narcotics_trafficking_groups() -> None:
    names = read_org_names(_data())
    assert {"SINALOA CARTEL", "BELTRAN LEYVA ORGANIZATION", "LOS ZETAS",
            "CARTEL DE JALISCO NUEVA GENERACION"} <= set(names)
    assert not [n for n in names if "S.A." in n or "MONEY LAUNDERING" in n]
    assert 20 <= len(names) <= 60


def test_individuals_and_other_programs_are_left_out() -> None:
    lines = [
        '1,"SINALOA CARTEL",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '2,"BELTRAN LEYVA, Marcos Arturo","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,'
        '-0- ,-0- ,-0- ',
        '3,"SOME ORGANIZATION",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
    ]
    assert trafficking_group_names(lines, "t.csv") == ["SINALOA CARTEL"]
    with pytest.raises(IngestError):
        trafficking_group_names(['1,"A CARTEL",-0- '], "t.csv")


def test_demo_records_reads_both_sources() -> None:
    records = list(demo_records(2, _data(), scale=0.01, start=date(2021, 1, 1),
                                end=date(2021, 2, 1), keyer=TEST_KEYER))
    orgs = {r.values("name")[0] for r in records if r.schema == "Organization"}
    assert orgs & set(read_org_names(_data()))
    assert all(r.synthetic for r in records)
