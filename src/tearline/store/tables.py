"""Table definitions (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Timestamps are stored as fixed-width UTC text (``2024-05-03T12:00:00.000000Z``) so
that they compare the same way, chronologically, on every backend and inside the
policy's compiled predicates. Party history is append-only: a change is a new row
(``seq`` grows), a vetting ends by a revocation row, never by an update.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()

TS = String(27)


def ts(moment: datetime) -> str:
    """A timestamp as stored: fixed-width UTC text that sorts chronologically."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    # ``isoformat`` pads the year to four digits; ``strftime("%Y")`` does not for years
    # before 1000, which would neither be fixed-width nor read back.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_ts(text: str) -> datetime:
    """Parse a stored timestamp (``fromisoformat`` reads the ``Z`` suffix as UTC)."""
    return datetime.fromisoformat(text)


markings = Table(
    "markings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tlp", String(12), nullable=False),
    Column("orcon", Boolean, nullable=False),
    Column("legal_basis", String(128)),
    Column("expires_at", TS),
    Column("body", Text, nullable=False),  # canonical JSON of the whole marking
)

marking_selectors = Table(
    "marking_selectors",
    metadata,
    Column("marking_id", String(40), ForeignKey("markings.id"), primary_key=True),
    Column("kind", String(12), primary_key=True),
    Column("value", String(128), primary_key=True),
)

agencies = Table(
    "agencies",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(128), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("recorded_at", TS, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(128), nullable=False, index=True),
    Column("agency", String(128), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("recorded_at", TS, nullable=False),
)

analysts = Table(
    "analysts",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(200), nullable=False, index=True),
    Column("unit", String(128), nullable=False),
    Column("name", String(200), nullable=False),
    Column("recorded_at", TS, nullable=False),
)

vettings = Table(
    "vettings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("by_agency", String(128), nullable=False),
    Column("unit", String(128), nullable=False),
    Column("valid_from", TS, nullable=False),
    Column("valid_until", TS, nullable=False),
    Column("recorded_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Index("ix_vettings_unit", "unit", "by_agency"),
)

vetting_revocations = Table(
    "vetting_revocations",
    metadata,
    Column("vetting_id", String(64), ForeignKey("vettings.id"), primary_key=True),
    Column("revoked_at", TS, nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

agreements = Table(
    "agreements",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(128), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parties", Text, nullable=False),  # sorted, comma-separated agency ids
    Column("recorded_at", TS, nullable=False),
    Column("valid_from", TS),  # NULL: in force from any time (migration 0018)
    Column("valid_until", TS),  # NULL: no end recorded
)

records = Table(
    "records",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("schema", String(64), nullable=False),
    Column("originator", String(128), nullable=False),
    Column("author", String(128), nullable=False),
    Column("marking_id", String(40), ForeignKey("markings.id"), nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("modified_at", TS, nullable=False),
    Column("retracted_at", TS),
    # Migration 0006: keyset pages walk these; they carry the visibility columns (the
    # second also serves every lookup by schema: migration 0009 dropped ix_records_schema).
    Index("ix_records_visibility", "id", "schema", "retracted_at", "marking_id", "author",
          "originator"),
    Index("ix_records_schema_visibility", "schema", "id", "retracted_at", "marking_id",
          "author", "originator"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", String(48), primary_key=True),
    Column("entity_id", String(128), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text),
    Column("origin", String(128), nullable=False),
    Column("author", String(128), nullable=False),
    Column("reliability", String(1), nullable=False),
    Column("credibility", String(1), nullable=False),
    Column("first_seen", TS, nullable=False),
    Column("last_seen", TS, nullable=False),
    Column("marking_id", String(40), ForeignKey("markings.id")),  # NULL: the record's
    Column("retracted_at", TS),
    Column("added_at", TS),  # when the write that stored it ran (migration 0019)
    Index("ix_statements_entity", "entity_id", "prop"),
    Index("ix_statements_ref", "value", "prop"),
)

#: The entity-typed property names of the schemata (migration 0011), kept equal to the
#: model by :func:`tearline.store.references.sync_reference_properties`: ``every_schema``
#: when the name is entity-typed in every schema that has it, else the record's schema
#: decides. The read queries look a statement's property up here: a constant list of
#: the names in each query would make SQLite build a temporary index at every execution
#: (docs/benchmarks.md, *Dissemination policy*).
reference_properties = Table(
    "reference_properties",
    metadata,
    Column("prop", String(64), primary_key=True),
    Column("every_schema", Boolean, nullable=False),
    sqlite_with_rowid=False,
)

#: Search tokens of name-like and identifier statements (lower-case, ASCII-folded).
#: On SQLite a ``WITHOUT ROWID`` table (migration 0009): the table is its primary-key
#: b-tree. Besides its words, a statement has its exact key (``store/tokens.py``).
tokens = Table(
    "tokens",
    metadata,
    Column("token", String(64), nullable=False),
    Column("statement_id", String(48), nullable=False),
    Column("entity_id", String(128), nullable=False),
    # Migration 0031: keyed (token, entity_id, …) so that the records holding a word
    # are read in id order, a ranked search's page at a time (``store/search_tiers.py``).
    PrimaryKeyConstraint("token", "entity_id", "statement_id"),
    # Migration 0006: a common word probed per record, a rare word read in token order.
    Index("ix_tokens_entity", "entity_id", "token"),
    sqlite_with_rowid=False,
)
