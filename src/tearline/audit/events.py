"""The kinds of audit events: one frozen type per kind.

Each class docstring is the kind's description in the catalogue of ``docs/audit.md``,
and each field's ``doc`` is its line there; :func:`catalogue_markdown` writes that
section, and a test fails when the document and the code differ.

What goes in an event is metadata: who, when, which record version, which statement
ids, under which agreement. Never content, never a secret: a search text or a
deconfliction selector enters only as a salted commitment (:func:`commit_value`),
a failed token only as its first characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from tearline.audit.deconflict_events import SelectorKind
from tearline.audit.envelope import (
    REGISTRY,
    Event,
    commit_value,
    event_from_canonical,
    register,
    utc_timestamp,
)
from tearline.audit.fields import (
    AgencyId,
    AgreementId,
    Commitment,
    Count,
    Date,
    Digest,
    Id,
    Ids,
    KeyId,
    Party,
    Recipient,
    Rule,
    Subject,
    TokenPrefix,
    Version,
)
from tearline.errors import Problem, tr

__all__ = [
    "REGISTRY",
    "Event",
    "catalogue_markdown",
    "commit_value",
    "event_from_canonical",
    "now",
    "utc_timestamp",
]

#: The clocks set by :func:`clock`, innermost last; the wall clock when empty.
_CLOCKS: list[Callable[[], datetime]] = []


def now() -> str:
    """The current time as an event's ``at``: fixed-width UTC text (``utc_timestamp``)."""
    return utc_timestamp(_CLOCKS[-1]() if _CLOCKS else datetime.now(UTC))


@contextmanager
def clock(source: Callable[[], datetime]) -> Iterator[None]:
    """Entries made inside take their time from ``source``: a scenario told over days
    (``tearline demo oversight``) and its tests inject time instead of waiting for it."""
    _CLOCKS.append(source)
    try:
        yield
    finally:
        _CLOCKS.pop()


ReadPath = Literal["show", "search", "list", "export", "federation", "api", "report", "cli",
                   "web"]


def doc(text: str) -> Any:
    """A required field with its catalogue line."""
    return field(metadata={"doc": text})


@register("record.created")
@dataclass(frozen=True, kw_only=True)
class RecordCreated(Event):
    """A record was stored for the first time, with these statements."""

    entity_id: Id = doc("the record")
    version: Version = doc("the record version created (1 unless imported with history)")
    statement_ids: Ids = doc("the statements the version holds")


@register("record.updated")
@dataclass(frozen=True, kw_only=True)
class RecordUpdated(Event):
    """A new version of a record was stored."""

    entity_id: Id = doc("the record")
    version: Version = doc("the new version")
    statement_ids: Ids = doc("the statements added or changed by this version")


@register("record.retracted")
@dataclass(frozen=True, kw_only=True)
class RecordRetracted(Event):
    """Statements of a record, or the whole record, were withdrawn by the originator."""

    entity_id: Id = doc("the record")
    version: Version = doc("the version that records the retraction")
    statement_ids: Ids = doc("the statements withdrawn")


@register("record.read")
@dataclass(frozen=True, kw_only=True)
class RecordRead(Event):
    """A subject was shown a version of a record: the statements it received, by which path."""

    subject: Subject = doc("who received the data (the actor may be a node serving a peer)")
    entity_id: Id = doc("the record")
    version: Version = doc("the record version read")
    statement_ids: Ids = doc("the statements returned, after the tear line")
    path: ReadPath = doc("how the data left the store")


@register("search.query")
@dataclass(frozen=True, kw_only=True)
class SearchQuery(Event):
    """A subject searched; the query text is kept only as a salted commitment."""

    query_commitment: Commitment = doc(
        "commit_value(entry key, query text); entry key = HMAC(node salt, kind ␟ at ␟ actor)")
    result_count: Count = doc("how many records the subject was shown")


