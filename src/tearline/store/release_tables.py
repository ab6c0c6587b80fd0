"""Tables of the dissemination history: releases, consents and marking changes.

All of them are append-only. A release ends by a revocation row (a recall, or a
later release to the same party that supersedes it), a consent by a withdrawal row,
and a marking change is a row that keeps the old and the new marking while the
current marking column of the record or statement is updated in the same transaction.
They share :data:`tearline.store.tables.metadata`; migration ``0003`` creates them.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from tearline.store.tables import TS, metadata

releases = Table(
    "releases",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("entity_id", String(128), nullable=False),
    Column("by_unit", String(128), nullable=False),
    Column("by_agency", String(128), nullable=False),
    Column("to_kind", String(12), nullable=False),
    Column("to_value", String(128), nullable=False),
    Column("to_agency", String(128)),  # NULL for vetted-by: selectors
    Column("basis", String(128)),
    Column("released_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("supersedes", String(64)),
    Index("ix_releases_entity", "entity_id"),
    Index("ix_releases_to", "to_kind", "to_value"),
)

#: The statements a release covers: those the releasing unit could see and release.
release_items = Table(
    "release_items",
    metadata,
    Column("release_id", String(64), ForeignKey("releases.id"), primary_key=True),
    Column("statement_id", String(48), primary_key=True),
    Index("ix_release_items_statement", "statement_id"),
)

release_revocations = Table(
    "release_revocations",
    metadata,
    Column("release_id", String(64), ForeignKey("releases.id"), primary_key=True),
    Column("revoked_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("reason", String(200), nullable=False),
)

consents = Table(
    "consents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("entity_id", String(128), nullable=False),
    Column("by_agency", String(128), nullable=False),
    Column("to_agency", String(128), nullable=False),
    Column("granted_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Index("ix_consents_entity", "entity_id", "by_agency", "to_agency"),
)

consent_withdrawals = Table(
    "consent_withdrawals",
    metadata,
    Column("consent_id", String(64), ForeignKey("consents.id"), primary_key=True),
    Column("withdrawn_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

marking_changes = Table(
    "marking_changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", String(128), nullable=False),
    Column("statement_id", String(48)),  # NULL: the record's own marking
    Column("old_marking_id", String(40)),  # NULL: the statement had the record's
    Column("new_marking_id", String(40)),
    Column("changed_at", TS, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Index("ix_marking_changes_entity", "entity_id"),
)
