"""`tearline vet|unvet|release|recall|consent|mark` end to end on a demo-loaded store, on
every backend.

What each command changes is looked at through `tearline show --as UNIT` (now, and at
the instants `--at` names) and in the store's own history; each refusal exits non-zero,
says why, and changes nothing: no row of history, no audit entry, nobody sees more.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from demo_world import NEVER, DemoWorkspace, has_red_portion, load, no_portion

from tearline.demo import scenario as sc
from tearline.model.marking import Selector, Tlp
from tearline.model.record import Record
from tearline.store import parties, releases
from tearline.store.marking_changes import marking_history
from tearline.store.store import Store


@pytest.fixture
def ws(store: Store, db_url: str, tmp_path: Path, data_dir: Path) -> DemoWorkspace:
    return load(store, db_url, tmp_path, data_dir)


def props(rec: Record, keep: frozenset[str] | None = None) -> dict[str, list[str]]:
    """A record's values per property (of the statements in ``keep``, if given)."""
    out: dict[str, list[str]] = {}
    for s in rec.statements:
        if keep is None or s.id in keep:
            out.setdefault(s.prop, []).append(s.value)
    return {p: sorted(set(v)) for p, v in out.items()}


def shown(ws: DemoWorkspace, entity_id: str, unit: str, *at: str) -> dict[str, list[str]]:
    """What `tearline show --as UNIT [--at T] --format json` gives of the record."""
    result = ws.invoke("show", entity_id, "--as", unit, *at, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == entity_id
    return {p: sorted(v) for p, v in data["properties"].items()}


def hidden(ws: DemoWorkspace, entity_id: str, unit: str, *at: str) -> None:
    """`tearline show` answers exactly as for an id that was never created."""
    said = ws.fails(3, "show", entity_id, "--as", unit, *at)
    assert said == f"not found: no record '{entity_id}'"
    assert said.replace(entity_id, NEVER) == ws.fails(3, "show", NEVER, "--as", unit, *at)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_vet_shows_a_vetted_by_record_to_the_unit_and_unvet_hides_it_from_that_instant(
    ws: DemoWorkspace,
) -> None:
    rec = ws.pick("Person", sc.US_DEA, sc.US_VETTED, no_portion)  # REL TO vetted-by:us.dea
    assert shown(ws, rec.id, sc.UIE, "--at", "2024-01-01T00:00:00Z") == props(rec)
    hidden(ws, rec.id, sc.FEMDO)  # mx.fgr.femdo is not vetted by us.dea

    said = ws.ok("vet", sc.FEMDO, "--by", sc.US_DEA, "--from", "2021-06-01T00:00:00Z",
                 "--until", "2100-01-01T00:00:00Z")
    made = re.fullmatch(r"mx\.fgr\.femdo vetted by us\.dea from 2021-06-01T00:00Z until "
                        r"2100-01-01T00:00Z \((vet-[0-9a-f]{20})\)", said)
    assert made is not None, said
    with ws.store.reading() as conn:
        [vetting] = [v for v in parties.vettings(conn) if v.unit == sc.FEMDO]
    assert (vetting.id, vetting.by, vetting.revoked_at) == (made[1], sc.US_DEA, None)
    assert shown(ws, rec.id, sc.FEMDO) == props(rec)
    hidden(ws, rec.id, sc.FEMDO, "--at", "2021-05-31T23:59:59Z")  # before the vetting starts

    before = datetime.now(UTC)
    said = ws.ok("unvet", sc.FEMDO, "--by", sc.US_DEA)
    assert said == f"revoked {made[1]}: mx.fgr.femdo is no longer vetted by us.dea"
    hidden(ws, rec.id, sc.FEMDO)
    assert shown(ws, rec.id, sc.FEMDO, "--at", iso(before)) == props(rec)  # history kept
    with ws.store.reading() as conn:
        [vetting] = [v for v in parties.vettings(conn) if v.unit == sc.FEMDO]
    assert vetting.revoked_at is not None and vetting.revoked_at >= before
    # the demo's own vetting of mx.semar.uie is untouched
    assert shown(ws, rec.id, sc.UIE, "--at", "2024-01-01T00:00:00Z") == props(rec)

    assert ws.fails(3, "unvet", sc.FEMDO, "--by", sc.US_DEA) == (
        "not found: no vetting of mx.fgr.femdo by us.dea is in force")
    assert "an agency does not vet its own units" in ws.fails(
        2, "vet", sc.EL_PASO, "--by", sc.US_DEA, "--until", "2100-01-01T00:00:00Z")
    assert "unknown unit 'mx.fgr.nobody'" in ws.fails(
        2, "vet", "mx.fgr.nobody", "--by", sc.US_DEA, "--until", "2100-01-01T00:00:00Z")


def test_release_shows_the_record_to_the_unit_and_recall_takes_it_back(
    ws: DemoWorkspace,
) -> None:
    rec = ws.pick("Person", sc.US_DEA, sc.AGENCY_ONLY, has_red_portion)  # us.dea only
    red = {s.id for s in rec.statements if s.marking is not None and s.marking.tlp is Tlp.RED}
    kept = frozenset(s.id for s in rec.statements) - red
    hidden(ws, rec.id, sc.FEMDO)

    said = ws.ok("release", rec.id, "--as", sc.SOD, "--to", f"unit:{sc.FEMDO}",
                 "--basis", sc.MLAT)
    made = re.match(rf"(rel-[0-9a-f]{{24}}): {rec.id} released to unit:mx\.fgr\.femdo by "
                    rf"us\.dea\.sod under us-mx/mlat-1987 \((\d+) statements\)", said)
    assert made is not None, said
    assert int(made[2]) == len(kept)
    for stmt_id in red:  # an informant-derived portion: RED is never released
        assert f"not released: {stmt_id}: TLP:RED is never released" in said
    assert shown(ws, rec.id, sc.FEMDO) == props(rec, kept)
    assert "birthDate" in props(rec) and "birthDate" not in props(rec, kept)
    hidden(ws, rec.id, sc.NAVAL_POLICE)  # released to one unit, not to anyone else
    with ws.store.reading() as conn:
        [release] = releases.releases(conn, [rec.id])
    assert (release.id, release.to, release.basis, release.items, release.revoked_at) == (
        made[1], Selector.parse(f"unit:{sc.FEMDO}"), sc.MLAT, kept, None)

    released = datetime.now(UTC)
    assert "only units of the originating agency us.dea may recall" in ws.fails(
        1, "recall", rec.id, "--as", sc.FEMDO)
    said = ws.ok("recall", rec.id, "--as", sc.SOD)
    assert said == f"revoked 1 release(s) of {rec.id}: {made[1]}"
    hidden(ws, rec.id, sc.FEMDO)
    assert shown(ws, rec.id, sc.FEMDO, "--at", iso(released)) == props(rec, kept)
    with ws.store.reading() as conn:
        [release] = releases.releases(conn, [rec.id])
    assert release.revoked_at is not None and release.revoked_at >= released


def test_release_refusals_say_why_and_change_nothing(ws: DemoWorkspace,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    us_only = ws.pick("Person", sc.US_DEA, sc.AGENCY_ONLY, no_portion)
    red = ws.pick("Person", sc.US_DEA, sc.NAMED_UNITS)  # RED to us.dea.sod, mx.semar.uie
    orcon = ws.pick("Person", sc.MX_SEMAR, sc.SEMAR_TO_US, no_portion)  # ORCON, to us.dea
    ids = [us_only.id, red.id, orcon.id]
    entries = ws.audit_size()
    refusals = [
        (("release", us_only.id, "--as", sc.SOD, "--to", f"agency:{sc.MX_FGR}"), 1,
         f"error (denied): you may not release {us_only.id} to agency:mx.fgr: "
         "a release beyond us.dea needs a legal basis"),
        (("release", red.id, "--as", sc.UIE, "--to", f"agency:{sc.MX_SEMAR}", "--basis",
          sc.SECURITY_FRAMEWORK), 1,
         f"error (denied): you may not release {red.id} to agency:mx.semar: "
         "TLP:RED is never released: only the units its marking names may see it"),
        (("release", orcon.id, "--as", sc.SOD, "--to", f"unit:{sc.FEMDO}", "--basis", sc.MLAT),
         1, f"error (denied): you may not release {orcon.id} to unit:mx.fgr.femdo: ORCON: "
         "onward release needs a recorded consent of the originating agency mx.semar"),
        (("release", us_only.id, "--as", sc.SOD), 2,
         "error: say to whom: --to agency:ID, unit:ID or vetted-by:AGENCY"),
        (("release", us_only.id, "--as", sc.SOD, "--to", f"unit:{sc.FEMDO}", "--basis",
          "no-such-treaty"), 2,
         "error: legal basis refused - basis: legal basis 'no-such-treaty' is not an "
         "agreement recorded on this node"),
        (("release", us_only.id, "--as", sc.SOD, "--to", f"unit:{sc.FEMDO}", "--basis",
          sc.SECURITY_FRAMEWORK), 2,
         f"error: legal basis refused - basis: agreement '{sc.SECURITY_FRAMEWORK}' does not "
         "bind mx.fgr, reached by unit:mx.fgr.femdo"),
        (("release", us_only.id, "--as", sc.SOD, "--to", "everyone"), 2,
         "error: invalid releasable_to selector 'everyone'"),
        # a record the acting unit does not see is not there to release
        (("release", us_only.id, "--as", sc.UIE, "--to", f"agency:{sc.MX_SEMAR}"), 3,
         f"not found: no record '{us_only.id}'"),
    ]
    for args, code, message in refusals:
        said = ws.fails(code, *args)
        assert said.startswith(message), f"{args}: {said}"
    with monkeypatch.context() as spanish:  # the whole denial, its reasons too
        spanish.setenv("TEARLINE_LANG", "es-MX")
        said = ws.fails(1, "release", orcon.id, "--as", sc.SOD, "--to", f"unit:{sc.FEMDO}",
                        "--basis", sc.MLAT)
    assert said.endswith(f"usted no puede difundir {orcon.id} a unit:mx.fgr.femdo: ORCON: la "
                         "redifusión requiere un consentimiento registrado de la agencia de "
                         "origen mx.semar"), said
    assert ws.audit_size() == entries
    with ws.store.reading() as conn:
        assert releases.releases(conn, ids) == []
        assert releases.consents(conn, ids) == []
    hidden(ws, us_only.id, sc.FEMDO)
    hidden(ws, red.id, sc.NAVAL_POLICE)
    hidden(ws, orcon.id, sc.FEMDO)


def test_orcon_onward_release_rests_on_the_originators_consent(ws: DemoWorkspace) -> None:
    orcon = ws.pick("Person", sc.MX_SEMAR, sc.SEMAR_TO_US, no_portion)
    us_only = ws.pick("Person", sc.US_DEA, sc.AGENCY_ONLY, no_portion)
    entries = ws.audit_size()
    refusals = [
        (("consent", orcon.id, "--as", sc.SOD, "--to", sc.MX_FGR), 1,
         f"error (denied): you may not consent for {orcon.id}: only an originating agency "
         "(mx.semar) consents to onward release of its items"),
        (("consent", orcon.id, "--as", sc.UIE), 2,
         "error: say which agency may release onward: --to AGENCY"),
        (("consent", orcon.id, "--as", sc.UIE, "--to", sc.MX_SEMAR), 2,
         "error: an agency does not need its own consent"),
        (("consent", orcon.id, "--as", sc.UIE, "--to", "mx.nobody"), 2,
         "error: unknown agency 'mx.nobody'"),
        (("consent", us_only.id, "--as", sc.UIE, "--to", sc.US_DEA), 3,
         f"not found: no record '{us_only.id}'"),
        (("consent", orcon.id, "--as", sc.UIE, "--withdraw", "con-nothing"), 3,
         "not found: no consent 'con-nothing' of mx.semar in force"),
        (("consent", orcon.id, "--to", sc.US_DEA), 2,
         "error: say who is acting: --as UNIT or --as name@UNIT"),
    ]
    for args, code, message in refusals:
        said = ws.fails(code, *args)
        assert said.startswith(message), f"{args}: {said}"
    assert ws.audit_size() == entries
    with ws.store.reading() as conn:
        assert releases.consents(conn, [orcon.id, us_only.id]) == []

    said = ws.ok("consent", orcon.id, "--as", sc.UIE, "--to", sc.US_DEA)
    given = re.fullmatch(rf"(con-[0-9a-f]{{24}}): us\.dea may release {orcon.id} onward "
                         r"\(consent of mx\.semar\)", said)
    assert given is not None, said
    ws.ok("release", orcon.id, "--as", sc.SOD, "--to", f"unit:{sc.FEMDO}", "--basis", sc.MLAT)
    assert shown(ws, orcon.id, sc.FEMDO) == props(orcon)
    # withdrawing the consent ends what the onward release gave, at that instant
    assert ws.ok("consent", orcon.id, "--as", sc.UIE, "--withdraw", given[1]) == (
        f"consent {given[1]} withdrawn")
    hidden(ws, orcon.id, sc.FEMDO)
    with ws.store.reading() as conn:
        [consent] = releases.consents(conn, [orcon.id])
    assert consent.id == given[1] and consent.withdrawn_at is not None


@pytest.mark.parametrize("selector", [f"agency:{sc.MX_SEMAR}", f"vetted-by:{sc.US_DEA}"])
def test_mark_refuses_red_for_a_whole_agency_or_group_and_says_why(
    ws: DemoWorkspace, selector: str
) -> None:
    rec = ws.pick("Person", sc.US_DEA, sc.US_VETTED, no_portion)
    entries = ws.audit_size()
    said = ws.fails(2, "mark", rec.id, "--as", sc.SOD, "--tlp", "RED", "--rel-to", selector,
                    "--legal-basis", sc.SECURITY_FRAMEWORK)
    assert said == (
        f"error: invalid marking - TLP:RED is for named individuals' units only; selectors "
        f"{selector} would release it to whole agencies or groups. Name the units with "
        "unit:<id>, or use AMBER.")
    assert ws.audit_size() == entries
    with ws.store.reading() as conn:
        assert marking_history(conn, rec.id) == []
    result = ws.invoke("show", rec.id, "--as", sc.SOD, "--format", "json")
    assert json.loads(result.stdout)["marking"] == sc.US_VETTED.to_dict()


def test_mark_refusals_by_other_agencies_and_without_a_basis(ws: DemoWorkspace) -> None:
    orcon = ws.pick("Person", sc.MX_SEMAR, sc.SEMAR_TO_US, no_portion)  # us.dea sees it
    us_only = ws.pick("Person", sc.US_DEA, sc.AGENCY_ONLY, no_portion)
    entries = ws.audit_size()
    said = ws.fails(1, "mark", orcon.id, "--as", sc.SOD, "--tlp", "AMBER+STRICT")
    assert said.startswith(f"error (denied): you may not change the marking of {orcon.id}")
    assert "mx.semar" in said
    said = ws.fails(2, "mark", us_only.id, "--as", sc.SOD, "--tlp", "AMBER", "--rel-to",
                    f"agency:{sc.MX_FGR}")
    assert said.startswith("error: ") and "legal basis" in said
    to_fgr = ("mark", us_only.id, "--as", sc.SOD, "--tlp", "AMBER", "--rel-to",
              f"agency:{sc.MX_FGR}", "--legal-basis")
    assert ws.fails(2, *to_fgr, "made-up-2024") == (
        "error: legal basis refused - legal_basis: legal basis 'made-up-2024' is not an "
        "agreement recorded on this node: record it first (`tearline party add-agreement`, "
        "POST /api/v1/parties/agreements)")
    assert ws.fails(2, *to_fgr, sc.SECURITY_FRAMEWORK) == (
        f"error: legal basis refused - legal_basis: agreement '{sc.SECURITY_FRAMEWORK}' does "
        "not bind mx.fgr, reached by agency:mx.fgr (its parties: mx.semar, us.dea)")
    assert ws.audit_size() == entries
    with ws.store.reading() as conn:
        assert marking_history(conn, orcon.id) == marking_history(conn, us_only.id) == []
    hidden(ws, us_only.id, sc.FEMDO)
