"""The documents of the deconfliction index, as nodes sign and exchange them.

A **registration** says: the holder of this token is unit U of agency A, call this
point of contact, working it since S, until E. It carries a token, never a selector,
and names the node that registered it; that node signs it, and a peer stores it only
if the signature is the node's and the node speaks for the agency it names. A
**batch** carries many registrations of one unit with one pointer (the same contact,
since and expiry), signed once: a unit registers its targets by the thousand, and a
signature and its verification per registration would cost more than the tokens. Each
registration in a batch keeps an id of its own, which withdrawals and hits name. A
**withdrawal** ends a registration, signed by the same node. A **notice** tells the
holder's node that a unit checked and met one of its registrations; a **notice batch**
tells it of every registration of its agency that one check met, signed once: a
check of thousands of selectors meets thousands of registrations, and a signature
per hit would cost as much as the hit's token. Each notice in a batch keeps an id
of its own.

Pure: parsing and validation of the unsigned content. Signing and verification are
the federation edge's (``federation/deconflict_docs.py``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tearline.deconflict.selectors import KINDS
from tearline.errors import Problem, ValidationError, tr

REGISTRATION = "tearline-deconfliction-registration"
WITHDRAWAL = "tearline-deconfliction-withdrawal"
NOTICE = "tearline-deconfliction-notice"
BATCH = "tearline-deconfliction-registrations"
NOTICES = "tearline-deconfliction-notices"
TYPES = {REGISTRATION: "registration", WITHDRAWAL: "withdrawal", NOTICE: "notice",
         BATCH: "batch", NOTICES: "notices"}
#: The most registrations one batch carries (a larger registration is several batches).
MAX_ENTRIES = 10_000
_TOKEN = re.compile(r"[0-9a-f]{64}")
_DOC_ID = re.compile(r"d[rwnb]-[0-9a-f]{32}")
_NOTICE_ID = re.compile(r"dn-[0-9a-f]{32}")
_AGREEMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")
_REG_ID = re.compile(r"dr-[0-9a-f]{32}")
_DOTTED = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z")
MAX_CONTACT = 200


def new_id(prefix: str) -> str:
    """A random document id (``dr-``, ``dw-``, ``dn-``, ``db-``, ``dh-``): it says nothing
    of the selector.
    (A version-4 UUID's 122 random bits, from the operating system's generator.)"""
    return f"{prefix}-{uuid.uuid4().hex}"


def stamp(moment: datetime) -> str:
    """UTC, microseconds, ``Z``: the audit log's time form, compared as text."""
    if moment.tzinfo is None:
        raise ValidationError(tr("a deconfliction time needs a time zone"))
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _field(doc: dict[str, Any], name: str, pattern: re.Pattern[str] | None,
           problems: list[Problem], optional: bool = False) -> Any:
    value = doc.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        problems.append(Problem(tr("{name}: missing or malformed", name=name), column=name))
        return ""
    return value


@dataclass(frozen=True, slots=True)
class Registration:
    id: str
    token: str
    kind: str
    agency: str
    unit: str
    contact: str
    since: str
    expires: str
    node: str

    def to_document(self) -> dict[str, Any]:
        return {"type": REGISTRATION, "v": 1, "id": self.id, "token": self.token,
                "kind": self.kind, "agency": self.agency, "unit": self.unit,
                "contact": self.contact, "since": self.since, "expires": self.expires,
                "node": self.node}


@dataclass(frozen=True, slots=True)
class Withdrawal:
    id: str
    registration_id: str
    withdrawn_at: str
    node: str

    def to_document(self) -> dict[str, Any]:
        return {"type": WITHDRAWAL, "v": 1, "id": self.id,
                "registration_id": self.registration_id, "withdrawn_at": self.withdrawn_at,
                "node": self.node}


@dataclass(frozen=True, slots=True)
class Notice:
    id: str
    registration_id: str
    holder_agency: str
    checker_agency: str
    checker_unit: str
    agreement_id: str | None
    at: str
    node: str

    def to_document(self) -> dict[str, Any]:
        return {"type": NOTICE, "v": 1, "id": self.id, "registration_id": self.registration_id,
                "holder_agency": self.holder_agency, "checker_agency": self.checker_agency,
                "checker_unit": self.checker_unit, "agreement_id": self.agreement_id,
                "at": self.at, "node": self.node}