@register("aggregate.read")
@dataclass(frozen=True, kw_only=True)
class AggregateRead(Event):
    """A subject was shown figures computed over the records that exist for it (counts, report
    figures): no record content, but a read all the same."""

    subject: Subject = doc("who received the figures")
    path: Literal["stats", "report", "api", "web", "network"] = doc("which figures")
    record_count: Count = doc("how many records the figures cover")


@register("audit.queried")
@dataclass(frozen=True, kw_only=True)
class AuditQueried(Event):
    """A subject read entries of the audit log itself (who saw a record): watchers are logged."""

    subject: Subject = doc("who asked")
    entity_id: Id | None = doc("the record asked about, if the question named one")
    result_count: Count = doc("how many entries the subject was shown")


@register("marking.changed")
@dataclass(frozen=True, kw_only=True)
class MarkingChanged(Event):
    """The marking of a record or of some of its statements changed."""

    entity_id: Id = doc("the record")
    statement_ids: Ids = doc("the statements re-marked; empty for the record's own marking")
    marking_id: Id = doc("the new marking (digest of its canonical form)")
    previous_marking_id: Id | None = doc("the marking it replaces, if any")


@register("vetting.changed")
@dataclass(frozen=True, kw_only=True)
class VettingChanged(Event):
    """An agency granted or revoked its vetting of a unit of another agency."""

    vetter: AgencyId = doc("the agency that vouches")
    unit: AgencyId = doc("the unit vetted")
    action: Literal["granted", "revoked"] = doc("what happened")
    valid_from: Date | None = doc("first day of validity (granted)")
    valid_until: Date | None = doc("last day of validity (granted)")

    def check(self, problems: list[Problem]) -> None:
        if self.action == "granted" and (self.valid_from is None or self.valid_until is None):
            problems.append(Problem(tr(
                "a grant needs valid_from and valid_until"), column="action"))
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            problems.append(Problem(tr("valid_until is before valid_from"), column="valid_until"))


@register("release.created")
@dataclass(frozen=True, kw_only=True)
class ReleaseCreated(Event):
    """The originating agency released a record version to a party outside itself (or to
    other units of its own)."""

    release_id: Id = doc("the release")
    entity_id: Id = doc("the record")
    version: Version = doc("the record version released")
    statement_ids: Ids = doc("the statements released")
    recipient: Recipient = doc("who receives it")
    legal_basis: AgreementId | None = doc(
        "the agreement the release cites (null inside the agency)"
    )
    supersedes: Id | None = doc("the release to the same recipient it replaces, if any")


@register("release.onward")
@dataclass(frozen=True, kw_only=True)
class ReleaseOnward(Event):
    """A recipient passed a released record on to a third party."""

    release_id: Id = doc("the onward release")
    entity_id: Id = doc("the record")
    version: Version = doc("the record version passed on")
    statement_ids: Ids = doc("the statements passed on")
    from_party: Party = doc("the recipient passing it on")
    recipient: Recipient = doc("the third party")
    legal_basis: AgreementId | None = doc(
        "the agreement the release cites (null inside the agency)"
    )
    consent_id: Id | None = doc("the originator's consent (required for ORCON records)")
    supersedes: Id | None = doc("the release to the same recipient it replaces, if any")


@register("consent.recorded")
@dataclass(frozen=True, kw_only=True)
class ConsentRecorded(Event):
    """An originating agency let another agency pass its record on, or withdrew that consent."""

    consent_id: Id = doc("the consent")
    entity_id: Id = doc("the record")
    originator: AgencyId = doc("the agency that decides")
    to_agency: AgencyId = doc("the agency that may pass the record on")
    decision: Literal["granted", "withdrawn"] = doc("what happened")


@register("recall.issued")
@dataclass(frozen=True, kw_only=True)
class RecallIssued(Event):
    """Releases of a record were revoked: all of them (a recall by the originator) or one."""

    recall_id: Id = doc("the recall")
    entity_id: Id = doc("the record")
    version: Version = doc("the latest version recalled")
    release_ids: Ids = doc("the releases revoked")
    recipients: tuple[Recipient, ...] = doc("the parties asked to purge it")


