"""Sharing: the sharing officer's desk — what the viewer's agency released and consented
to, the consents it received, the two-person approval queue, and the forms that act
(``sharing_forms.py``: mark, release, recall, consent, approve, refuse).

Only the viewer's own agency's acts are listed, and of those only the ones about
records that exist for the viewer (``reader.visible_entities``): another unit of the
same agency may have released a record the viewer's unit may not see, and its id is
not the viewer's to learn. Consents received are those whose recipient is the viewer's
agency, under the same rule. The approval queue is ``release_approvals.listed``, the
call of ``tearline approval list`` (which logs the question); the consent requests are
``consent_requests.listed``, the call of ``tearline consent requests``: those the
viewer's unit sent and those addressed to it, nobody else's. What partners received of
the agency's releases is ``delivery_receipts.deliveries``: their signed receipts and
purge receipts, per release listed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tearline.model.marking import Tlp
from tearline.store import (
    Visibility,
    consent_requests,
    delivery_receipts,
    parties,
    peers,
    reader,
    release_approvals,
    releases,
)
from tearline.web.context import page, viewer, web_of


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/sharing")
    async def sharing(request: Request) -> HTMLResponse:
        session = viewer(request)
        subject, now = session.subject, datetime.now(UTC)
        agency = subject.agency
        with web_of(request).store.transaction() as conn:
            every = releases.releases(conn)
            all_consents = releases.consents(conn)
            mine = [r for r in every if r.by_agency == agency]
            given = [c for c in all_consents if c.by_agency == agency]
            received = [c for c in all_consents if c.to_agency == agency]
            seen = reader.visible_entities(
                conn, Visibility(subject, now),
                {r.entity_id for r in mine} | {c.entity_id for c in (*given, *received)})
            queue = release_approvals.listed(conn, subject, now)
            asked = consent_requests.listed(conn, subject, now)
            made = sorted((r for r in mine if r.entity_id in seen),
                          key=lambda r: (r.at, r.id), reverse=True)
            delivered = delivery_receipts.deliveries(
                conn, made, peers.peers(conn, include_removed=True))
            agreements = [a for a in parties.agreements(conn) if agency in a.parties]
            agencies = sorted(a.id for a in parties.agencies(conn) if a.id != agency)
            two_person = {a.id for a in agreements if release_approvals.required(conn, a.id)}
        return page(
            request, "sharing.html", releases=made,
            receipts=[(r, d) for r in made for d in delivered.get(r.id, ())],
            consents=sorted((c for c in given if c.entity_id in seen),
                            key=lambda c: (c.at, c.id), reverse=True),
            received=sorted((c for c in received if c.entity_id in seen),
                            key=lambda c: (c.at, c.id), reverse=True),
            pending=[q for q in queue if q.state == "pending"],
            decided=[q for q in queue if q.state != "pending"],
            asked_of_us=[q for d, q in asked if d == "received"],
            asked_by_us=[q for d, q in asked if d == "sent"],
            agreements=agreements, two_person=two_person, agencies=agencies,
            levels=[t.value for t in Tlp], me=subject.analyst, now=now,
            can_write="write" in session.scopes)

    return web
