"""The OFAC Specially Designated Nationals list (``sdn.csv``) → FollowTheMoney entities.

Pure parsing: the caller opens the file (see :func:`tearline.ingest.files.open_sdn_text`)
and passes its text lines; nothing here touches a database.

::

    lines = open_sdn_text(path).splitlines()
    for entry in parse_sdn(lines, path.name):            # narcotics programs only
        store(entry.proxies); show(entry.warnings)

The whole file is read and checked before the first entry is returned: a file with
any bad row raises :class:`~tearline.errors.IngestError` listing every problem
(file, line, column, reason), and nothing from it is returned.

``Linked To: NAME`` facts are resolved by name once the whole file is read, to
``UnknownLink`` entities (``subject`` = the entry that names the link, ``object``
= the named entry, ``role`` ``Linked To``; id ``ofac-link-<from>-<to>``). Names are
matched exactly, then without a final period and case-insensitively. A name that
matches no imported entry — absent, ambiguous, or listed only under a program that
was not selected — is a warning on the entry, not an error. A vessel owner that
names an entry is linked to it; any other owner becomes a ``LegalEntity``
(``ofac-<ent_num>-owner``) holding only that name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tearline.errors import IngestError, Problem, tr
from tearline.ingest.ofac_alt_add import OfacAddress, OfacAlt
from tearline.ingest.ofac_entity import SDN_COLUMNS, Built, build_row, put, split_programs
from tearline.ingest.ofac_names import split_person_name
from tearline.ingest.ofac_rows import Row, read_rows, require_kind
from tearline.model.schema import get_model

#: The narcotics programs: Kingpin Act, narcotics traffickers (EO 12978), and
#: illicit drug trade (EO 14059).
NARCOTICS_PROGRAMS: frozenset[str] = frozenset({"SDNTK", "SDNT", "ILLICIT-DRUGS-EO14059"})
LINK_ROLE = "Linked To"


@dataclass(frozen=True, slots=True)
class OfacEntry:
    """One SDN row: its line, its entities (the party first), and its warnings."""

    ent_num: str
    line: int
    name: str
    programs: tuple[str, ...]
    proxies: tuple[Any, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def entity(self) -> Any:
        """The listed party (Person, Organization, Vessel or Airplane)."""
        return self.proxies[0]


def _key(name: str) -> str:
    return " ".join(name.casefold().rstrip(".").split())


class _NameIndex:
    """Listed names → ent_nums, for every row of the file (selected or not)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.exact: dict[str, list[str]] = defaultdict(list)
        self.loose: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            self.exact[row.cells[1]].append(row.cells[0])
            self.loose[_key(row.cells[1])].append(row.cells[0])

    def find(self, name: str) -> list[str]:
        for candidate in (name, name + "."):
            if candidate in self.exact:
                return self.exact[candidate]
        return self.loose.get(_key(name), [])


def _check(row: Row, source_name: str, seen: set[str]) -> list[Problem]:
    cells = dict(zip(SDN_COLUMNS, row.cells, strict=True))
    out: list[Problem] = []
    if not cells["ent_num"].isdigit():
        out.append(Problem(tr("ent_num must be a number"), source_name, row.line, "ent_num"))
    elif cells["ent_num"] in seen:
        out.append(
            Problem(tr(
                "duplicate ent_num {cells}",
                cells=cells['ent_num']), source_name, row.line, "ent_num")
        )
    seen.add(cells["ent_num"])
    if not cells["SDN_Name"]:
        out.append(Problem(tr("empty name"), source_name, row.line, "SDN_Name"))
    if cells["SDN_Type"].lower() not in ("", "individual", "vessel", "aircraft"):
        message = f"unknown SDN_Type {cells['SDN_Type'][:30]!r}"
        out.append(Problem(message, source_name, row.line, "SDN_Type"))
    if not split_programs(cells["Program"]):
        out.append(Problem(tr("no sanctions program"), source_name, row.line, "Program"))
    return out


def _link(subject: str, target: str) -> Any:
    link = get_model().make_entity("UnknownLink")
    link.id = f"ofac-link-{subject.removeprefix('ofac-')}-{target.removeprefix('ofac-')}"
    link.add("subject", subject)
    link.add("object", target)
    link.add("role", LINK_ROLE)
    return link


