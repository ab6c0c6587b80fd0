"""Judge a pulled page's records and store the accepted ones, refusals audited.

Steps 3 and 4 of the pull (:mod:`tearline.federation.sync`), inside the page's
transaction: each record is judged (:func:`tearline.federation.entitlement.judge`),
what the store would refuse whoever writes is refused one record at a time, the
accepted records are written with their audit entries (their consents and vettings
kept), and every fresh object of the page gets its fate (stored, echo, skipped,
refused) for ``sync_received``. Kept apart from the page loop because this is where
the sender's word meets our rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from tearline.audit.events import FederationRefused
from tearline.federation import skipped
from tearline.federation.consents import consent_keys, keep_consents
from tearline.federation.entitlement import Verdict, judge
from tearline.federation.partners import Partner
from tearline.federation.reading import entity_of
from tearline.federation.refusals import refusal
from tearline.federation.results import CollectionResult
from tearline.federation.signing import verify_document
from tearline.federation.vetting_receive import keep_vettings
from tearline.model.record import Record
from tearline.store import (
    Connection,
    audit_events,
    audit_log,
    holdings,
    refused_writes,
    stored_schemas,
    trace_store,
    write_records,
)
from tearline.store import sync_state as ss


def judge_and_store(conn: Connection, partner: Partner, own_agency: str | None,
                    clock: Callable[[], datetime], notes: list[str], collection_id: str,
                    fresh: Sequence[tuple[dict[str, Any], tuple[str, str]]],
                    records: Mapping[str, Record], malformed: Mapping[str, str],
                    out: CollectionResult) -> list[ss.Received]:
    existing = holdings.originators(conn, list(records))
    # a canary of ours in a partner's feed: an alert names the recipient it was given to
    # (none when it comes back from the recipient's own agency: its copy, not a leak)
    trace_store.check_return(conn, partner.party, "federation", clock(), ids=list(records),
                             texts=[s.value for r in records.values() for s in r.statements],
                             agency=partner.agency)
    keys = consent_keys(conn)
    verdicts = {rid: judge(rec, partner.agency, own_agency, existing.get(rid),
                           keys, verify_document) for rid, rec in records.items()}
    accepted = [v.record for v in verdicts.values() if v.record is not None]
    # What the store refuses whoever writes (a record in one of our units'
    # namespaces, another schema under an existing id) is refused here one record at
    # a time, like any other refusal: failing the page would tell the sender, by the
    # missing receipt, that the id is free here, and stop its collection for good.
    schemas = stored_schemas(conn, [r.id for r in accepted])
    for rec in accepted:
        problems = refused_writes([rec], schemas)
        if problems:
            verdicts[rec.id] = Verdict("unstorable", "; ".join(p.message for p in problems))
    accepted = [v.record for v in verdicts.values() if v.record is not None]
    if accepted:
        summary = write_records(conn, accepted)
        audit_events.writes(conn, accepted, summary.changes, summary.records_new,
                            partner.party)
        out.records_stored += summary.records_new + summary.records_changed
        out.statements_new += summary.statements_new
        keep_consents(conn, partner, own_agency, accepted, clock)
        if partner.signed and own_agency:
            notes.extend(keep_vettings(conn, partner, own_agency, accepted, clock()))
    received: list[ss.Received] = []
    refusals: list[FederationRefused] = []
    for obj, (object_id, version) in fresh:
        entity = entity_of(obj)
        verdict = verdicts.get(entity) if entity else None
        if object_id in malformed:
            received.append(ss.Received(object_id, version, entity, "refused"))
            refusals.append(refusal(partner, collection_id, object_id, None, "malformed"))
            out.refused.append((object_id, malformed[object_id]))
        elif verdict is None:
            received.append(ss.Received(object_id, version, entity, "skipped"))
            out.skipped += 1
            out.skipped_reasons[skipped.reason(obj)] += 1
        elif verdict.accepted:
            received.append(ss.Received(object_id, version, entity, "stored"))
        elif verdict.kind == "echo":
            received.append(ss.Received(object_id, version, entity, "echo"))
            out.echoed += 1
        else:
            received.append(ss.Received(object_id, version, entity, "refused"))
            origin = records[entity].originator if entity and entity in records else None
            reason: Literal["overwrite", "malformed", "third-agency"] = (
                "overwrite" if verdict.kind == "overwrite"
                else "malformed" if verdict.kind == "unstorable" else "third-agency")
            refusals.append(refusal(partner, collection_id, object_id, origin, reason))
            out.refused.append((object_id, verdict.reason))
    if refusals:
        audit_log.append(conn, refusals)
    return received
