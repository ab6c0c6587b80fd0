"""An oversight officer sees its own agency's exchanges, never another's: two worlds that
differ only in another Mexican agency's exchanges with the DEA give SEMAR's officer the
same drafts and the same signed report's exchanges."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tearline.audit.events import clock
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.keys import create_node_key
from tearline.model.marking import Marking, Selector
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.oversight.contacts import Contact
from tearline.store import oversight, oversight_reports, releases
from tearline.store.store import Store

DAY0 = datetime(2026, 1, 5, 15, tzinfo=UTC)
OFFICER = f"ana@{scenario.UIE}"


def url(root: Path) -> str:
    return f"sqlite:///{root / 'tearline.sqlite'}"


def base(root: Path) -> None:
    """SEMAR's exchanges, in a workspace both worlds copy (the same node secrets)."""
    root.mkdir()
    store = Store.open(url(root))
    try:
        seed_parties(store, DAY0 - timedelta(days=30))
        prov = Provenance(scenario.US_DEA, scenario.SOD, DAY0)
        mark = Marking.build("AMBER", [f"agency:{scenario.MX_SEMAR}",
                                       f"agency:{scenario.MX_FGR}"],
                             legal_basis=scenario.SECURITY_FRAMEWORK)
        with clock(lambda: DAY0):
            store.write([build_record("d-1", "Vessel", {"name": ["v"]}, prov, mark,
                                      keyer=store.keyer)], by=f"node:{scenario.SOD}")
        with clock(lambda: DAY0 + timedelta(hours=1)), store.transaction() as conn:
            oversight.designate(conn, scenario.MX_SEMAR, OFFICER, "system")
            oversight.log_contact(conn, Contact(
                scenario.UIE, (OFFICER,), scenario.US_DEA, scenario.SOD, "Agent", DAY0,
                "Veracruz", "Liaison"), scenario.MX_SEMAR, f"analyst:{OFFICER}")
    finally:
        store.close()


def shown(base_root: Path, root: Path, secret: bool) -> tuple[Any, ...]:
    """What SEMAR's officer is shown in a copy of the base; with ``secret``, FGR's own
    exchanges with the DEA happen first (after SEMAR's: the log's size and positions are
    public by design, docs/policy.md)."""
    shutil.copytree(base_root, root)
    store = Store.open(url(root))
    key, _ = create_node_key(root / "keys", "mx.semar.uie")
    try:
        if secret:
            fgr = f"marta@{scenario.FEMDO}"
            with clock(lambda: DAY0 + timedelta(hours=2)), store.transaction() as conn:
                oversight.log_contact(conn, Contact(
                    scenario.FEMDO, (fgr,), scenario.US_DEA, scenario.SOD, "Agent X",
                    DAY0, "Monterrey", "Extradition file"), scenario.MX_FGR,
                    f"analyst:{fgr}")
                releases.release(conn, store.subject(f"rivera@{scenario.SOD}"), "d-1",
                                 Selector.parse(f"unit:{scenario.FEMDO}"), scenario.MLAT,
                                 DAY0, "analyst:rivera@us.dea.sod")
        with store.transaction() as conn:
            due = oversight_reports.due(conn, scenario.MX_SEMAR, date(2026, 1, 9), {}, True,
                                        f"analyst:{OFFICER}", scenario.MX_SEMAR)
            document, _ = oversight_reports.sign(conn, scenario.MX_SEMAR, OFFICER, key, "es",
                                                 {}, scenario.MX_SEMAR)
    finally:
        store.close()
    return ([(i.draft.document(), i.status) for i in due],
            json.loads(json.dumps(document["exchanges"])))


def test_another_agencys_exchanges_change_nothing_the_officer_is_shown(tmp_path: Path) -> None:
    base(tmp_path / "base")
    a = shown(tmp_path / "base", tmp_path / "a", secret=False)
    b = shown(tmp_path / "base", tmp_path / "b", secret=True)
    assert a == b
    assert [x["nature"] for x in a[1]] == ["records-received", "contact"]
    assert "Monterrey" not in json.dumps(b)
