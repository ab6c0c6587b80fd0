"""Turn a parsed OFAC SDN list into records with the importer's provenance and marking.

Stated facts carry the importer's provenance as given. Inferred links
(:mod:`tearline.ingest.ofac_inferred`) are added unless ``inferred=False``, each
statement graded with the lower credibility of an inference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tearline.errors import IngestError, InputError, Problem
from tearline.ingest.files import open_sdn_text
from tearline.ingest.ofac import NARCOTICS_PROGRAMS, parse_sdn
from tearline.ingest.ofac_alt_add import parse_add, parse_alt
from tearline.ingest.ofac_inferred import INFERRED_CREDIBILITY, infer_namesake_links
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance, StatementKeyer


def _build(proxies: Iterable[tuple[Any, int]], provenance: Provenance, marking: Marking,
           source: str, records: dict[str, Record], problems: list[Problem],
           keyer: StatementKeyer) -> None:
    for proxy, line in proxies:
        if proxy.id in records:
            continue
        try:
            # Every value went through its property type's cleaning on its way into
            # the proxy (``ofac_entity.put``, ``EntityProxy.add``): not cleaned again.
            records[proxy.id] = build_record(
                proxy.id, proxy.schema.name, proxy.properties, provenance, marking, cleaned=True,
                keyer=keyer,
            )
        except InputError as exc:
            problems.extend(
                Problem(f"{proxy.id}: {p.message}", source, line, p.column) for p in exc.problems
            )


def import_sdn(
    path: Path,
    provenance: Provenance,
    marking: Marking,
    all_programs: bool = False,
    alt_path: Path | None = None,
    add_path: Path | None = None,
    inferred: bool = True,
    *,
    keyer: StatementKeyer,
) -> list[Record]:
    """Parse ``path`` (and optional alt/add files) into records; all or nothing.

    ``keyer``: the statement ids' (the store's that will keep the records)."""
    alt = parse_alt(open_sdn_text(alt_path).splitlines(), alt_path.name) if alt_path else []
    add = parse_add(open_sdn_text(add_path).splitlines(), add_path.name) if add_path else []
    programs = None if all_programs else NARCOTICS_PROGRAMS
    entries = list(parse_sdn(open_sdn_text(path).splitlines(), path.name, programs,
                             alt=alt, add=add))
    records: dict[str, Record] = {}
    problems: list[Problem] = []
    stated = ((proxy, entry.line) for entry in entries for proxy in entry.proxies)
    _build(stated, provenance, marking, path.name, records, problems, keyer)
    if inferred:
        lines = {entry.entity.id: entry.line for entry in entries}
        guessed = replace(provenance, credibility=INFERRED_CREDIBILITY)
        links = ((link, lines[link.get("subject")[0]]) for link in infer_namesake_links(entries))
        _build(links, guessed, marking, path.name, records, problems, keyer)
    if problems:
        raise IngestError(f"{path.name} rejected; nothing was stored", problems)
    return list(records.values())