@dataclass(frozen=True, slots=True)
class Batch:
    """Registrations of one unit with one pointer: ``entries`` are (id, token, kind)."""

    id: str
    agency: str
    unit: str
    contact: str
    since: str
    expires: str
    node: str
    entries: tuple[tuple[str, str, str], ...]

    @property
    def registrations(self) -> tuple[Registration, ...]:
        return tuple(Registration(i, token, kind, self.agency, self.unit, self.contact,
                                  self.since, self.expires, self.node)
                     for i, token, kind in self.entries)

    def to_document(self) -> dict[str, Any]:
        return {"type": BATCH, "v": 1, "id": self.id, "agency": self.agency,
                "unit": self.unit, "contact": self.contact, "since": self.since,
                "expires": self.expires, "node": self.node,
                "entries": [{"id": i, "token": token, "kind": kind}
                            for i, token, kind in self.entries]}


@dataclass(frozen=True, slots=True)
class NoticeBatch:
    """The hits of one check on the registrations of one holder agency: ``entries`` are
    (notice id, registration id), the rest is the notices' common part."""

    id: str
    holder_agency: str
    checker_agency: str
    checker_unit: str
    agreement_id: str | None
    at: str
    node: str
    entries: tuple[tuple[str, str], ...]

    @property
    def notices(self) -> tuple[Notice, ...]:
        return tuple(Notice(i, registration, self.holder_agency, self.checker_agency,
                            self.checker_unit, self.agreement_id, self.at, self.node)
                     for i, registration in self.entries)

    def to_document(self) -> dict[str, Any]:
        return {"type": NOTICES, "v": 1, "id": self.id, "holder_agency": self.holder_agency,
                "checker_agency": self.checker_agency, "checker_unit": self.checker_unit,
                "agreement_id": self.agreement_id, "at": self.at, "node": self.node,
                "entries": [{"id": i, "registration_id": r} for i, r in self.entries]}


Document = Registration | Withdrawal | Notice | Batch | NoticeBatch


def _contact(doc: dict[str, Any], p: list[Problem]) -> str:
    contact = doc.get("contact")
    if not isinstance(contact, str) or not 1 <= len(contact) <= MAX_CONTACT:
        p.append(Problem(tr(
            "contact: 1 to {MAX_CONTACT} characters", MAX_CONTACT=MAX_CONTACT), column="contact"))
        return ""
    return contact


def _entries(doc: dict[str, Any], p: list[Problem]) -> tuple[tuple[str, str, str], ...]:
    raw = doc.get("entries")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_ENTRIES:
        p.append(Problem(tr(
            "entries: a list of 1 to {MAX_ENTRIES} registrations", MAX_ENTRIES=MAX_ENTRIES),
                         column="entries"))
        return ()
    out = []
    for n, entry in enumerate(raw):
        if (not isinstance(entry, dict) or set(entry) != {"id", "token", "kind"}
                or not isinstance(entry["id"], str) or not _REG_ID.fullmatch(entry["id"])
                or not isinstance(entry["token"], str) or not _TOKEN.fullmatch(entry["token"])
                or entry["kind"] not in KINDS):
            p.append(Problem(tr("entries[{n}]: an id (dr-…), a token and a selector kind", n=n),
                             column="entries"))
            return ()
        out.append((entry["id"], entry["token"], entry["kind"]))
    if len({i for i, _, _ in out}) != len(out):
        p.append(Problem(tr("entries: registration ids repeat"), column="entries"))
    return tuple(out)


def _notice_entries(doc: dict[str, Any], p: list[Problem]) -> tuple[tuple[str, str], ...]:
    raw = doc.get("entries")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_ENTRIES:
        p.append(Problem(tr(
            "entries: a list of 1 to {MAX_ENTRIES} notices",
            MAX_ENTRIES=MAX_ENTRIES), column="entries"))
        return ()
    out = []
    for n, entry in enumerate(raw):
        if (not isinstance(entry, dict) or set(entry) != {"id", "registration_id"}
                or not isinstance(entry["id"], str) or not _NOTICE_ID.fullmatch(entry["id"])
                or not isinstance(entry["registration_id"], str)
                or not _REG_ID.fullmatch(entry["registration_id"])):
            p.append(Problem(tr("entries[{n}]: an id (dn-…) and a registration id (dr-…)", n=n),
                             column="entries"))
            return ()
        out.append((entry["id"], entry["registration_id"]))
    if len({i for i, _ in out}) != len(out):
        p.append(Problem(tr("entries: notice ids repeat"), column="entries"))
    return tuple(out)



