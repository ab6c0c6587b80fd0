"""The tables of what the pull client remembers about each partner (``store/sync_state.py``).

Sources, cursors, received object versions, marking definitions and receipts, each
described in ``store/sync_state.py``, which reads and writes them. Defined apart, like
``release_tables.py``, because the tables are the schema's concern (migration 0008 and
those after it create them) and the functions over them are another.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from tearline.store.tables import TS, metadata

sync_sources = Table(
    "sync_sources",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False),
    Column("agency", String(128), nullable=False),
    Column("url", String(400), nullable=False),
    Column("username", String(200)),
    Column("password_env", String(128)),
    Column("tls_certificate", Text),
    Column("removed", Boolean, nullable=False),
    Column("recorded_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Index("ix_sync_sources_name", "name"),
)

sync_cursors = Table(
    "sync_cursors",
    metadata,
    Column("partner", String(128), primary_key=True),
    Column("collection_id", String(128), primary_key=True),
    Column("api_root", String(400), nullable=False),
    Column("date_added", String(40), nullable=False),
    Column("updated_at", TS, nullable=False),
)

sync_received = Table(
    "sync_received",
    metadata,
    Column("partner", String(128), primary_key=True),
    Column("object_id", String(200), primary_key=True),
    Column("version", String(40), primary_key=True),
    Column("collection_id", String(128), nullable=False),
    Column("entity_id", String(128)),
    Column("outcome", String(12), nullable=False),
    Column("received_at", TS, nullable=False),
)

sync_definitions = Table(
    "sync_definitions",
    metadata,
    Column("partner", String(128), primary_key=True),
    Column("object_id", String(200), primary_key=True),
    Column("body", Text, nullable=False),
)

sync_receipts = Table(
    "sync_receipts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("partner", String(128), nullable=False),
    Column("url", String(400), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("sent_at", TS),
    Index("ix_sync_receipts_partner", "partner", "sent_at"),
)
