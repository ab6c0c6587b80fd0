"""A STIX 2.1 bundle → records.

Objects carrying the full tearline record extension come back losslessly: the record
head and statements from the extension, the record's marking from
``object_marking_refs`` and each portion marking from the granular markings whose
selectors name the statement. Objects that only carry ``derived_from`` were derived
for foreign consumers and are dropped. Everything else is foreign STIX, mapped by
:mod:`tearline.stix.foreign` where it fits and otherwise listed in
:attr:`Import.skipped` with the reason.

Every record read gets its statement ids from the keyer the caller passes (the
receiving store's): ids on the wire are the sender's (see :mod:`tearline.stix.wire`).

A malformed bundle raises :class:`~tearline.errors.ValidationError` listing every
problem (located by object id); nothing is returned from it.

This module does not decide whether the sender may speak for the originator of a
record: the federation layer checks that before it stores anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tearline.errors import InputError, Problem, ValidationError, tr
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer
from tearline.stix.extensions import MARKING_EXTENSION_ID, RECORD_EXTENSION_ID
from tearline.stix.foreign import ForeignContext, map_foreign
from tearline.stix.markings import marking_from_extension, read_marking
from tearline.stix.wire import record_from_payload

_STIX_ID = re.compile(r"^[a-z][a-z0-9-]+--[0-9a-fA-F-]{36}$")
_SELECTOR = re.compile(
    r"^extensions\." + re.escape(RECORD_EXTENSION_ID) + r"\.statements\.\[(\d+)\]$"
)


@dataclass(frozen=True, slots=True)
class Import:
    """The records read from a bundle, and what was skipped (with the reason)."""

    records: tuple[Record, ...]
    skipped: tuple[Problem, ...] = ()


def _objects(bundle: object) -> tuple[list[dict[str, Any]], list[Problem]]:
    if not isinstance(bundle, Mapping) or bundle.get("type") != "bundle":
        raise ValidationError(tr("not a STIX bundle: expected an object with type 'bundle'"))
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise ValidationError(tr("the bundle's objects must be a list"))
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    for index, obj in enumerate(objects):
        where = f"objects[{index}]"
        if not isinstance(obj, dict):
            problems.append(Problem(tr("an object must be a JSON object"), column=where))
            continue
        sid, kind = obj.get("id"), obj.get("type")
        if not isinstance(kind, str) or not isinstance(sid, str) or not _STIX_ID.match(sid):
            problems.append(Problem(tr(
                "missing or invalid type/id ({sid!r})", sid=sid), column=where))
            continue
        if not sid.startswith(kind + "--"):
            problems.append(Problem(tr(
                "id {sid} does not match type {kind}", sid=sid, kind=kind), column=sid))
            continue
        shape = _shape_problem(obj)
        if shape is not None:
            problems.append(Problem(shape, column=sid))
            continue
        out.append(obj)
    return out, problems


#: Properties read here that STIX 2.1 defines as lists of strings (identifiers or
#: vocabulary terms) or as one identifier; any other JSON type makes the object
#: malformed (refused with the reason), rather than guessed at or crashing the reader.
_STRING_LISTS = ("object_marking_refs", "aliases", "threat_actor_types", "object_refs")
_IDENTIFIERS = ("created_by_ref", "source_ref", "target_ref")


def _is_granular(item: object) -> bool:
    return (isinstance(item, Mapping) and isinstance(item.get("selectors"), list)
            and (isinstance(item.get("marking_ref"), str) or isinstance(item.get("lang"), str)))


def _shape_problem(obj: Mapping[str, Any]) -> str | None:
    """Why the properties this module reads do not have their STIX 2.1 JSON types, if so."""
    extensions = obj.get("extensions")
    if extensions is not None and not isinstance(extensions, Mapping):
        return "extensions must be an object"
    for key in _STRING_LISTS:
        value = obj.get(key)
        if value is not None and not (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value)):
            return f"{key} must be a list of strings"
    granular = obj.get("granular_markings")
    if granular is not None and not (isinstance(granular, list)
                                     and all(_is_granular(g) for g in granular)):
        return "granular_markings must be a list of objects with selectors and a marking_ref"
    for key in _IDENTIFIERS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key} must be an identifier"
    return None


def _tearline_markings(objects: Iterable[dict[str, Any]],
                       problems: list[Problem]) -> dict[str, Marking]:
    out: dict[str, Marking] = {}
    for obj in objects:
        ext = (obj.get("extensions") or {}).get(MARKING_EXTENSION_ID)
        if obj["type"] != "marking-definition" or ext is None:
            continue
        try:
            out[obj["id"]] = marking_from_extension(ext)
        except InputError as exc:
            problems.append(Problem(exc.message.splitlines()[0], column=obj["id"]))
    return out


def _portions(obj: Mapping[str, Any], markings: Mapping[str, Marking],
              problems: list[Problem]) -> dict[int, Marking]:
    refs: dict[int, list[str]] = {}
    for granular in obj.get("granular_markings") or []:
        ref = granular.get("marking_ref") if isinstance(granular, Mapping) else None
        selectors = granular.get("selectors") if isinstance(granular, Mapping) else None
        if not isinstance(ref, str) or not isinstance(selectors, list):
            problems.append(Problem(tr("malformed granular marking"), column=obj["id"]))
            continue
        for selector in selectors:
            match = _SELECTOR.match(selector) if isinstance(selector, str) else None
            if match:
                refs.setdefault(int(match.group(1)), []).append(ref)
    out: dict[int, Marking] = {}
    for index, index_refs in refs.items():
        marking = read_marking(index_refs, markings)
        if marking is None:
            problems.append(Problem(tr(
                "statement {index}: no known marking among {index_refs}",
                index=index, index_refs=index_refs),
                                    column=obj["id"]))
        else:
            out[index] = marking
    return out


def _tearline_record(obj: dict[str, Any], payload: Mapping[str, Any],
                     markings: Mapping[str, Marking],
                     problems: list[Problem], keyer: StatementKeyer) -> Record | None:
    sid = obj["id"]
    marking = read_marking(obj.get("object_marking_refs") or [], markings)
    if marking is None:
        problems.append(Problem(tr("no known marking in object_marking_refs"), column=sid))
        return None
    before = len(problems)
    portions = _portions(obj, markings, problems)
    record, found = record_from_payload(payload, marking, portions, sid, keyer)
    problems.extend(found)
    return record if len(problems) == before else None


def read_bundle(bundle: object, agencies: Iterable[str] = (), *,
                keyer: StatementKeyer) -> Import:
    """All records of a bundle, and what was skipped; :class:`ValidationError` if malformed.

    ``agencies`` are the agency ids this node knows: a foreign object whose
    ``created_by_ref`` is one of their identities is attributed to that agency.
    ``keyer`` derives the statement ids (the store's that will keep the records).
    """
    objects, problems = _objects(bundle)
    markings = _tearline_markings(objects, problems)
    context = ForeignContext.of(objects, agencies, markings, keyer)
    records: list[Record] = []
    skipped: list[Problem] = []
    for obj in objects:
        payload = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
        if isinstance(payload, Mapping) and "derived_from" in payload:
            continue
        if isinstance(payload, Mapping):
            record = _tearline_record(obj, payload, markings, problems, keyer)
            if record is not None:
                records.append(record)
            continue
        if payload is not None:
            problems.append(Problem(tr("the tearline record extension must be an object"),
                                    column=obj["id"]))
            continue
        mapped, reason = map_foreign(obj, context)
        if mapped is not None:
            records.append(mapped)
        elif reason is not None:
            skipped.append(Problem(reason, column=obj["id"]))
    if problems:
        raise ValidationError(tr(
            "invalid STIX bundle: {problems_count} problem(s)",
            problems_count=len(problems)), problems)
    return Import(tuple(records), tuple(skipped))


def from_stix(bundle: object, agencies: Iterable[str] = (), *,
              keyer: StatementKeyer) -> list[Record]:
    """The records of a bundle (see :func:`read_bundle` for what is skipped)."""
    return list(read_bundle(bundle, agencies, keyer=keyer).records)
