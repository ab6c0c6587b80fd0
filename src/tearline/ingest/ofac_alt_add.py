"""OFAC's companion files: alternate names (``alt.csv``) and addresses (``add.csv``).

Both are keyed by ``ent_num``, the SDN entry they belong to, and are merged into
the entries by :func:`tearline.ingest.ofac.parse_sdn`. Aliases here are OFAC's
*strong* aliases (the weak ones are quoted in the SDN Remarks): ``aka`` →
``alias``, ``fka`` (formerly known as) → ``previousName``, ``nka`` (now known as)
→ ``alias``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tearline.errors import IngestError, Problem, tr
from tearline.ingest.ofac_rows import read_rows, require_kind

ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "remarks")
ALT_PROPERTIES = {"aka": "alias", "fka": "previousName", "nka": "alias"}


@dataclass(frozen=True, slots=True)
class OfacAlt:
    """One alternate name of an SDN entry."""

    ent_num: str
    alt_num: str
    kind: str
    name: str
    line: int

    @property
    def prop(self) -> str:
        return ALT_PROPERTIES[self.kind]


@dataclass(frozen=True, slots=True)
class OfacAddress:
    """One address of an SDN entry; ``full`` joins its non-empty parts."""

    ent_num: str
    add_num: str
    street: str
    city: str
    country: str
    line: int

    @property
    def full(self) -> str:
        return ", ".join(part for part in (self.street, self.city, self.country) if part)


def _ent_num_problem(value: str, source_name: str, line: int) -> Problem | None:
    if value.isdigit():
        return None
    return Problem(tr(
        "ent_num must be a number, not {value!r}", value=value[:40]), source_name, line, "ent_num")


def parse_alt(lines: Iterable[str], source_name: str) -> list[OfacAlt]:
    """Read ``alt.csv``; raise :class:`IngestError` listing every bad row."""
    lines = lines.splitlines() if isinstance(lines, str) else list(lines)
    require_kind(lines, source_name, "alt", ALT_COLUMNS)
    rows, problems = read_rows(lines, source_name, ALT_COLUMNS)
    out: list[OfacAlt] = []
    for row in rows:
        ent_num, alt_num, kind, name, _ = row.cells
        problem = _ent_num_problem(ent_num, source_name, row.line)
        if problem is None and kind.lower() not in ALT_PROPERTIES:
            problem = Problem(tr(
                "unknown alt_type {kind!r}", kind=kind[:20]), source_name, row.line, "alt_type")
        if problem is None and not name:
            problem = Problem(tr("empty alt_name"), source_name, row.line, "alt_name")
        if problem is not None:
            problems.append(problem)
            continue
        out.append(OfacAlt(ent_num, alt_num, kind.lower(), name, row.line))
    if problems:
        raise IngestError(tr(
            "{source_name}: rejected, {problems_count} problem(s)",
            source_name=source_name, problems_count=len(problems)), problems)
    return out


def parse_add(lines: Iterable[str], source_name: str) -> list[OfacAddress]:
    """Read ``add.csv``; raise :class:`IngestError` listing every bad row."""
    lines = lines.splitlines() if isinstance(lines, str) else list(lines)
    require_kind(lines, source_name, "add", ADD_COLUMNS)
    rows, problems = read_rows(lines, source_name, ADD_COLUMNS)
    out: list[OfacAddress] = []
    for row in rows:
        ent_num, add_num, street, city, country, _ = row.cells
        problem = _ent_num_problem(ent_num, source_name, row.line)
        if problem is not None:
            problems.append(problem)
            continue
        out.append(OfacAddress(ent_num, add_num, street, city, country, row.line))
    if problems:
        raise IngestError(tr(
            "{source_name}: rejected, {problems_count} problem(s)",
            source_name=source_name, problems_count=len(problems)), problems)
    return out
