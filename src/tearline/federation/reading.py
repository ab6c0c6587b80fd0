"""Read a pulled page: STIX objects to records, malformed objects left out.

Step 2 of the pull (:mod:`tearline.federation.sync`): the page's fresh objects, with
the marking definitions kept from earlier pages, are read by
:func:`tearline.stix.importer.read_bundle`; an object the importer refuses is set
aside with its problem and the rest read again, so one malformed object never fails
its page. Standard STIX whose creator is unknown is attributed to the source's agency.
Also here: the small readings of a STIX object the pull needs (its version, the record
it belongs to) and the cursor's step back (:func:`just_before`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tearline.errors import Problem, ValidationError
from tearline.federation.partners import Partner
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.stix.foreign import EXTERNAL
from tearline.stix.importer import read_bundle
from tearline.store import Connection, parties


def version_of(obj: Mapping[str, Any], fallback: str | None) -> str:
    """The version of a STIX object: ``modified``, else ``created``, else the date added."""
    for key in ("modified", "created"):
        value = obj.get(key)
        if isinstance(value, str):
            return value[:40]
    return (fallback or "-")[:40]


def just_before(stamp: str) -> str:
    """``stamp`` minus one microsecond, in TAXII's timestamp form (unchanged if unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - timedelta(microseconds=1)).astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def entity_of(obj: Mapping[str, Any]) -> str | None:
    ext = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
    if isinstance(ext, Mapping):
        if "derived_from" in ext:
            return None
        entity = ext.get("entity_id")
        return entity if isinstance(entity, str) else None
    return str(obj.get("id"))


def _attributed(record: Record, agency: str, keyer: StatementKeyer) -> Record:
    """A foreign record whose creator we do not know, attributed to the source's agency
    (its statements' ids derived again: they include agency and unit)."""
    if record.originator != EXTERNAL:
        return record
    statements = tuple(
        replace(s, origin=agency, author=agency,
                id=keyer(s.entity_id, s.prop, s.value, agency, agency))
        if s.origin == EXTERNAL else s
        for s in record.statements)
    return replace(record, originator=agency, author=agency, statements=statements)


def read_objects(conn: Connection, partner: Partner, keyer: StatementKeyer,
                 objects: list[dict[str, Any]], definitions: Mapping[str, dict[str, Any]]
                 ) -> tuple[dict[str, Record], dict[str, str]]:
    """Records by entity id, and malformed objects (id → problem); never raises for
    a malformed object, only leaves it out: the rest of the page is still read.

    A kept marking definition that does not read (kept before this check existed)
    is left out too, rather than failing every page after it."""
    agencies = sorted({a.id for a in parties.agencies(conn)})
    present = {str(o.get("id")) for o in objects}
    extra = {i: d for i, d in definitions.items() if i not in present}
    malformed: dict[str, str] = {}
    for _attempt in range(3):
        usable = [o for o in objects if str(o.get("id")) not in malformed]
        listed = [*extra.values(), *usable]
        bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": listed}
        try:
            imported = read_bundle(bundle, agencies, keyer=keyer)
        except ValidationError as exc:
            bad, stale = _problem_ids(exc.problems, listed, present, set(extra))
            if not (set(bad) - set(malformed)) and not stale:
                malformed.update({str(o.get("id")): exc.message for o in usable})
                return {}, malformed
            for key in bad:
                malformed.setdefault(key, bad[key])
            for key in stale:
                extra.pop(key, None)
            continue
        records: dict[str, Record] = {}
        for record in imported.records:
            if not partner.signed:
                record = _attributed(record, partner.agency, keyer)
            records[record.id] = record
        return records, malformed
    return {}, {str(o.get("id")): "unreadable" for o in objects}


_POSITION = re.compile(r"objects\[(\d+)\]")


def _problem_ids(problems: Sequence[Problem], listed: Sequence[Mapping[str, Any]],
                 present: set[str], kept: set[str]) -> tuple[dict[str, str], set[str]]:
    """(page object id → its problem, kept definitions that do not read) named by
    ``problems``; a problem located by position (``objects[N]``, for an object whose id
    is itself unreadable) names the object at that position of ``listed``."""
    bad: dict[str, str] = {}
    stale: set[str] = set()
    for p in problems:
        column = p.column
        at = _POSITION.fullmatch(column or "")
        if at is not None and int(at.group(1)) < len(listed):
            column = str(listed[int(at.group(1))].get("id"))
        if column in present:
            bad.setdefault(column, p.message)
        elif column in kept:
            stale.add(column)
    return bad, stale