@register("recall.acknowledged")
@dataclass(frozen=True, kw_only=True)
class RecallAcknowledged(Event):
    """A recipient confirmed, with a signed purge receipt, that it purged a recalled record."""

    recall_id: Id = doc("the recall")
    entity_id: Id = doc("the record")
    recipient: Party = doc("who purged it")
    receipt_digest: Digest = doc("SHA-256 of the signed receipt")


@register("recall.purged")
@dataclass(frozen=True, kw_only=True)
class RecallPurged(Event):
    """A recalled record was purged here: the statements that came from the recalling node."""

    recall_id: Id = doc("the recall, as the originator's node named it")
    entity_id: Id = doc("the record")
    peer: Party = doc("the node that recalled it")
    statement_ids: Ids = doc("the statements deleted")


@register("receipt.recorded")
@dataclass(frozen=True, kw_only=True)
class ReceiptRecorded(Event):
    """A peer node returned a signed receipt for object versions it pulled and stored."""

    peer: Party = doc("the node that signed the receipt")
    collection: Id = doc("the TAXII collection the objects came from")
    receipt_digest: Digest = doc("SHA-256 of the signed receipt as received")
    object_count: Count = doc("how many object versions the receipt lists")


@register("receipt.refused")
@dataclass(frozen=True, kw_only=True)
class ReceiptRefused(Event):
    """A receipt sent by a peer node was refused: not signed by it, or not a receipt."""

    peer: Party = doc("the node whose connection carried it")
    receipt_digest: Digest = doc("SHA-256 of the body as received")
    reason: Literal["bad-signature", "malformed", "wrong-node"] = doc("why it was refused")


@register("federation.refused")
@dataclass(frozen=True, kw_only=True)
class FederationRefused(Event):
    """A pulled answer or object was refused: it did not verify, or its sender may not
    speak for its originator."""

    peer: Party = doc("the node or TAXII source that sent it")
    collection: Id | None = doc("the TAXII collection it came from, if known")
    object_id: Id | None = doc("the STIX object refused (none when a whole answer failed)")
    originator: AgencyId | None = doc("the agency the object names as its originator")
    reason: Literal["third-agency", "overwrite", "unverified", "malformed"] = doc("why")


@register("checkpoint.cosigned")
@dataclass(frozen=True, kw_only=True)
class CheckpointCosigned(Event):
    """A witness cosigned a checkpoint after checking it extends the last one it cosigned.
    The log records a peer's cosignature of its checkpoint; the witness records its own."""

    log: Party = doc("the node whose log the checkpoint is")
    witness: Party = doc("the node that cosigned it")
    size: Count = doc("the checkpoint's tree size")
    root: Digest = doc("the checkpoint's root hash")


@register("checkpoint.refused")
@dataclass(frozen=True, kw_only=True)
class CheckpointRefused(Event):
    """A checkpoint was not cosigned, or a cosignature not accepted: a split view (the log
    showed two incompatible trees), a signature that does not verify, or a checkpoint the
    log never signed."""

    log: Party = doc("the node whose log the checkpoint is")
    witness: Party = doc("the node that checked it")
    size: Count | None = doc("the tree size it claims, if it could be read")
    root: Digest | None = doc("the root hash it claims, if it could be read")
    reason: Literal["split-view", "bad-signature", "unknown-checkpoint", "malformed"] = doc(
        "why")


@register("party.changed")
@dataclass(frozen=True, kw_only=True)
class PartyChanged(Event):
    """An agency, unit, analyst or node was created, changed or disabled."""

    party: Subject = doc("the party")
    action: Literal["created", "updated", "disabled"] = doc("what happened")
    version: Version = doc("the party's version after the change")


