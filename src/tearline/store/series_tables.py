"""Tables of the published aggregate series (CBP monthly, UNODC annual), with provenance.

A series file is stored once, keyed by the SHA-256 of its bytes, with its name, row
count and when it was imported; its rows are kept exactly as published (CBP pounds,
UNODC kilograms equivalent, ``NULL`` quantities as null), one table per source so
that every column keeps its meaning. Aggregates are never turned into incidents.

These tables carry no marking: published aggregate data is public and visible to
every unit (see ``docs/assessments.md``).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table

from tearline.store.tables import TS, metadata

series_files = Table(
    "series_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("source", String(16), nullable=False),  # "cbp" or "unodc"
    Column("name", String(255), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("imported_at", TS, nullable=False),
)

cbp_rows = Table(
    "series_cbp_rows",
    metadata,
    Column("file_sha256", String(64), ForeignKey("series_files.sha256"), primary_key=True),
    Column("line", Integer, primary_key=True),  # position in the file's parsed rows
    Column("fiscal_year", Integer, nullable=False),
    Column("month", String(10), nullable=False),  # ISO date, first day of the month
    Column("component", String(128), nullable=False),
    Column("region", String(128), nullable=False),
    Column("land_filter", String(128), nullable=False),
    Column("area_of_responsibility", String(200), nullable=False),
    Column("drug", String(64), nullable=False),
    Column("drug_label", String(128), nullable=False),
    Column("events", Integer, nullable=False),
    Column("pounds", Float, nullable=False),
)

unodc_rows = Table(
    "series_unodc_rows",
    metadata,
    Column("file_sha256", String(64), ForeignKey("series_files.sha256"), primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("region", String(128), nullable=False),
    Column("country", String(200), nullable=False),
    Column("iso3", String(3)),
    Column("drug_group", String(128), nullable=False),
    Column("drug", String(128), nullable=False),
    Column("kg", Float),  # null where UNODC published NULL
    Index("ix_series_unodc_country", "iso3", "year"),
)
