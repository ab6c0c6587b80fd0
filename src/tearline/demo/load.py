"""The edge of the demo data: read CBP and OFAC from the reference data, then generate.

``tearline demo-data --seed N`` calls :func:`demo_records`. The reading happens here;
the generation (:func:`tearline.demo.synthetic.generate`) is pure. The demo's parties
are written here too (:func:`seed_parties`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from tearline.demo import scenario
from tearline.demo.synthetic import DEFAULT_SCALE, generate
from tearline.errors import IngestError, Problem, tr
from tearline.ingest.ofac import NARCOTICS_PROGRAMS
from tearline.ingest.ofac_entity import SDN_COLUMNS, split_programs
from tearline.ingest.ofac_rows import read_rows
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer
from tearline.sources.cbp import default_cbp_paths, monthly_totals, read_cbp
from tearline.sources.provenance import decode_text
from tearline.store import Store, parties

#: The OFAC snapshot the demo takes organization names from.
SDN_FILE = "sdn_2024-05-03.csv"

#: Names of trafficking groups (not front companies): cartels, "… ORGANIZATION",
#: "… DRUG TRAFFICKING ORGANIZATION", and a few groups known by another form.
_GROUP = re.compile(r"\b(CARTEL|ORGANIZATION|ZETAS|FAMILIA MICHOACANA|CLAN DEL GOLFO)\b")
_NOT_GROUP = re.compile(r"MONEY LAUNDERING")


def trafficking_group_names(lines: Iterable[str], source_name: str) -> list[str]:
    """Names of the narcotics-program SDN entities (type empty) that are trafficking groups.

    Rows are read with the OFAC importer's row reader; a bad row rejects the file.
    """
    rows, problems = read_rows(lines, source_name, SDN_COLUMNS)
    if problems:
        raise IngestError(tr(
            "{source_name}: rejected, {problems_count} problem(s)",
            source_name=source_name, problems_count=len(problems)), problems)
    names: list[str] = []
    for row in rows:
        name, sdn_type, programs = row.cells[1], row.cells[2], row.cells[3]
        if sdn_type or not NARCOTICS_PROGRAMS.intersection(split_programs(programs)):
            continue
        if _GROUP.search(name) and not _NOT_GROUP.search(name):
            names.append(name)
    return names


def read_org_names(data_dir: Path) -> list[str]:
    """Trafficking-group names from the OFAC snapshot under ``data_dir`` (or its ``ofac``)."""
    folder = data_dir / "ofac" if (data_dir / "ofac").is_dir() else data_dir
    path = folder / SDN_FILE
    try:
        text = decode_text(path.read_bytes())
    except OSError as exc:
        raise IngestError(tr(
            "cannot read {path}", path=path), [Problem(str(exc), path.name)]) from exc
    except UnicodeDecodeError as exc:
        raise IngestError(tr(
            "{name} is not UTF-8", name=path.name), [Problem(str(exc), path.name)]) from exc
    names = trafficking_group_names(text.splitlines(), path.name)
    if not names:
        raise IngestError(tr("{name}: no narcotics trafficking group found", name=path.name))
    return names


def demo_records(
    seed: int,
    data_dir: Path,
    scale: float = DEFAULT_SCALE,
    start: date | None = None,
    end: date | None = None,
    org_names: Sequence[str] | None = None,
    *,
    keyer: StatementKeyer,
) -> Iterator[Record]:
    """Synthetic records for the demo, calibrated to the CBP files under ``data_dir``.

    ``data_dir`` is the reference data folder (``shared/data``); organization names
    come from its OFAC snapshot unless ``org_names`` is given. ``keyer`` derives the
    statement ids (the store's that will keep the records).
    """
    totals = monthly_totals(read_cbp(default_cbp_paths(data_dir)))
    names = list(org_names) if org_names is not None else read_org_names(data_dir)
    return generate(seed, totals, names, scale=scale, start=start, end=end, keyer=keyer)


def seed_parties(store: Store, at: datetime) -> None:
    """The demo's agencies, units, analysts, agreements and vettings, recorded at ``at``."""
    with store.transaction() as conn:
        for agency in scenario.AGENCIES:
            parties.put_agency(conn, agency, at)
        for unit in scenario.UNITS:
            parties.put_unit(conn, unit, at)
        for analyst in scenario.ANALYSTS:
            parties.put_analyst(conn, analyst, at)
        for agreement in scenario.AGREEMENTS:
            parties.put_agreement(conn, agreement, at)
        for vetting in scenario.VETTINGS:
            parties.put_vetting(conn, vetting, at, "demo")