@register("agreement.recorded")
@dataclass(frozen=True, kw_only=True)
class AgreementRecorded(Event):
    """An agreement that releases may cite as their legal basis was recorded or changed."""

    agreement_id: AgreementId = doc("the agreement")
    agreement_kind: Literal["bilateral", "mlat", "memorandum", "treaty", "other"] = doc(
        "what kind of legal basis it is"
    )
    parties: tuple[AgencyId, ...] = doc("the agencies it binds")
    version: Version = doc("the agreement's version after the change")


@register("key.changed")
@dataclass(frozen=True, kw_only=True)
class KeyChanged(Event):
    """A signing key or an API token was created, rotated or revoked."""

    owner: Subject = doc("whose key")
    key_id: KeyId = doc("the public key id (never key material)")
    purpose: Literal["node-signing", "witness", "api-token", "web-password"] = doc(
        "what the key is for")
    action: Literal["created", "rotated", "revoked"] = doc("what happened")


@register("auth.failed")
@dataclass(frozen=True, kw_only=True)
class AuthFailed(Event):
    """Authentication failed, or an authenticated caller lacked the scope asked for; only a
    short prefix of the token presented is kept."""

    token_prefix: TokenPrefix | None = doc("first characters of the token, if one was sent")
    reason: Literal["missing", "malformed", "unknown", "expired", "revoked", "scope"] = doc(
        "why (``scope``: a signed-in session lacks the scope a page needs)")
    channel: Literal["api", "taxii", "web", "cli"] = doc("where")


@register("policy.changed")
@dataclass(frozen=True, kw_only=True)
class PolicyChanged(Event):
    """The dissemination policy of the node changed."""

    policy_id: Id = doc("the policy")
    policy_digest: Digest = doc("SHA-256 of the new policy's canonical form")
    previous_digest: Digest | None = doc("SHA-256 of the policy it replaces, if any")


@register("deconflict.query")
@dataclass(frozen=True, kw_only=True)
class DeconflictQuery(Event):
    """A deconfliction query; the selector is kept only as a salted commitment."""

    selector_kind: SelectorKind = doc("the kind of selector")
    selector_commitment: Commitment = doc("commit_value(node salt, normalized selector)")
    hit_count: Count = doc("how many pointers the query returned")


# Registered here, after this module's own kinds, so that the catalogue lists them last.
from tearline.audit import consent_events as _consent_events  # noqa: E402,F401
from tearline.audit import oversight_events as _oversight_events  # noqa: E402,F401


def _type_label(hint: Any) -> str:
    origin = get_origin(hint)
    if origin is Annotated:
        return next(e for e in get_args(hint) if isinstance(e, Rule)).label
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(hint))
    if origin is tuple:
        return f"list of {_type_label(get_args(hint)[0])}"
    args = get_args(hint)
    if type(None) in args:
        return _type_label(next(a for a in args if a is not type(None))) + " or null"
    return {str: "string", int: "integer", bool: "boolean"}.get(hint, str(hint))


def catalogue_markdown() -> str:
    """The event catalogue of docs/audit.md, generated from the event types."""
    out = [
        "Every event carries `v` (envelope version, 1), `kind`, `at` "
        "(UTC timestamp, ISO 8601 with `Z`) and `actor` (a subject: "
        "`analyst:<name>@<unit>`, `unit:<id>`, `agency:<id>`, `node:<id>` or `system`).",
        "",
    ]
    for kind, cls in REGISTRY.items():
        hints = get_type_hints(cls, include_extras=True)
        description = " ".join((cls.__doc__ or "").split())
        out += [f"### `{kind}`", "", description, "", "| field | type | meaning |"]
        out.append("|---|---|---|")
        for f in fields(cls):
            if f.name in ("at", "actor"):
                continue
            assert f.default is MISSING  # every field is required, even when nullable
            out.append(f"| `{f.name}` | {_type_label(hints[f.name])} | {f.metadata['doc']} |")
        out.append("")
    return "\n".join(out)


# The trace events register after the core ones (catalogue order: docs/audit.md).
from tearline.audit import trace_events as _trace_events  # noqa: E402,F401
