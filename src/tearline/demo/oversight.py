"""``tearline oversight demo``: five days of a vetted navy unit's exchanges with the DEA,
and the report the law asks for, due on day 3, overdue on day 4, signed and proved.

The story runs on the SEMAR node (mx.semar.uie) over an injected clock — no step waits
for real time — starting on a Monday (day 0):

* day 0: a pull from the DEA node (us.dea.sod) stores DEA records released to the
  vetted unit (the real pull's page step: ``Puller.store_page``);
* day 1: the DEA node pulls what SEMAR shares with it and returns its signed receipt
  (``record_receipt``): a federation sync;
* day 2: a DEA unit's deconfliction check meets a selector the vetted unit registered,
  and the DEA node's signed notice of the hit arrives (``accept_page``);
* day 3: the unit's analyst logs a meeting with a DEA agent (``contact log``).

``oversight due`` on day 3 shows the day-0 draft due; on day 4 it is overdue. The
designated officer signs the report on day 4; ``oversight verify`` finds it complete,
and a copy with one exchange removed fails. The DEA node here is a second identity
(its own signing key and certificate) under the demo folder, never a listener: what
SEMAR's node logs is exactly what it logs when the documents come over the wire.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tearline.audit.events import clock
from tearline.deconflict import documents as docs
from tearline.deconflict import selectors, threshold, tokens
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.errors import IntegrityError
from tearline.federation.deconflict_docs import accept_page, logged, sign
from tearline.federation.identity import init_node
from tearline.federation.partners import Partner
from tearline.federation.receipts import build_receipt, record_receipt
from tearline.federation.results import CollectionResult
from tearline.federation.sync import Puller
from tearline.federation.taxii_resources import Page
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.oversight.contacts import Contact
from tearline.oversight.terms import Term
from tearline.stix.export import to_stix
from tearline.store import (
    Peer,
    Store,
    add_peer,
    audit_log,
    deconflict_index,
    deconflict_keys,
    oversight,
    oversight_reports,
)

#: Day 0 of the story: a Monday.
DAY0 = datetime(2026, 1, 5, tzinfo=UTC)
OFFICER = f"ana@{scenario.UIE}"
ROOT = "https://127.0.0.1:9443/taxii2/api/"
#: The vessel SEMAR's unit registers for deconfliction, and the DEA's check meets.
VESSEL = "IMO 9074729"


class Clock:
    """The injected clock: the story sets it; every entry takes its time from it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def day(self, n: int, hour: int) -> datetime:
        self.now = DAY0 + timedelta(days=n, hours=hour)
        return self.now


@dataclass
class Outcome:
    """What the demo shows, for its printout and its test."""

    due: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    report_path: Path | None = None
    verified: dict[str, Any] = field(default_factory=dict)
    tampered_error: str = ""


def _dea_records(store: Store, n: int, first: int) -> list[Record]:
    marking = Marking.build("AMBER", [f"unit:{scenario.UIE}"],
                            legal_basis=scenario.SECURITY_FRAMEWORK)
    prov = Provenance(scenario.US_DEA, scenario.SOD, DAY0)
    out = []
    for i in range(first, first + n):
        if i % 3 == 2:
            out.append(build_record(f"dea-vessel-{i}", "Vessel",
                                    {"name": [f"Demo vessel {i}"]}, prov, marking,
                                    keyer=store.keyer))
        else:
            out.append(build_record(f"dea-person-{i}", "Person",
                                    {"name": [f"Demo person {i}"], "nationality": ["mx"]},
                                    prov, marking, keyer=store.keyer))
    return out


def _token(store: Store, at: datetime) -> str:
    """The vessel's token as the nodes make it: a key dealt 2 of 3, SEMAR's node holding
    one share and applying it itself, the DEA node's share evaluating the blinded
    element (here in process: the DEA node is simulated), no node holding the key."""
    key_id, shares = deconflict_keys.deal(2, 3)
    with store.transaction() as conn:
        deconflict_keys.install_share(conn, key_id, shares[0], at, "demo")
    batch = tokens.blind_batch([selectors.parse("imo", VESSEL)])
    answers = {shares[1].index: threshold.evaluate_many(shares[1], batch.elements)}
    return tokens.finish(batch, answers, 2, local=shares[0])[0]


def _registration(store: Store, semar: Any, at: datetime) -> docs.Registration:
    reg = docs.Registration(
        id=docs.new_id("dr"), token=_token(store, at), kind="imo",
        agency=scenario.MX_SEMAR, unit=scenario.UIE,
        contact="UIE duty officer, +52 55 0000 0000", since=docs.stamp(at),
        expires=docs.stamp(at + timedelta(days=180)), node=semar.identity.name)
    with store.transaction() as conn:
        deconflict_index.store_documents(conn, [(reg, sign(semar.key, reg))],
                                         semar.identity.name, at)
        audit_log.append(conn, logged(reg, f"analyst:{OFFICER}", at))
    return reg


