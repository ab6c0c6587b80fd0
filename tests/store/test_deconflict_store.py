"""The deconfliction tables on every backend: shares, quotas with logged refusals, the index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tearline.deconflict import documents as docs
from tearline.deconflict import group, oprf, threshold
from tearline.errors import ConfigError, Conflict, QuotaExceeded, ValidationError
from tearline.store import audit_log, deconflict_index, deconflict_keys
from tearline.store.store import Store

T = datetime(2026, 12, 12, 20, tzinfo=UTC)
KEY = group.random_scalar()
SHARES = threshold.split(KEY, 2, 3)
KEY_ID = "0123456789abcdef" * 2


def entries(store: Store, kind: str) -> list[object]:
    with store.reading() as conn:
        return [e.event() for e in audit_log.entries(conn, limit=100_000) if e.kind == kind]


def test_a_node_without_a_share_says_so(store: Store) -> None:
    with store.reading() as conn, pytest.raises(ConfigError, match="install-share"):
        deconflict_keys.current_share(conn)
    with store.transaction() as conn, pytest.raises(ValidationError, match="32 hex"):
        deconflict_keys.install_share(conn, "k1", SHARES[0], T, "admin")


def test_evaluations_count_against_the_daily_quota_and_refusals_are_logged(
        store: Store) -> None:
    with store.transaction() as conn:
        deconflict_keys.install_share(conn, KEY_ID, SHARES[0], T, "admin")
        deconflict_keys.install_share(conn, KEY_ID, SHARES[0], T, "admin")  # same: no-op
        with pytest.raises(Conflict):
            deconflict_keys.install_share(conn, KEY_ID, SHARES[1], T, "admin")
        deconflict_keys.set_quota(conn, "mx.fgr.femdo", 3, T, "admin")
    elements = [oprf.blind(b"x%d" % i).element for i in range(3)]
    done = deconflict_keys.evaluate_for(store, "node:fgr", "mx.fgr.femdo", elements[:2], T,
                                        "federation")
    assert done.answers == tuple(threshold.evaluate_share(SHARES[0], e) for e in elements[:2])
    with pytest.raises(QuotaExceeded, match="quota of 3"):
        deconflict_keys.evaluate_for(store, "node:fgr", "mx.fgr.femdo", elements[:2], T,
                                     "federation")
    deconflict_keys.evaluate_for(store, "node:fgr", "mx.fgr.femdo", elements[:1], T,
                                 "federation")  # the last slot
    with pytest.raises(QuotaExceeded):
        deconflict_keys.evaluate_for(store, "node:fgr", "mx.fgr.femdo", elements[:1], T,
                                     "federation")
    # a new UTC day, a new quota; another unit has its own
    deconflict_keys.evaluate_for(store, "node:fgr", "mx.fgr.femdo", elements[:1],
                                 T + timedelta(hours=5), "federation")
    deconflict_keys.evaluate_for(store, "unit:us.dea.sod", "us.dea.sod", elements, T, "local")
    evaluated = entries(store, "deconflict.evaluated")
    assert [(e.requester, e.element_count, e.used_today) for e in evaluated] == [  # type: ignore[attr-defined]
        ("unit:mx.fgr.femdo", 2, 2), ("unit:mx.fgr.femdo", 1, 3), ("unit:mx.fgr.femdo", 1, 1),
        ("unit:us.dea.sod", 3, 3)]
    refused = entries(store, "deconflict.refused")
    assert [(e.element_count, e.used_today, e.daily_limit) for e in refused] == [  # type: ignore[attr-defined]
        (2, 2, 3), (1, 3, 3)]


def test_bad_elements_are_refused_before_any_quota_is_spent(store: Store) -> None:
    with store.transaction() as conn:
        deconflict_keys.install_share(conn, KEY_ID, SHARES[0], T, "admin")
    for bad in (group.IDENTITY, b"\xff" * 32):  # the second fails inside libsodium
        with pytest.raises(ValidationError):
            deconflict_keys.evaluate_for(store, "node:x", "mx.fgr.femdo",
                                         [oprf.blind(b"ok").element, bad], T, "federation")
    with store.reading() as conn:
        assert deconflict_keys.used(conn, "mx.fgr.femdo", T.date().isoformat()) == 0


def registration(token: str, expires: datetime) -> docs.Registration:
    return docs.Registration(docs.new_id("dr"), token, "phone", "us.dea", "us.dea.sod",
                             "desk 4", docs.stamp(T), docs.stamp(expires), "us.dea.sod")


def test_the_index_matches_registrations_in_force_only(store: Store) -> None:
    live = registration("aa" * 32, T + timedelta(days=30))
    expired = registration("aa" * 32, T + timedelta(hours=1))
    withdrawn = registration("bb" * 32, T + timedelta(days=30))
    with store.transaction() as conn:
        for reg in (live, expired, withdrawn):
            assert deconflict_index.store_document(conn, reg, reg.to_document(), reg.node, T)
        assert not deconflict_index.store_document(conn, live, live.to_document(), "x", T)
        gone = docs.Withdrawal(docs.new_id("dw"), withdrawn.id, docs.stamp(T), withdrawn.node)
        deconflict_index.store_document(conn, gone, gone.to_document(), gone.node, T)
    with store.reading() as conn:
        found = deconflict_index.in_force(conn, ["aa" * 32, "bb" * 32, "cc" * 32],
                                          T + timedelta(hours=2))
        assert found == {"aa" * 32: [live]}
        page = deconflict_index.feed(conn, "us.dea.sod", None, "mx.semar")
        assert [d["id"] for d in page.documents] == [live.id, expired.id, withdrawn.id, gone.id]
        assert not page.more and deconflict_index.feed(conn, "us.dea.sod", page.last,
                                                       "mx.semar").documents == []
        first = deconflict_index.feed(conn, "us.dea.sod", None, "mx.semar", limit=2)
        assert first.more and first.last == expired.id


def test_a_notice_for_another_agency_changes_nothing_another_peer_is_served(
        store: Store) -> None:
    regs = [registration(f"{i:02x}" * 32, T + timedelta(days=30)) for i in range(3)]
    with store.transaction() as conn:
        for reg in regs[:2]:
            deconflict_index.store_document(conn, reg, reg.to_document(), reg.node, T)
    with store.reading() as conn:
        before = [deconflict_index.feed(conn, "us.dea.sod", None, "mx.semar", limit=n)
                  for n in (1, 2, 3)]
    notice = docs.Notice(docs.new_id("dn"), regs[0].id, "mx.fgr", "us.dea", "us.dea.sod",
                         None, docs.stamp(T), "us.dea.sod")
    with store.transaction() as conn:
        deconflict_index.store_document(conn, notice, notice.to_document(), notice.node, T)
    with store.reading() as conn:
        after = [deconflict_index.feed(conn, "us.dea.sod", None, "mx.semar", limit=n)
                 for n in (1, 2, 3)]
        to_fgr = deconflict_index.feed(conn, "us.dea.sod", None, "mx.fgr")
    assert after == before
    assert notice.id in [d["id"] for d in to_fgr.documents]


def test_a_notice_batch_is_one_document_a_notice_row_each_addressed_to_the_holder(
        store: Store) -> None:
    regs = [registration(f"{i + 16:02x}" * 32, T + timedelta(days=30)) for i in range(3)]
    batch = docs.NoticeBatch(docs.new_id("dh"), "us.dea", "mx.semar", "mx.semar.uie", None,
                             docs.stamp(T), "mx.semar.uie",
                             tuple((docs.new_id("dn"), r.id) for r in regs[:2]))
    with store.transaction() as conn:
        for reg in regs:
            deconflict_index.store_document(conn, reg, reg.to_document(), reg.node, T)
        assert deconflict_index.store_document(conn, batch, batch.to_document(), batch.node, T)
        assert not deconflict_index.store_document(conn, batch, batch.to_document(),
                                                   batch.node, T)
    with store.reading() as conn:
        told = deconflict_index.notices_for_unit(conn, "us.dea.sod")
        assert [(n.id, n.registration_id) for n in told if n.checker_unit == "mx.semar.uie"
                ] == sorted(batch.entries)
        assert deconflict_index.registrations(conn, [regs[0].id, "dr-" + "0" * 32]) == {
            regs[0].id: regs[0]}
        to_dea = deconflict_index.feed(conn, "mx.semar.uie", None, "us.dea").documents
        to_fgr = deconflict_index.feed(conn, "mx.semar.uie", None, "mx.fgr").documents
    assert [d["id"] for d in to_dea] == [batch.id] and to_fgr == []
