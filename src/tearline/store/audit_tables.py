"""Tables of the audit log (SQLAlchemy Core), beside the records in the same database.

Every table is append-only: rows are inserted in the transaction of the action they
record and never updated, except the single ``audit_head`` row whose ``size`` is the
log's length and whose row lock serializes appends. Hashes are raw 32-byte binary.

* ``audit_entries``: one row per event — its canonical bytes (the leaf data) and
  ``kind``, ``at``, ``actor`` and ``entity_id`` for lookups. On PostgreSQL the row
  also stores the leaf hash, and the lookup values are stored copies; ``verify``
  checks both against the bytes. On SQLite (migration 0010) the row is the bytes
  alone: the leaf hash is the level-0 node, the lookup columns are VIRTUAL generated
  columns computed from the bytes, which appends do not write and nobody can change.
  The columns below serve queries on both (``leaf`` exists on PostgreSQL only); the
  schema itself is the migrations'.
* ``audit_nodes``: every perfect subtree (level, index, hash) exactly as
  :func:`tearline.audit.merkle.nodes_completed_by_append` yields it, level 0 being
  the leaves; proofs read O(log n) of them.
* ``audit_checkpoints``: signed checkpoints of the log, one per size, and
  ``audit_cosignatures``: witnesses' cosigned notes of them.
* ``audit_witnessed``: as a witness of other logs, each checkpoint this node cosigned
  (the last one per log key id is the witness state).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
)

from tearline.store.tables import TS, metadata

#: A 64-bit integer key; on SQLite an INTEGER PRIMARY KEY, the table's own rowid.
Index64 = BigInteger().with_variant(Integer(), "sqlite")

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("size", BigInteger, nullable=False),
    Column("salt", LargeBinary(32), nullable=False),  # commitment salt; never in an entry
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("idx", Index64, primary_key=True, autoincrement=False),
    Column("body", LargeBinary, nullable=False),
    Column("leaf", LargeBinary(32), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("at", TS, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("entity_id", String(128)),
    Index("ix_audit_entries_entity", "entity_id", "idx"),
    Index("ix_audit_entries_actor", "actor", "idx"),
)

audit_nodes = Table(
    "audit_nodes",
    metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
    sqlite_with_rowid=False,
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("size", Index64, primary_key=True, autoincrement=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", TS, nullable=False),
)

audit_cosignatures = Table(
    "audit_cosignatures",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("witness", String(200), primary_key=True),
    Column("note", Text, nullable=False),
    Column("recorded_at", TS, nullable=False),
)

audit_witnessed = Table(
    "audit_witnessed",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("origin", String(200), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_at", TS, nullable=False),
    # hex C2SP key id of the log's key (migration 0021); NULL in rows written before it
    Column("log_key_id", String(8), nullable=True),
    Index("ix_audit_witnessed_origin", "origin", "seq"),
    Index("ix_audit_witnessed_key", "log_key_id", "seq"),
)
