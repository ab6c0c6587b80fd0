"""The tables of leak tracing (migration 0028).

* ``trace_secret`` — one row: the 32 random bytes copy marks, keyed orders, text
  choices and canaries are derived with (like the statement key, it stays in the
  database and leaves the node in nothing);
* ``trace_copies`` — every copy mark released, to whom and on which channel, first and
  last release (the audit log holds each release; this is the index ``trace`` reads);
* ``trace_honeytokens`` — the canary records, their recipient and their selectors in
  the form they are compared in;
* ``trace_alerts`` — each return of a canary: when, which, the recipient it was given
  to, who brought it back and where.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table

from tearline.store.tables import TS, metadata

secret = Table(
    "trace_secret",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("secret", LargeBinary(32), nullable=False),
)

copies = Table(
    "trace_copies",
    metadata,
    Column("mark", String(20), primary_key=True),
    Column("recipient", String(200), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("first_at", TS, nullable=False),
    Column("last_at", TS, nullable=False),
)

honeytokens = Table(
    "trace_honeytokens",
    metadata,
    Column("entity_id", String(128), primary_key=True),
    Column("recipient", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("phone", String(32), nullable=False),
    Column("planted_at", TS, nullable=False),
    Column("planted_by", String(200), nullable=False),
)

alerts = Table(
    "trace_alerts",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", TS, nullable=False),
    Column("entity_id", String(128), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("returned_by", String(200), nullable=False),
    Column("path", String(16), nullable=False),
    Column("selector", String(16), nullable=False),
    Index("ix_trace_alerts_entity", "entity_id"),
)
