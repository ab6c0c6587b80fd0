"""Tables of oversight and release control (migration 0027), all append-only.

* ``oversight_contacts`` — the details of each contact recorded by hand (the foreign
  agents, the place, the subject), whose digest the ``contact.logged`` entry holds;
* ``oversight_texts`` — the free text an officer wrote into a draft, one row per edit
  (the latest per exchange and field counts);
* ``oversight_officers`` — who may sign an agency's reports (designations and
  revocations);
* ``oversight_reports`` — every signed report, as signed, with its digest;
* ``agreement_controls`` — which agreements require a second officer's approval of a
  release to a foreign agency (the latest row per agreement counts);
* ``release_requests`` / ``release_approvals`` — releases waiting for that approval,
  and the approvals given;
* ``release_refusals`` — the refusals given, with the officer's reason (migration 0037).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from tearline.store.tables import TS, metadata

contacts = Table(
    "oversight_contacts",
    metadata,
    Column("contact_id", String(64), primary_key=True),
    Column("agency", String(128), nullable=False),
    Column("details", Text, nullable=False),  # canonical JSON of Contact.details()
    Column("logged_at", TS, nullable=False),
    Column("logged_by", String(200), nullable=False),
)

texts = Table(
    "oversight_texts",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(128), nullable=False),
    Column("exchange_id", String(64), nullable=False),
    Column("field", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("edited_at", TS, nullable=False),
    Column("edited_by", String(200), nullable=False),
    Index("ix_oversight_texts_exchange", "agency", "exchange_id"),
)

officers = Table(
    "oversight_officers",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(128), nullable=False),
    Column("analyst", String(200), nullable=False),
    Column("action", String(12), nullable=False),  # designated | revoked
    Column("at", TS, nullable=False),
    Column("by", String(200), nullable=False),
)

reports = Table(
    "oversight_reports",
    metadata,
    Column("report_id", String(200), primary_key=True),
    Column("agency", String(128), nullable=False),
    Column("first", BigInteger, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("officer", String(200), nullable=False),
    Column("signed_at", TS, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_oversight_reports_agency", "agency", "size"),
)

agreement_controls = Table(
    "agreement_controls",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("agreement_id", String(128), nullable=False),
    Column("two_person", Boolean, nullable=False),
    Column("at", TS, nullable=False),
    Column("by", String(200), nullable=False),
)

release_requests = Table(
    "release_requests",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("entity_id", String(128), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("legal_basis", String(128), nullable=False),
    Column("agency", String(128), nullable=False),
    Column("unit", String(128), nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", TS, nullable=False),
    Index("ix_release_requests_agency", "agency"),
)

release_approvals = Table(
    "release_approvals",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("approved_by", String(200), nullable=False),
    Column("approved_at", TS, nullable=False),
    Column("release_id", String(64), nullable=False),
)

release_refusals = Table(
    "release_refusals",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("refused_by", String(200), nullable=False),
    Column("refused_at", TS, nullable=False),
    Column("reason", String(500), nullable=False),
)