def _resolve(name: str, index: _NameIndex, built: dict[str, Built], what: str) -> str:
    """The entity id a name points to, or a warning message (prefixed ``!``)."""
    found = sorted(set(index.find(name)))
    chosen = [ent for ent in found if ent in built]
    if len(chosen) == 1:
        return str(built[chosen[0]].proxy.id)
    if len(chosen) > 1:
        return f"!{what} {name!r} is ambiguous: entries {', '.join(chosen)}"
    if found:
        return f"!{what} {name!r} (entry {', '.join(found)}) is not among the selected programs"
    return f"!{what} {name!r} matches no entry"


def _related(ent_num: str, b: Built, index: _NameIndex, built: dict[str, Built]) -> list[Any]:
    out: list[Any] = []
    for name in b.remarks.links:
        target = _resolve(name, index, built, LINK_ROLE)
        if target.startswith("!"):
            b.warnings.append(target[1:])
        elif target != b.proxy.id and target not in {link.get("object")[0] for link in out}:
            out.append(_link(b.proxy.id, target))
    if b.owner and b.proxy.schema.get("owner") is not None:
        target = _resolve(b.owner, index, built, "owner")
        if target.startswith("!"):
            owner = get_model().make_entity("LegalEntity")
            owner.id = f"{b.proxy.id}-owner"
            put(owner, "name", b.owner, b.warnings)
            out.append(owner)
            target = owner.id
        b.proxy.add("owner", target)
    return out


def _merge(b: Built, alts: Sequence[OfacAlt], addresses: Sequence[OfacAddress]) -> None:
    individual = b.proxy.schema.name == "Person"
    for alt in alts:
        if individual:
            parts = split_person_name(alt.name)
            put(b.proxy, alt.prop, parts.full, b.warnings)
            if parts.listed != parts.full:
                put(b.proxy, alt.prop, parts.listed, b.warnings)
        else:
            put(b.proxy, alt.prop, alt.name, b.warnings)
    for address in addresses:
        if address.full:
            put(b.proxy, "address", address.full, b.warnings)
        if address.country:
            put(b.proxy, "country", address.country, b.warnings)


def parse_sdn(
    lines: Iterable[str],
    source_name: str,
    programs: frozenset[str] | None = NARCOTICS_PROGRAMS,
    *,
    alt: Sequence[OfacAlt] = (),
    add: Sequence[OfacAddress] = (),
) -> Iterator[OfacEntry]:
    """Parse ``sdn.csv`` text; the entries of ``programs`` (None: every entry).

    ``alt`` and ``add`` are the parsed companion files (:func:`parse_alt`,
    :func:`parse_add`) of the same snapshot, merged into the entries they name.
    Raises :class:`IngestError` listing every problem if any row is bad, at the
    call (the whole file is read and checked before this returns).
    """
    lines = lines.splitlines() if isinstance(lines, str) else list(lines)
    require_kind(lines, source_name, "SDN", SDN_COLUMNS)
    rows, problems = read_rows(lines, source_name, SDN_COLUMNS)
    seen: set[str] = set()
    for row in rows:
        problems.extend(_check(row, source_name, seen))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise IngestError(tr(
            "{source_name}: rejected, {problems_count} problem(s)",
            source_name=source_name, problems_count=len(problems)), problems)

    alts: dict[str, list[OfacAlt]] = defaultdict(list)
    for item in alt:
        alts[item.ent_num].append(item)
    adds: dict[str, list[OfacAddress]] = defaultdict(list)
    for address in add:
        adds[address.ent_num].append(address)

    selected = [
        row
        for row in rows
        if programs is None or programs.intersection(split_programs(row.cells[3]))
    ]
    built = {
        row.cells[0]: build_row(dict(zip(SDN_COLUMNS, row.cells, strict=True))) for row in selected
    }
    index = _NameIndex(rows)
    entries: list[OfacEntry] = []
    for row in selected:
        ent_num = row.cells[0]
        b = built[ent_num]
        _merge(b, alts.get(ent_num, ()), adds.get(ent_num, ()))
        related = _related(ent_num, b, index, built)
        entries.append(
            OfacEntry(
                ent_num=ent_num,
                line=row.line,
                name=row.cells[1],
                programs=split_programs(row.cells[3]),
                proxies=(b.proxy, b.sanction, *related),
                warnings=tuple(Problem(w, source_name, row.line) for w in b.warnings),
            )
        )
    return iter(entries)