def _unit_of(unit: str, agency: str, column: str, p: list[Problem]) -> None:
    """A unit named beside its agency must be one of that agency's (a unit's id extends
    its agency's): a document cannot put a unit under another agency."""
    if not p and not unit.startswith(agency + "."):
        p.append(Problem(tr("{column}: not a unit of the agency", column=column),
                         column=column))

def parse(doc: object) -> Document:
    """A document from its unsigned JSON form; :class:`ValidationError` listing problems."""
    if not isinstance(doc, dict):
        raise ValidationError(tr("a deconfliction document is a JSON object"))
    kind = doc.get("type")
    if kind not in TYPES or doc.get("v") != 1:
        raise ValidationError(tr("not a deconfliction document of version 1: {kind!r}", kind=kind))
    p: list[Problem] = []
    node = _field(doc, "node", re.compile(r"[a-z0-9][a-z0-9._-]{0,127}"), p)
    out: Document
    if kind == BATCH:
        out = Batch(
            id=_field(doc, "id", re.compile(r"db-[0-9a-f]{32}"), p),
            agency=_field(doc, "agency", _DOTTED, p), unit=_field(doc, "unit", _DOTTED, p),
            contact=_contact(doc, p), since=_field(doc, "since", _TIME, p),
            expires=_field(doc, "expires", _TIME, p), node=node, entries=_entries(doc, p))
        _unit_of(out.unit, out.agency, "unit", p)
    elif kind == REGISTRATION:
        contact = _contact(doc, p)
        if doc.get("kind") not in KINDS:
            p.append(Problem(tr("kind: not a selector kind"), column="kind"))
        out = Registration(
            id=_field(doc, "id", _REG_ID, p), token=_field(doc, "token", _TOKEN, p),
            kind=str(doc.get("kind")), agency=_field(doc, "agency", _DOTTED, p),
            unit=_field(doc, "unit", _DOTTED, p), contact=contact,
            since=_field(doc, "since", _TIME, p), expires=_field(doc, "expires", _TIME, p),
            node=node)
        _unit_of(out.unit, out.agency, "unit", p)
    elif kind == NOTICES:
        out = NoticeBatch(
            id=_field(doc, "id", re.compile(r"dh-[0-9a-f]{32}"), p),
            holder_agency=_field(doc, "holder_agency", _DOTTED, p),
            checker_agency=_field(doc, "checker_agency", _DOTTED, p),
            checker_unit=_field(doc, "checker_unit", _DOTTED, p),
            agreement_id=_field(doc, "agreement_id", _AGREEMENT, p, optional=True),
            at=_field(doc, "at", _TIME, p), node=node, entries=_notice_entries(doc, p))
        _unit_of(out.checker_unit, out.checker_agency, "checker_unit", p)
    elif kind == WITHDRAWAL:
        out = Withdrawal(id=_field(doc, "id", _DOC_ID, p),
                         registration_id=_field(doc, "registration_id", _REG_ID, p),
                         withdrawn_at=_field(doc, "withdrawn_at", _TIME, p), node=node)
    else:
        out = Notice(id=_field(doc, "id", _DOC_ID, p),
                     registration_id=_field(doc, "registration_id", _REG_ID, p),
                     holder_agency=_field(doc, "holder_agency", _DOTTED, p),
                     checker_agency=_field(doc, "checker_agency", _DOTTED, p),
                     checker_unit=_field(doc, "checker_unit", _DOTTED, p),
                     agreement_id=_field(doc, "agreement_id", _AGREEMENT, p,
                                         optional=True),
                     at=_field(doc, "at", _TIME, p), node=node)
        _unit_of(out.checker_unit, out.checker_agency, "checker_unit", p)
    members = {"type", "v", "signature", *out.__slots__}
    if set(doc) - members:
        p.append(Problem(tr("unknown members: {value}", value=sorted(set(doc) - members))))
    if p:
        raise ValidationError(tr("malformed {TYPES}", TYPES=TYPES[str(kind)]), p)
    return out
