"""Turn a parsed OFAC SDN list into records with the importer's provenance and marking.

Stated facts carry the importer's provenance as given. Inferred links
(:mod:`tearline.ingest.ofac_inferred`) are added unless ``inferred=False``, each
statement graded with the lower credibility of an inference.

OFAC's ids (``ofac-N``) are the file's ids like any other's: ``tearline import-ofac``
places them for the importing unit (:mod:`tearline.ingest.placement`), so an import
never writes into a record the importer may not see, whoever made it (another unit's
import under a narrower marking, a partner's copy pulled by federation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tearline.errors import IngestError, InputError, Problem, tr
from tearline.ingest.collector import while_parsing
from tearline.ingest.files import open_sdn_text
from tearline.ingest.ofac import NARCOTICS_PROGRAMS, parse_sdn
from tearline.ingest.ofac_alt_add import parse_add, parse_alt
from tearline.ingest.ofac_inferred import INFERRED_CREDIBILITY, infer_namesake_links
from tearline.ingest.placement import check_distinct, placed_record, reference_ids
from tearline.model.marking import Marking
from tearline.model.namespace import Placement
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance, StatementKeyer
from tearline.policy.subject import Subject


@dataclass(frozen=True, slots=True)
class SdnImport:
    """The entities of one SDN list (with alt/add files), parsed, not yet records."""

    source: str
    marking: Marking
    #: (entity proxy, line, provenance), the first of each id only, in file order.
    entities: tuple[tuple[Any, int, Provenance], ...]

    def entity_ids(self) -> list[str]:
        """The ids of the list's entities, in file order."""
        return [proxy.id for proxy, _, _ in self.entities]

    def ids(self) -> set[str]:
        """Every id the list names: its entities' and their references'."""
        found: set[str] = set()
        for proxy, _, _ in self.entities:
            found.add(proxy.id)
            found.update(reference_ids(proxy.schema.name, proxy.properties))
        return found

    @while_parsing
    def records(
        self, keyer: StatementKeyer, placement: Placement | None = None,
        subject: Subject | None = None,
    ) -> list[Record]:
        """The records, placed for ``subject`` (else under OFAC's ids); all or nothing.

        ``keyer`` derives the statement ids (the store's that will keep the records)."""
        if placement is not None and subject is None:
            raise TypeError("a placement is made for a writer: pass the subject")
        out: list[Record] = []
        problems: list[Problem] = []
        if placement is not None:
            lines = {proxy.id: line for proxy, line, _ in self.entities}
            problems.extend(check_distinct({i: placement.id_for(i) for i in lines}, lines,
                                           self.source))
        for proxy, line, provenance in self.entities:
            # Every value went through its property type's cleaning on its way into
            # the proxy (``ofac_entity.put``, ``EntityProxy.add``): not cleaned again.
            args = (proxy.schema.name, proxy.properties, provenance, self.marking)
            try:
                if placement is None or subject is None:
                    out.append(build_record(proxy.id, *args, cleaned=True, keyer=keyer))
                else:
                    out.append(placed_record(placement, subject, proxy.id, *args,
                                             cleaned=True, keyer=keyer))
            except InputError as exc:
                problems.extend(Problem(tr(
                    "{id}: {message}", id=proxy.id, message=p.message), self.source, line, p.column)
                                for p in exc.problems or (Problem(exc.message),))
        if problems:
            raise IngestError(tr(
                "{source} rejected; nothing was stored", source=self.source), problems)
        return out


@while_parsing
def read_sdn(
    path: Path,
    provenance: Provenance,
    marking: Marking,
    all_programs: bool = False,
    alt_path: Path | None = None,
    add_path: Path | None = None,
    inferred: bool = True,
) -> SdnImport:
    """Parse ``path`` (and optional alt/add files) into entities; a bad file is refused."""
    alt = parse_alt(open_sdn_text(alt_path).splitlines(), alt_path.name) if alt_path else []
    add = parse_add(open_sdn_text(add_path).splitlines(), add_path.name) if add_path else []
    programs = None if all_programs else NARCOTICS_PROGRAMS
    entries = list(parse_sdn(open_sdn_text(path).splitlines(), path.name, programs,
                             alt=alt, add=add))
    entities: dict[str, tuple[Any, int, Provenance]] = {}
    stated: Iterable[tuple[Any, int]] = (
        (proxy, entry.line) for entry in entries for proxy in entry.proxies)
    for proxy, line in stated:
        entities.setdefault(proxy.id, (proxy, line, provenance))
    if inferred:
        lines = {entry.entity.id: entry.line for entry in entries}
        guessed = replace(provenance, credibility=INFERRED_CREDIBILITY)
        for link in infer_namesake_links(entries):
            entities.setdefault(link.id, (link, lines[link.get("subject")[0]], guessed))
    return SdnImport(path.name, marking, tuple(entities.values()))


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
    """Parse ``path`` (and optional alt/add files) into records under OFAC's own ids.

    For reading the list (tests, benchmarks, fixtures); a party's import places the
    ids for it (``read_sdn(...).records(keyer, placement, subject)``). ``keyer``: the
    statement ids' (the store's that will keep the records).
    """
    return read_sdn(path, provenance, marking, all_programs, alt_path, add_path,
                    inferred).records(keyer)
