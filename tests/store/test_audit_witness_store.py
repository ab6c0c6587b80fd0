"""Split views: a log forked into two stored copies is caught by a stored witness.

Log A is a SQLite file; log B is a byte copy of it made at size 10 (a real fork),
after which each gets a different history. The witness keeps its state in the
``store`` under test (every backend): it cosigns A's checkpoints, then refuses B's,
and its state stays on A's branch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from store_template import copy_to
from tearline.audit.checkpoint import Checkpoint, parse_note
from tearline.audit.events import RecordRead
from tearline.audit.witness import find_split_view
from tearline.errors import SplitViewError
from tearline.store import audit_checkpoints, audit_log
from tearline.store import audit_tables as at
from tearline.store.store import Store

ORIGIN = "partner.example/log"


def reads(unit: str, first: int, count: int) -> list[RecordRead]:
    return [RecordRead(at=f"2025-03-01T09:00:{i:02d}.000000Z", actor=f"unit:{unit}",
                       subject=f"unit:{unit}", entity_id=f"rec-{i}", version=1,
                       statement_ids=(f"st-{i}",), path="show")
            for i in range(first, first + count)]  # fmt: skip


def fork(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def checkpoint(log: Store, key: Ed25519PrivateKey) -> str:
    with log.transaction() as conn:
        return audit_checkpoints.sign(conn, ORIGIN, key)


def proof(log: Store, old: int) -> list[bytes]:
    with log.reading() as conn:
        return audit_log.consistency_proof(conn, old)


def test_a_forked_log_is_refused_by_the_witness(store: Store, tmp_path: Path,
                                                store_template: Path) -> None:
    log_key, witness_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    a = Store.open(copy_to(store_template, f"sqlite:///{tmp_path / 'a.sqlite'}"))
    with a.transaction() as conn:
        audit_log.append(conn, reads("mx.semar.uie", 0, 10))
    a.close()
    fork(tmp_path / "a.sqlite", tmp_path / "b.sqlite")
    a = Store.open(f"sqlite:///{tmp_path / 'a.sqlite'}")
    b = Store.open(f"sqlite:///{tmp_path / 'b.sqlite'}")
    try:
        first = checkpoint(a, log_key)
        with store.transaction() as conn:
            audit_checkpoints.witness(conn, first, log_key.public_key(), [], "witness.mx",
                                      witness_key)
        # A records reads by one unit; B, the rewritten history, by another.
        with a.transaction() as conn:
            audit_log.append(conn, reads("us.dea.sod", 10, 5))
        with b.transaction() as conn:
            audit_log.append(conn, reads("mx.fgr.fecor", 10, 5))
        a15, b15 = checkpoint(a, log_key), checkpoint(b, log_key)
        with store.transaction() as conn:
            cosigned = audit_checkpoints.witness(conn, a15, log_key.public_key(), proof(a, 10),
                                                 "witness.mx", witness_key)
        assert cosigned.count("\u2014 ") == 2
        # B at the same size: a different root is a split view, whatever the proof.
        with pytest.raises(SplitViewError, match="SPLIT VIEW"), store.transaction() as conn:
            audit_checkpoints.witness(conn, b15, log_key.public_key(), proof(b, 10),
                                      "witness.mx", witness_key)
        # B grown past A: its own proof cannot connect it to what the witness cosigned.
        with b.transaction() as conn:
            audit_log.append(conn, reads("mx.fgr.fecor", 15, 1))
        b16 = checkpoint(b, log_key)
        with pytest.raises(SplitViewError), store.transaction() as conn:
            audit_checkpoints.witness(conn, b16, log_key.public_key(), proof(b, 15),
                                      "witness.mx", witness_key)
        with store.reading() as conn:
            last = audit_checkpoints.last_witnessed(conn, ORIGIN, log_key.public_key())
        assert last == Checkpoint.from_body(parse_note(a15).text)
        # Two partners comparing what each was shown find the fork too.
        seen_a = Checkpoint.from_body(parse_note(a15).text)
        seen_b = Checkpoint.from_body(parse_note(b15).text)
        assert find_split_view(seen_a, seen_b) is not None
    finally:
        a.close()
        b.close()


def test_two_logs_whose_keys_share_a_name_are_witnessed_apart(
        store: Store, tmp_path: Path, store_template: Path) -> None:
    """Two nodes set up on machines with the same host name sign with keys of one name:
    the witness keeps a state per key, so the second is not a false split view."""
    first_key, second_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    witness_key = Ed25519PrivateKey.generate()
    logs = [Store.open(copy_to(store_template, f"sqlite:///{tmp_path / name}.sqlite"))
            for name in ("one", "two")]
    try:
        with logs[0].transaction() as conn:
            audit_log.append(conn, reads("mx.semar.uie", 0, 12))
        with logs[1].transaction() as conn:
            audit_log.append(conn, reads("mx.fgr.femdo", 0, 5))
        for log, key in ((logs[0], first_key), (logs[1], second_key), (logs[0], first_key)):
            with store.transaction() as conn:
                audit_checkpoints.witness(conn, checkpoint(log, key), key.public_key(), [],
                                          "witness.mx", witness_key)
        with store.reading() as conn:
            one = audit_checkpoints.last_witnessed(conn, ORIGIN, first_key.public_key())
            two = audit_checkpoints.last_witnessed(conn, ORIGIN, second_key.public_key())
        assert (one and one.size, two and two.size) == (12, 5)
    finally:
        for log in logs:
            log.close()


def test_witness_state_written_before_key_ids_were_kept_still_counts(
        store: Store, tmp_path: Path, store_template: Path) -> None:
    """A row without a key id (a workspace from before migration 0021) is the state of
    the key that signed it, and of no other key of the same name."""
    log_key, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    witness_key = Ed25519PrivateKey.generate()
    log = Store.open(copy_to(store_template, f"sqlite:///{tmp_path / 'log.sqlite'}"))
    try:
        with log.transaction() as conn:
            audit_log.append(conn, reads("mx.semar.uie", 0, 10))
        with store.transaction() as conn:
            audit_checkpoints.witness(conn, checkpoint(log, log_key), log_key.public_key(), [],
                                      "witness.mx", witness_key)
            conn.execute(at.audit_witnessed.update().values(log_key_id=None))
        with store.reading() as conn:
            kept = audit_checkpoints.last_witnessed(conn, ORIGIN, log_key.public_key())
            other = audit_checkpoints.last_witnessed(conn, ORIGIN, stranger.public_key())
        assert kept is not None and kept.size == 10 and other is None
        with log.transaction() as conn:  # the log grows: proven from the legacy state
            audit_log.append(conn, reads("mx.semar.uie", 10, 3))
        with store.transaction() as conn:
            audit_checkpoints.witness(conn, checkpoint(log, log_key), log_key.public_key(),
                                      proof(log, 10), "witness.mx", witness_key)
        with store.reading() as conn:
            grown = audit_checkpoints.last_witnessed(conn, ORIGIN, log_key.public_key())
        assert grown is not None and grown.size == 13
    finally:
        log.close()
