"""The sharing officer's forms: mark, release, recall, consent, approve or refuse a release,
ask for a consent and answer such a request.

Each form is the store call of its CLI command (``tearline mark``, ``release``,
``recall``, ``consent``, ``approval request`` / ``approve`` / ``refuse``, ``consent
request`` / ``answer``), made as the signed-in
analyst with the ``write`` scope, its CSRF token checked, in one transaction that
appends the same audit entries. A release under an agreement that requires a second
officer (``release_approvals.needs_second``) is not refused as the direct call would be:
it becomes a request in the approval queue, which is what the officer meant.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tearline.errors import Problem, ValidationError, tr
from tearline.model.marking import Marking, Selector, parse_timestamp
from tearline.store import consent_requests, release_approvals, releases, set_marking
from tearline.web.context import PREFIX, back_to, form, text, viewer, web_of
from tearline.web.pages.record import checked_id

DESK = PREFIX + "/sharing"


def _needed(fields: dict[str, str], *names: str) -> list[str]:
    values = [text(fields, n, 200) for n in names]
    missing = [Problem(tr("required"), column=n) for n, v in zip(names, values, strict=True)
               if not v]
    if missing:
        raise ValidationError(tr("the form misses a value"), missing)
    return values


def _marking(fields: dict[str, str]) -> Marking:
    rel_to = text(fields, "rel_to", 1000).replace(",", " ").split()
    caveats = text(fields, "caveats", 400).replace(",", " ").split()
    expires = text(fields, "expires", 40)
    return Marking.build(text(fields, "tlp", 20) or "AMBER+STRICT", rel_to,
                         orcon=fields.get("orcon") == "on",
                         legal_basis=text(fields, "legal_basis", 200) or None,
                         caveats=caveats,
                         expires_at=parse_timestamp(expires) if expires else None)


def router() -> APIRouter:
    web = APIRouter()

    @web.post("/sharing/mark")
    async def mark(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        (entity_id,) = _needed(fields, "entity")
        prop = text(fields, "prop", 200) or None
        marking = _marking(fields)
        with web_of(request).store.transaction() as conn:
            set_marking(conn, session.subject, checked_id(entity_id), prop, marking,
                        datetime.now(UTC))
        return back_to(DESK)

    @web.post("/sharing/release")
    async def release(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        entity_id, to = _needed(fields, "entity", "to")
        basis = text(fields, "basis", 200) or None
        subject, now, selector = session.subject, datetime.now(UTC), Selector.parse(to)
        entity_id = checked_id(entity_id)
        with web_of(request).store.transaction() as conn:
            if basis is not None and release_approvals.needs_second(
                    conn, subject.agency, releases.target_agency(conn, selector), basis):
                release_approvals.request(conn, subject, entity_id, selector, basis, now)
            else:
                releases.release(conn, subject, entity_id, selector, basis, now, str(subject))
        return back_to(DESK)

    @web.post("/sharing/recall")
    async def recall(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        entity_id, release_id = _needed(fields, "entity", "release")
        with web_of(request).store.transaction() as conn:
            releases.recall(conn, session.subject, checked_id(entity_id), datetime.now(UTC),
                            str(session.subject), release_id)
        return back_to(DESK)

    @web.post("/sharing/consent")
    async def consent(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        entity_id, to = _needed(fields, "entity", "to")
        with web_of(request).store.transaction() as conn:
            releases.grant_consent(conn, session.subject, checked_id(entity_id), to,
                                   datetime.now(UTC), str(session.subject))
        return back_to(DESK)

    @web.post("/sharing/consent/withdraw")
    async def withdraw(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        (consent_id,) = _needed(fields, "consent")
        with web_of(request).store.transaction() as conn:
            releases.withdraw_consent(conn, session.subject, consent_id, datetime.now(UTC),
                                      str(session.subject))
        return back_to(DESK)

    @web.post("/sharing/consent/request")
    async def ask_consent(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        entity_id, to, reason = _needed(fields, "entity", "to", "reason")
        with web_of(request).store.transaction() as conn:
            consent_requests.ask(conn, session.subject, checked_id(entity_id),
                                 Selector.parse(to), reason, datetime.now(UTC),
                                 origin=text(fields, "of", 128) or None)
        return back_to(DESK + "#consent-requests")

    @web.post("/sharing/consent/answer")
    async def answer_consent(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        request_id, decided = _needed(fields, "request", "answer")
        with web_of(request).store.transaction() as conn:
            consent_requests.answer(conn, session.subject, request_id, decided == "grant",
                                    text(fields, "reason", 500), datetime.now(UTC))
        return back_to(DESK + "#consent-requests")

    @web.post("/sharing/approve")
    async def approve(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        (request_id,) = _needed(fields, "request")
        with web_of(request).store.transaction() as conn:
            release_approvals.approve(conn, session.subject, request_id, datetime.now(UTC))
        return back_to(DESK)

    @web.post("/sharing/refuse")
    async def refuse(request: Request) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        request_id, reason = _needed(fields, "request", "reason")
        with web_of(request).store.transaction() as conn:
            release_approvals.refuse(conn, session.subject, request_id, reason,
                                     datetime.now(UTC))
        return back_to(DESK)

    return web
