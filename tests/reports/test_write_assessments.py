"""One assessment per unit, written to files, each from what that unit may see."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from filemodes import mode_of
from statement_keys import TEST_KEYER
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance, Statement
from tearline.reports import assessment
from tearline.reports.build import write_assessments
from tearline.store import parties
from tearline.store.store import Store

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
DEA = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=9), Reliability.A,
                 Credibility.CONFIRMED)  # fmt: skip


def test_one_file_per_unit_and_format(store: Store, tmp_path: Path) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), AT - timedelta(days=1))
        parties.put_agency(conn, Agency("mx.fgr", "FGR", "mx"), AT - timedelta(days=1))
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), AT - timedelta(days=1))
        parties.put_unit(conn, Unit("mx.fgr.femdo", "mx.fgr", "FEMDO"), AT - timedelta(days=1))
    store.write([
        build_record(f"sz-{n}", "Seizure", {"drug": ["fentanyl"], "grossWeight": [str(kg)],
                     "originCountry": ["mx"], "date": ["2023-01-05"]}, DEA, Marking.build(tlp),
                         keyer=TEST_KEYER)
        for n, (tlp, kg) in enumerate((("CLEAR", 2), ("AMBER+STRICT", 5)))
    ])  # fmt: skip
    units = ["us.dea.sod", "mx.fgr.femdo"]
    written = write_assessments(store, units, tmp_path / "out", AT, None,
                                formats=("html", "json"))  # fmt: skip
    assert [p.name for p in written] == [
        "assessment-us.dea.sod.html", "assessment-us.dea.sod.json",
        "assessment-mx.fgr.femdo.html", "assessment-mx.fgr.femdo.json",
    ]  # fmt: skip
    kg = {u: json.loads((tmp_path / "out" / f"assessment-{u}.json").read_text())["records"]["kg"]
          for u in units}  # fmt: skip
    assert kg == {"us.dea.sod": 7.0, "mx.fgr.femdo": 2.0}
    html = (tmp_path / "out" / "assessment-mx.fgr.femdo.html").read_text(encoding="utf-8")
    assert "mx.fgr.femdo" in html and "2024-05-03T12:00:00+00:00" in html


def test_each_units_figures_are_computed_once_for_all_its_formats(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), AT - timedelta(days=1))
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), AT - timedelta(days=1))
    built: list[str] = []
    original = assessment.build_assessment

    def counted(data: assessment.AssessmentInput,
                params: assessment.AssessmentParams) -> assessment.Assessment:
        built.append(data.subject)
        return original(data, params)

    monkeypatch.setattr(assessment, "build_assessment", counted)
    written = write_assessments(store, ["us.dea.sod"], tmp_path / "out", AT, None,
                                formats=("html", "json"))  # fmt: skip
    assert len(written) == 2 and built == ["us.dea.sod"]


@pytest.mark.usefixtures("permissive_umask")
def test_the_files_and_their_folder_are_private(store: Store, tmp_path: Path) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), AT - timedelta(days=1))
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), AT - timedelta(days=1))
    written = write_assessments(store, ["us.dea.sod"], tmp_path / "reports" / "q2", AT, None,
                                formats=("html", "json"))
    assert [mode_of(p) for p in written] == [0o600, 0o600]
    assert mode_of(tmp_path / "reports") == mode_of(tmp_path / "reports" / "q2") == 0o700


def test_stored_values_written_before_the_checks_do_not_break_a_report(
    store: Store, tmp_path: Path,
) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), AT - timedelta(days=1))
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), AT - timedelta(days=1))
    good = build_record("sz-1", "Seizure", {"drug": ["fentanyl"], "grossWeight": ["2"],
                        "originCountry": ["mx"], "date": ["2023-01-05"]}, DEA,
                        Marking.build("CLEAR"), keyer=TEST_KEYER)  # fmt: skip
    old = build_record("sz-2", "Seizure", {"drug": ["fentanyl"], "originCountry": ["mx"],
                       "date": ["2023-01-06"]}, DEA, Marking.build("CLEAR"),
                       keyer=TEST_KEYER)  # fmt: skip
    bad = Statement("sz-2", "Seizure", "grossWeight", "abc", "us.dea", "us.dea.sod", DEA.seen_at,
                    DEA.seen_at, id="st-stored-before-the-checks")  # fmt: skip
    store.write([good, replace(old, statements=(*old.statements, bad))])
    written = write_assessments(store, ["us.dea.sod"], tmp_path / "out", AT, None,
                                formats=("json", "html"))  # fmt: skip
    figures = json.loads(written[0].read_text())["records"]
    assert (figures["events"], figures["kg"]) == (2, 2.0)