def run(root: Path, terms: dict[str, Term] | None = None,
        say: Callable[[str], None] = lambda _: None) -> Outcome:
    """Tell the story in ``root`` (a fresh folder); returns what it showed."""
    terms = terms or {}
    time = Clock(DAY0)
    semar = init_node(root / "keys", scenario.MX_SEMAR, scenario.UIE, scenario.UIE,
                      now=DAY0)
    dea = init_node(root / "dea-node" / "keys", scenario.US_DEA, scenario.SOD, scenario.SOD,
                    now=DAY0)
    store = Store.open(f"sqlite:///{root / 'tearline.sqlite'}")
    out = Outcome()
    try:
        seed_parties(store, DAY0 - timedelta(days=30))
        dea_peer = Peer.from_identity(dea.identity)
        with clock(time), store.transaction() as conn:
            add_peer(conn, dea_peer, DAY0)
            oversight.designate(conn, scenario.MX_SEMAR, OFFICER, "system")
        partner = Partner(dea_peer.name, dea_peer.agency, ROOT, True, dea_peer.verifier_key)
        puller = Puller(store, partner, node_key=semar.key, own_agency=scenario.MX_SEMAR,
                        node_name=semar.identity.name, clock=time)
        with clock(time):
            time.day(0, 15)
            objects = to_stix(_dea_records(store, 5, 0)).bundle["objects"]
            puller.store_page(ROOT, "dea-shared", Page(tuple(objects), False, None, None,
                                                      "2026-01-05T15:00:00.000000Z"),
                              CollectionResult("dea-shared", "DEA shared"))
            say("day 0: pulled 5 DEA records (4 persons, 1 vessel) from us.dea.sod")
            time.day(1, 10)
            receipt = build_receipt(dea.key, dea.identity.name, "semar-shared",
                                    [("report--demo-1", "2026-01-06T10:00:00.000Z")],
                                    time.now)
            record_receipt(store, dea_peer, json.dumps(receipt).encode())
            say("day 1: us.dea.sod pulled SEMAR's shared collection; its receipt recorded")
            time.day(2, 9)
            reg = _registration(store, semar, time.now)
            time.day(2, 16)
            notice = docs.Notice(id=docs.new_id("dn"), registration_id=reg.id,
                                 holder_agency=scenario.MX_SEMAR,
                                 checker_agency=scenario.US_DEA, checker_unit=scenario.SOD,
                                 agreement_id=scenario.SECURITY_FRAMEWORK,
                                 at=docs.stamp(time.now), node=dea.identity.name)
            with store.transaction() as conn:
                accept_page(conn, dea_peer, scenario.MX_SEMAR, [sign(dea.key, notice)],
                            time.now)
            say("day 2: a DEA check met the unit's registered vessel: deconfliction hit")
            time.day(3, 12)
            with store.transaction() as conn:
                oversight.log_contact(conn, Contact(
                    unit=scenario.UIE, officials=(OFFICER,), foreign_agency=scenario.US_DEA,
                    foreign_unit=scenario.SOD, foreign_agents="DEA liaison agent (demo)",
                    met_at=DAY0 + timedelta(days=3, hours=10),
                    place="Veracruz naval base", subject="Maritime interdiction liaison"),
                    scenario.MX_SEMAR, f"analyst:{OFFICER}")
            say("day 3: the analyst logged a meeting with a DEA liaison agent")
            for day in (3, 4):
                with store.reading() as conn:
                    items = oversight_reports.due(conn, scenario.MX_SEMAR,
                                                  (DAY0 + timedelta(days=day)).date(), terms,
                                                  node_agency=scenario.MX_SEMAR)
                out.due[day] = [(i.draft.exchange.id, i.draft.exchange.nature, i.status)
                                for i in items]
            time.day(4, 17)
            with store.transaction() as conn:
                out.report, _ = oversight_reports.sign(conn, scenario.MX_SEMAR, OFFICER,
                                                       semar.key, "es", terms,
                                                       scenario.MX_SEMAR)
        with store.reading() as conn:
            out.verified = oversight_reports.verify(conn, out.report, semar.key.name,
                                                    semar.key.public_key, terms,
                                                    scenario.MX_SEMAR)
            tampered = dict(out.report, exchanges=out.report["exchanges"][1:])
            try:
                oversight_reports.verify(conn, tampered, semar.key.name,
                                         semar.key.public_key, terms, scenario.MX_SEMAR)
            except IntegrityError as exc:
                out.tampered_error = exc.message
    finally:
        store.close()
    return out


def day_of(moment: date) -> int:
    return (moment - DAY0.date()).days
