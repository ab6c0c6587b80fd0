"""The deconfliction tables (migration 0020): key shares, the signed index, quotas.

* ``deconflict_shares`` — this node's share of each shared OPRF key (a secret, like the
  statement key: it stays in the database and leaves the node in nothing);
* ``deconflict_documents`` — every signed document of the index, in the order this
  node stored it: registrations, withdrawals and hit notices, its own and its peers',
  each exactly as signed, so that the index can be re-verified and served onward;
* ``deconflict_registrations`` / ``deconflict_withdrawals`` / ``deconflict_notices`` —
  the same documents as rows to query: a token and its pointer (agency, unit, point
  of contact, since, expiry), withdrawals, and the hits on this node's registrations;
* ``deconflict_quotas`` (append-only) and ``deconflict_usage`` — each unit's daily
  evaluation quota on this node and what it used;
* ``deconflict_cursors`` — how far this node has pulled each peer's index.

No table holds a selector: only tokens (OPRF outputs under a key no node holds).
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from tearline.store.tables import TS, metadata

shares = Table(
    "deconflict_shares",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("share_index", Integer, nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("share_count", Integer, nullable=False),
    Column("share", LargeBinary(32), nullable=False),
    Column("installed_at", TS, nullable=False),
    Column("installed_by", String(200), nullable=False),
)

documents = Table(
    "deconflict_documents",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(64), nullable=False),
    Column("doc_type", String(16), nullable=False),
    Column("origin", String(128), nullable=False),
    Column("addressed_to", String(128), nullable=True),
    Column("body", Text, nullable=False),
    Column("received_at", TS, nullable=False),
    Index("ix_deconflict_documents_doc", "doc_id", unique=True),
)

registrations = Table(
    "deconflict_registrations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("token", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("agency", String(128), nullable=False),
    Column("unit", String(128), nullable=False),
    Column("contact", String(200), nullable=False),
    Column("since", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("origin", String(128), nullable=False),
    Column("doc_seq", Integer, nullable=False),
    Index("ix_deconflict_registrations_token", "token"),
)

withdrawals = Table(
    "deconflict_withdrawals",
    metadata,
    Column("registration_id", String(64), primary_key=True),
    Column("withdrawn_at", TS, nullable=False),
    Column("doc_seq", Integer, nullable=False),
)

notices = Table(
    "deconflict_notices",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("registration_id", String(64), nullable=False),
    Column("checker_unit", String(128), nullable=False),
    Column("checker_agency", String(128), nullable=False),
    Column("agreement_id", String(128), nullable=True),
    Column("at", TS, nullable=False),
    Column("doc_seq", Integer, nullable=False),
    Index("ix_deconflict_notices_registration", "registration_id"),
)

quotas = Table(
    "deconflict_quotas",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(128), nullable=False),
    Column("daily_limit", Integer, nullable=False),
    Column("set_at", TS, nullable=False),
    Column("set_by", String(200), nullable=False),
    Index("ix_deconflict_quotas_unit", "unit"),
)

usage = Table(
    "deconflict_usage",
    metadata,
    Column("unit", String(128), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("used", Integer, nullable=False),
)

cursors = Table(
    "deconflict_cursors",
    metadata,
    Column("peer", String(128), primary_key=True),
    Column("position", String(400), nullable=False),
)
