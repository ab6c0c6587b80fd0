"""Turn a parsed OFAC SDN list into records with the importer's provenance and marking."""

from __future__ import annotations

from pathlib import Path

from tearline.errors import IngestError, InputError, Problem
from tearline.ingest.files import open_sdn_text
from tearline.ingest.ofac import NARCOTICS_PROGRAMS, parse_sdn
from tearline.ingest.ofac_alt_add import parse_add, parse_alt
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance


def import_sdn(
    path: Path,
    provenance: Provenance,
    marking: Marking,
    all_programs: bool = False,
    alt_path: Path | None = None,
    add_path: Path | None = None,
) -> list[Record]:
    """Parse ``path`` (and optional alt/add files) into records; all or nothing."""
    alt = parse_alt(open_sdn_text(alt_path).splitlines(), alt_path.name) if alt_path else []
    add = parse_add(open_sdn_text(add_path).splitlines(), add_path.name) if add_path else []
    programs = None if all_programs else NARCOTICS_PROGRAMS
    entries = list(parse_sdn(open_sdn_text(path).splitlines(), path.name, programs,
                             alt=alt, add=add))
    records: dict[str, Record] = {}
    problems: list[Problem] = []
    for entry in entries:
        for proxy in entry.proxies:
            if proxy.id in records:
                continue
            try:
                records[proxy.id] = build_record(
                    proxy.id, proxy.schema.name, proxy.properties, provenance, marking
                )
            except InputError as exc:
                problems.extend(
                    Problem(f"{proxy.id}: {p.message}", path.name, entry.line, p.column)
                    for p in exc.problems
                )
    if problems:
        raise IngestError(f"{path.name} rejected; nothing was stored", problems)
    return list(records.values())
