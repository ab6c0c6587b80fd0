"""The node's statement key: one per store, kept, and never shown, on every backend."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import StoreError
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record, rekeyed
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.stix import to_stix
from tearline.store import audit_log
from tearline.store.statement_key import statement_key
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)
SOD = Subject("us.dea.sod", "us.dea")


def person(store: Store) -> Record:
    return build_record("p1", "Person", {"name": ["Ana Lopez"], "birthDate": ["1970-01-02"]},
                        Provenance("us.dea", "us.dea.sod", T),
                        Marking.build("AMBER+STRICT"), keyer=store.keyer)


def key_of(store: Store) -> bytes:
    with store.reading() as conn:
        return bytes(conn.execute(statement_key.select()).one().key)


def test_each_store_has_its_own_random_key_kept_across_opens(store: Store,
                                                             tmp_path: Path) -> None:
    key = key_of(store)
    assert len(key) == 32
    other = Store.open(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        assert key_of(other) != key
        assert person(other).statements[0].id != person(store).statements[0].id
    finally:
        other.close()
    ids = [s.id for s in person(store).statements]
    url = store.engine.url.render_as_string(hide_password=False)
    store.close()
    again = Store.open(url)
    try:
        assert key_of(again) == key and [s.id for s in person(again).statements] == ids
    finally:
        again.close()


def test_a_database_without_its_key_is_refused(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(statement_key.delete())
    with pytest.raises(StoreError, match="no statement key"):
        _ = store.keyer


def test_rekeyed_gives_the_stores_ids(store: Store) -> None:
    built = build_record("p1", "Person", {"name": ["Ana Lopez"]},
                         Provenance("us.dea", "us.dea.sod", T), Marking.build("GREEN"),
                         keyer=TEST_KEYER)
    mine = rekeyed(built, store.keyer)
    assert [s.id for s in mine.statements] == [s.id for s in person(store).statements[:1]]
    assert mine.statements[0].id != built.statements[0].id
    assert [(s.prop, s.value) for s in mine.statements] == [
        (s.prop, s.value) for s in built.statements]


def test_the_key_appears_in_no_entry_and_no_export(store: Store) -> None:
    store.write([person(store)])
    seen = store.read(SOD, T, "p1")
    key = key_of(store)
    forms = [key, key.hex().encode(), base64.b64encode(key), base64.urlsafe_b64encode(key),
             base64.b64encode(key).rstrip(b"=")]
    with store.reading() as conn:
        bodies = [e.body for e in audit_log.entries(conn, limit=1000)]
    exported = repr(to_stix([seen]).bundle).encode()
    assert bodies
    for blob in [*bodies, exported, repr(store.keyer).encode()]:
        assert not any(form in blob for form in forms)
