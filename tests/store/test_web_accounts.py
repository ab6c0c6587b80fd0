"""The web application's accounts in the store (both backends): passwords kept as hashes
and audited as keys, sessions found by the digest of their id and ended once, language
preferences; and the facet counts of ``store/facets.py`` over what a subject sees."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tearline.errors import NotFound
from tearline.store import audit_log, facets, web_accounts
from tearline.store.store import Store

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
from webworld import seed  # noqa: E402  # the web test world (tests/web/data/world.json)

T = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def _kinds(store: Store, since: int) -> list[tuple[str, str]]:
    with store.reading() as conn:
        found = [audit_log.entry(conn, i).event() for i in range(since, audit_log.size(conn))]
    return [(e.kind, getattr(e, "action", "")) for e in found]


def test_a_password_is_kept_as_its_hash_and_changing_it_ends_sessions(store: Store) -> None:
    seed(store)
    with store.reading() as conn:
        before = audit_log.size(conn)
    with store.transaction() as conn:
        web_accounts.set_password(conn, "ana@mx.semar.uie", "$argon2id$one", frozenset({"read"}),
                                  T, "cli")
        web_accounts.open_session(conn, "sid-1", "ana@mx.semar.uie", frozenset({"read"}),
                                  "c" * 64, T, T + timedelta(hours=8))
    with store.reading() as conn:
        row = web_accounts.find_session(conn, "sid-1")
        assert row is not None and row.live(T + timedelta(hours=7))
        assert not row.live(T + timedelta(hours=8))
        assert web_accounts.find_session(conn, "sid-2") is None
    with store.transaction() as conn:
        web_accounts.set_password(conn, "ana@mx.semar.uie", "$argon2id$two",
                                  frozenset({"read", "write"}), T, "cli")
    with store.reading() as conn:
        row = web_accounts.find_session(conn, "sid-1")
        assert row is not None and row.ended_at == T and not row.live(T)
        stored = web_accounts.find_password(conn, "ana@mx.semar.uie")
        assert stored is not None and stored.secret_hash == "$argon2id$two"
        assert stored.scopes == {"read", "write"}
    with store.transaction() as conn:
        web_accounts.remove_password(conn, "ana@mx.semar.uie", T, "cli")
        with pytest.raises(NotFound):
            web_accounts.remove_password(conn, "ana@mx.semar.uie", T, "cli")
    assert _kinds(store, before) == [("key.changed", "created"), ("key.changed", "rotated"),
                                     ("key.changed", "revoked")]


def test_a_session_id_is_stored_only_as_its_digest(store: Store) -> None:
    seed(store)
    with store.transaction() as conn:
        web_accounts.open_session(conn, "the-secret-id", "bob@us.dea.sod", frozenset({"read"}),
                                  "c" * 64, T, T + timedelta(hours=1))
        web_accounts.end_session(conn, "the-secret-id", T + timedelta(minutes=5))
        web_accounts.end_session(conn, "the-secret-id", T + timedelta(minutes=9))
    with store.reading() as conn:
        digests = [r.digest for r in conn.execute(web_accounts.web_sessions.select())]
        row = web_accounts.find_session(conn, "the-secret-id")
    assert digests == [web_accounts.digest("the-secret-id")] and "the-secret-id" not in digests
    assert row is not None and row.ended_at == T + timedelta(minutes=5)


def test_the_language_preference_is_the_analysts_own(store: Store) -> None:
    seed(store)
    with store.transaction() as conn:
        web_accounts.set_locale(conn, "eva@mx.fgr.seido", "es_MX")
        web_accounts.set_locale(conn, "eva@mx.fgr.seido", "en_US")
    with store.reading() as conn:
        assert web_accounts.locale_of(conn, "eva@mx.fgr.seido") == "en_US"
        assert web_accounts.locale_of(conn, "bob@us.dea.sod") is None
    with store.transaction() as conn:
        web_accounts.open_session(conn, "sid-eva", "eva@mx.fgr.seido", frozenset({"read"}),
                                  "c" * 64, T, T + timedelta(hours=8))
        web_accounts.open_session(conn, "sid-bob", "bob@us.dea.sod", frozenset({"read"}),
                                  "c" * 64, T, T + timedelta(hours=8))
    with store.reading() as conn:  # read with the session: a page needs both
        eva, bob = (web_accounts.find_session(conn, s) for s in ("sid-eva", "sid-bob"))
        assert eva is not None and eva.locale == "en_US" and eva.owner == "eva@mx.fgr.seido"
        assert bob is not None and bob.locale is None and bob.scopes == frozenset({"read"})


def test_facets_count_only_what_the_subject_sees(store: Store) -> None:
    seed(store)
    now = datetime.now(UTC)
    vetted = facets.facets(store, store.subject("mx.semar.uie"), now, None)
    fgr = facets.facets(store, store.subject("mx.fgr.seido"), now, None)
    assert dict(vetted.counts["schema"]) == {"Person": 2, "Organization": 1, "Seizure": 2}
    assert dict(vetted.counts["drug"]) == {"fentanyl": 1, "methamphetamine": 1}
    assert dict(vetted.counts["country"]) == {"cn": 1, "mx": 4, "us": 1}
    assert dict(vetted.counts["originator"]) == {"mx.semar": 3, "us.dea": 2}
    assert dict(fgr.counts["originator"]) == {"mx.semar": 3}  # the DEA's are not FGR's
    assert vetted.complete and vetted.matched == 5
    searched = facets.facets(store, store.subject("mx.semar.log"), now, "guzman")
    assert dict(searched.counts["schema"]) == {"Person": 2}
