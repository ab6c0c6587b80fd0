"""Blind deconfliction across three real node processes on loopback (2-of-3 key).

DEA and the vetted SEMAR unit find they work the same phone and that their operations
meet in Culiacán the same night; FGR checks a phone and learns only "no overlap";
SEMAR and FGR, bound by no agreement, never deconflict with each other. Quotas are
enforced and refusals logged by the share holder; with one node offline the other two
still answer; a withdrawn registration no longer hits; forged registrations and
misaddressed notices are refused. Afterwards no table of any node, no log and no
index message holds a selector in plaintext.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from deconflict_world import Node, three_nodes
from sqlalchemy import create_engine, inspect, select, text

from tearline.audit.commitments import opens
from tearline.deconflict import documents as docs
from tearline.deconflict import events, selectors
from tearline.federation.deconflict_docs import sign
from tearline.federation.deconflict_flow import Deconfliction
from tearline.keys import load_node_key
from tearline.policy.subject import Subject
from tearline.store import audit_log, deconflict_index
from tearline.store import deconflict_tables as dt

pytestmark = pytest.mark.slow

PHONE_DEA = "+52 667 123 4567"
PHONE_SEMAR = "(667) 123-45-67"  # the same line, written as SEMAR's file has it
PHONE_FGR = "+52 55 5123 4567"
NIGHT_DEA = ("--lat", "24.8091", "--lon", "-107.3940",
             "--start", "2026-12-12T22:00:00-07:00", "--end", "2026-12-13T03:00:00-07:00")
NIGHT_SEMAR = ("--lat", "24.8120", "--lon", "-107.3975",
               "--start", "2026-12-12T23:30:00-07:00", "--end", "2026-12-13T04:00:00-07:00")


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Node]]:
    yield from three_nodes(tmp_path_factory.mktemp("deconflict"))


def register(node: Node, *args: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = node.json(
        "deconflict", "register", "--as", node.unit, "--contact",
        f"duty officer of {node.unit}", *args)
    return rows


def check(node: Node, *args: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = node.json("deconflict", "check", "--as", node.unit, *args)
    return rows


def test_dea_and_semar_meet_on_a_phone_and_fgr_sees_no_overlap(nodes: dict[str, Node]) -> None:
    dea, semar, fgr = nodes["dea"], nodes["semar"], nodes["fgr"]
    first = register(dea, "--kind", "phone", PHONE_DEA)
    assert [r["result"] for r in first] == ["no overlap"]
    second = register(semar, "--kind", "phone", "--country", "MX", PHONE_SEMAR)
    assert [(r["result"], r["agency"], r["unit"]) for r in second] == [
        ("overlap", dea.agency, dea.unit)]
    assert second[0]["contact"] == f"duty officer of {dea.unit}"
    # DEA learns who met its registration (after pulling SEMAR's notice), nothing more
    seen = dea.json("deconflict", "events", "--as", dea.unit)
    hits = [r for r in seen if r["event"] == "hit"]
    assert [h["by"] for h in hits] == [f"{semar.unit} ({semar.agency})"]
    assert [h["agreement"] for h in hits] == ["us-mx/bicentennial-framework-2021"]
    # FGR checks another phone: no overlap, and nothing else
    assert [r["result"] for r in check(fgr, "--kind", "phone", PHONE_FGR)] == ["no overlap"]
    # both sides logged the hit as an exchange under the agreement
    assert [e.role for e in dea.entries("deconflict.hit")] == ["holder"]
    assert [e.role for e in semar.entries("deconflict.hit")] == ["checker"]


def test_fgr_meets_dea_but_never_semar(nodes: dict[str, Node]) -> None:
    fgr = nodes["fgr"]
    rows = check(fgr, "--kind", "phone", PHONE_DEA)
    assert {(r["result"], r.get("agency")) for r in rows} == {("overlap", "us.dea")}


def test_operations_meet_in_sinaloa_the_same_night(nodes: dict[str, Node]) -> None:
    dea, semar = nodes["dea"], nodes["semar"]
    mine = register(dea, *NIGHT_DEA)
    assert {r["result"] for r in mine} == {"no overlap"}
    theirs = register(semar, *NIGHT_SEMAR)
    met = {(r["agency"], r["unit"]) for r in theirs if r["result"] == "overlap"}
    assert met == {(dea.agency, dea.unit)}
    # the hits of one check on one agency's registrations: one signed notice batch,
    # which the holder's node accepts as a notice, and a logged hit, for each
    held = len(dea.entries("deconflict.hit"))
    both = check(semar, "--kind", "phone", PHONE_DEA, *NIGHT_SEMAR)
    overlaps = [r["registration"] for r in both if r["result"] == "overlap"]
    store = semar.open_store()
    with store.reading() as conn:
        told = conn.execute(select(dt.documents.c.body).where(
            dt.documents.c.doc_type == "notices").order_by(dt.documents.c.seq.desc())).first()
    store.close()
    assert told is not None and len(overlaps) > 1
    assert [e["registration_id"] for e in json.loads(told.body)["entries"]] == overlaps
    dea.run("deconflict", "sync")
    pulled = len(overlaps) + sum(r["result"] == "overlap" for r in theirs)
    assert len(dea.entries("deconflict.hit")) == held + pulled
    later = register(semar, "--lat", "24.8091", "--lon", "-107.3940",
                     "--start", "2026-12-14T22:00:00-07:00", "--end", "2026-12-15T03:00:00-07:00")
    assert {r["result"] for r in later} == {"no overlap"}


def test_a_withdrawn_registration_no_longer_hits(nodes: dict[str, Node]) -> None:
    dea, semar = nodes["dea"], nodes["semar"]
    register(dea, "--kind", "vin", "1M8GDM9AXKP042788")
    assert {r["result"] for r in check(semar, "--kind", "vin", "1m8gdm9axkp042788")} == {
        "overlap"}
    store = dea.open_store()
    with store.reading() as conn:
        ids = [s.registration.id for s in deconflict_index.of_unit(conn, dea.unit)
               if s.registration.kind == "vin"]
    store.close()
    dea.run("deconflict", "withdraw", "--as", dea.unit, ids[0])
    assert {r["result"] for r in check(semar, "--kind", "vin", "1M8GDM9AXKP042788")} == {
        "no overlap"}
    assert [e.registration_id for e in semar.entries("deconflict.withdrawn")] == ids


def test_quota_refused_and_logged_by_the_share_holder(nodes: dict[str, Node]) -> None:
    dea, fgr = nodes["dea"], nodes["fgr"]
    dea.run("deconflict", "quota", fgr.unit, "--set", "3")
    done = fgr.run("deconflict", "check", "--as", fgr.unit, "--kind", "imo",
                   "IMO 9074729", "9074729", "IMO9074729", "9074729", check=False)
    assert done.returncode != 0 and "quota" in done.stderr
    # the unit is told in this node's words (DEA's count is of every unit of FGR's
    # node); DEA's own text is for the node's log, which the command line prints
    told = [line for line in done.stderr.splitlines() if "peer_unavailable" in line]
    assert told and "used today" not in told[0] and "quota" in told[0]
    refused = dea.entries("deconflict.refused")
    assert [(e.requester, e.element_count, e.daily_limit, e.reason) for e in refused] == [
        (f"unit:{fgr.unit}", 4, 3, "quota")]
    dea.run("deconflict", "quota", fgr.unit, "--set", "1000")


def test_one_node_offline_two_of_three_still_answer(nodes: dict[str, Node]) -> None:
    dea, semar = nodes["dea"], nodes["semar"]
    semar.stop()
    try:
        rows = check(dea, "--kind", "phone", "--country", "mx", "667 123 4567")
        assert rows[0]["result"] == "overlap" and rows[0]["agency"] == semar.agency
    finally:
        semar.start()


def test_forged_registrations_are_refused(nodes: dict[str, Node], tmp_path: Path) -> None:
    dea, semar = nodes["dea"], nodes["semar"]
    key = load_node_key(dea.keys_dir)
    claims_fgr = docs.Registration(docs.new_id("dr"), "ab" * 32, "phone", "mx.fgr",
                                   "mx.fgr.femdo", "nobody", "2026-01-01T00:00:00.000000Z",
                                   "2030-01-01T00:00:00.000000Z", dea.unit)
    honest = docs.Registration(docs.new_id("dr"), "cd" * 32, "phone", dea.agency, dea.unit,
                               "somebody", "2026-01-01T00:00:00.000000Z",
                               "2030-01-01T00:00:00.000000Z", dea.unit)
    tampered = sign(key, honest)
    tampered["token"] = "ef" * 32
    store = semar.open_store()
    with store.reading() as conn:  # a registration SEMAR already holds (from DEA's phone)
        taken = conn.execute(select(dt.registrations.c.id).where(
            dt.registrations.c.agency == dea.agency)).scalars().first()
    store.close()
    assert taken is not None
    # notices about a registration of DEA's, not of SEMAR's agency, addressed to SEMAR
    misaddressed = docs.NoticeBatch(docs.new_id("dh"), semar.agency, dea.agency, dea.unit, None,
                                    "2026-01-01T00:00:00.000000Z", dea.unit,
                                    ((docs.new_id("dn"), taken),))
    # a batch that would overwrite it, and a batch smuggling another agency's unit
    overwrites = docs.Batch(docs.new_id("db"), dea.agency, dea.unit, "somebody",
                            "2026-01-01T00:00:00.000000Z", "2030-01-01T00:00:00.000000Z",
                            dea.unit, ((taken, "12" * 32, "phone"),))
    repeats = docs.Batch(docs.new_id("db"), dea.agency, dea.unit, "somebody",
                         "2026-01-01T00:00:00.000000Z", "2030-01-01T00:00:00.000000Z",
                         dea.unit, ((docs.new_id("dr"), "34" * 32, "phone"),))
    repeats_again = docs.Batch(docs.new_id("db"), *[getattr(repeats, f) for f in (
        "agency", "unit", "contact", "since", "expires", "node")],
        entries=((repeats.entries[0][0], "56" * 32, "phone"),))
    store = dea.open_store()
    with store.transaction() as conn:  # as if DEA's node served them
        for i, (doc_id, body) in enumerate([(claims_fgr.id, sign(key, claims_fgr)),
                                            (honest.id, tampered),
                                            (overwrites.id, sign(key, overwrites)),
                                            (repeats.id, sign(key, repeats)),
                                            (repeats_again.id, sign(key, repeats_again)),
                                            (misaddressed.id, sign(key, misaddressed))]):
            conn.execute(dt.documents.insert().values(
                doc_id=doc_id, doc_type="registration", origin=dea.unit,
                addressed_to=semar.agency if doc_id == misaddressed.id else None,
                body=json.dumps(body), received_at=f"2026-01-01T00:00:0{i}.000000Z"))
    store.close()
    semar.run("deconflict", "sync")
    reasons = {(e.object_id, e.reason) for e in semar.entries("federation.refused")}
    assert (claims_fgr.id, "third-agency") in reasons
    assert (honest.id, "unverified") in reasons
    assert (overwrites.id, "overwrite") in reasons
    assert (repeats_again.id, "overwrite") in reasons and repeats.id not in dict(reasons)
    assert (misaddressed.id, "overwrite") in reasons
    store = semar.open_store()
    with store.reading() as conn:
        tokens = set(conn.execute(select(dt.registrations.c.token)).scalars())
    store.close()
    assert not {"ab" * 32, "cd" * 32, "ef" * 32, "12" * 32, "56" * 32} & tokens
    assert "34" * 32 in tokens


def test_no_selector_in_plaintext_in_any_table_log_or_message(
        nodes: dict[str, Node], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table of every node, the listeners' logs, and every message of a run (the
    protocol driven from this process, each HTTP body recorded) hold no selector."""
    dea, semar = nodes["dea"], nodes["semar"]
    messages: list[bytes] = []
    real_send = httpx.Client.send

    def recording(self: httpx.Client, request: httpx.Request, **kw: Any) -> httpx.Response:
        messages.append(request.content)
        response = real_send(self, request, **kw)
        response.read()
        messages.append(response.content)
        return response

    monkeypatch.setattr(httpx.Client, "send", recording)
    store = dea.open_store()
    with store.transaction() as conn:  # pull every peer's whole index again, recorded
        conn.execute(dt.cursors.delete())
    try:
        flow = Deconfliction(store, dea.keys_dir)
        subject = Subject(dea.unit, dea.agency)
        flow.register(subject, [selectors.passport("G 1234 5678", "MX")], "desk 4")
        outcome = flow.check(subject, [selectors.phone(PHONE_SEMAR, "mx")])
        assert outcome.hits[0] and outcome.hits[0][0].agency == semar.agency
        with store.reading() as conn:  # the query entry commits to the selector
            salt = audit_log.salt(conn)
        query = dea.entries("deconflict.query")[-1]
        assert opens(salt, query, "phone:+526671234567")
        assert not opens(salt, query, "phone:+526671234568")
    finally:
        store.close()
    assert len(messages) >= 6
    # the scans see what is there: the pointers are in the tables and in the messages
    assert any(f"duty officer of {semar.unit}".encode() in m for m in messages)
    assert any(b"tearline-deconfliction-evaluation" in m for m in messages)
    assert scan_database(semar.db_url, {f"duty officer of {dea.unit}"})

    op = events.PlannedOperation(24.8091, -107.3940, datetime.fromisoformat(NIGHT_DEA[5]),
                                 datetime.fromisoformat(NIGHT_DEA[7]))
    cells = {s.value.split(":", 1)[1].split("@")[0] for s in events.probes(op)}
    needles = {PHONE_DEA, PHONE_SEMAR, PHONE_FGR, "+526671234567", "6671234567", "667 123",
               "+525551234567", "5551234567", "1M8GDM9AXKP042788", "9074729",
               "G12345678", "G 1234 5678", "24.8091", "-107.394", *cells}
    needles |= {n.lower() for n in needles} | {n.encode().hex() for n in needles}
    found: list[str] = []
    for node in nodes.values():
        found += [f"{node.unit}: {hit}" for hit in scan_database(node.db_url, needles)]
        log = (node.workspace / "serve.log").read_text(errors="replace")
        found += [f"{node.unit} serve.log: {n}" for n in needles if n in log]
    for i, body in enumerate(messages):
        text = body.decode("utf-8", "replace")
        found += [f"message {i}: {n}" for n in needles if n in text]
    assert not found, found


def scan_database(url: str, needles: set[str]) -> list[str]:
    """Every cell of every table (bytes also as hex) checked for every needle."""
    engine = create_engine(url)
    hits = []
    try:
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    for cell in row:
                        value = cell.hex() if isinstance(cell, bytes) else str(cell)
                        hits += [f"{table}: {n}" for n in needles if n in value]
    finally:
        engine.dispose()
    return hits
