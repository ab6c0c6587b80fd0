"""The record page's other tabs: who may see it, its correlations, its history.

Each tab first reads the record as the record page does (``read_async``, path ``web``: a
``record.read`` entry; a record hidden from the viewer answers as a missing one), then:

* **Who may see this** (``/audience``): for every unit of the node, the policy's decision
  and reasons for each value the viewer was shown — of the values its own agency
  originated, on a record its agency originated. That is the originator's knowledge
  (it chose the markings and releases); any other viewer is refused, so that nobody
  learns a partner's audience. The decisions are :func:`tearline.policy.explain.explain`'s,
  gathered by ``store.explain_audience`` — the ``policy explain`` of the CLI and the API.
* **Correlations** (``/correlations``): resolution candidates — the entity a Person record
  belongs to among the Person records the viewer may see, with the pairs joining it, as
  ``GET /resolve/entities/{id}`` answers (``resolve_views.resolved``); sanctions hits of
  the record against the designations the viewer may see, or of the parties the viewer
  may see against the record when it is a designation, as ``GET /screening`` answers
  (``screening.run``). Deconfliction hits are not shown here: the index holds only
  tokens, never which record a selector came from, so no hit can be tied to a record.
* **History** (``/history``): the log's entries about the record as the viewer may see
  them (``audit_query.who_saw``, which records the question), of the kinds that change
  it (:data:`CHANGES`): its versions, markings, releases and recalls. Who read it is on
  the Audit page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from tearline.errors import PolicyDenied, tr
from tearline.model.record import Record
from tearline.policy.decision import Decision
from tearline.policy.subject import Subject
from tearline.resolve.clusters import entities
from tearline.resolve.decide import Decision as Match
from tearline.resolve.decide import Judged
from tearline.screening.parties import designation_of, party_of, record_values
from tearline.screening.run import hit_row, screen, visible
from tearline.store import Store, audit_query, explain_audience, resolve_views
from tearline.web.context import page, viewer, web_of
from tearline.web.pages.record import checked_id

HISTORY = 500
#: The kinds of entry that make the record's history: its versions, markings, releases.
CHANGES = frozenset({"record.created", "record.updated", "record.retracted",
                     "marking.changed", "release.created", "release.onward",
                     "consent.recorded", "recall.issued"})


def audience(record: Record, agency: str, units: list[tuple[Subject, list[tuple[str, Decision]]]]
             ) -> list[dict[str, object]]:
    """Per value the viewer's agency originated: each unit's decision, in unit order."""
    by_statement: dict[str, list[tuple[Subject, Decision]]] = defaultdict(list)
    for subject, decisions in units:
        for statement_id, decision in decisions:
            by_statement[statement_id].append((subject, decision))
    return [{"statement": s, "units": by_statement[s.id]}
            for s in sorted(record.statements, key=lambda s: (s.prop, s.value, s.id))
            if s.origin == agency and s.id in by_statement]


def shown_pair(pair: Judged) -> bool:
    """The pairs the API shows (``GET /resolve/…``): candidates and matches, and pairs a
    person judged; the model's own non-matches are noise."""
    return pair.decision is not Match.NO_MATCH or pair.reasons[0].startswith("judged ")


def resolution(found: Record, subject: Subject, store: Store) -> dict[str, object] | None:
    """The entity ``found`` belongs to, and the pairs joining it (Person records only)."""
    if found.schema != "Person":
        return None
    pairs, _ = resolve_views.resolved(store, subject, datetime.now(UTC))
    group = next((g for g in entities(pairs) if found.id in g), [found.id])
    return {"members": [m for m in group if m != found.id],
            "pairs": [p for p in pairs if (p.left in group or p.right in group)
                      and shown_pair(p)]}


def sanctions(found: Record, subject: Subject, store: Store) -> list[dict[str, object]]:
    """Screening hits involving ``found``, among what the viewer may see."""
    designation = designation_of(found)
    party = party_of(found.id, found.schema, record_values(found))
    if designation is None and party is None:
        return []
    seen = visible(store, subject, datetime.now(UTC), "list")
    hits = (screen(seen.parties, [designation]) if designation is not None
            else screen([party] if party is not None else [], seen.designations))
    return [hit_row(h) for h in hits]


def router() -> APIRouter:
    web = APIRouter()

    async def opened(request: Request, entity_id: str) -> tuple[Record, Subject]:
        session = viewer(request)
        found = await web_of(request).store.read_async(
            session.subject, datetime.now(UTC), checked_id(entity_id), "web")
        return found, session.subject

    @web.get("/record/{entity_id}/audience")
    async def who_may_see(request: Request, entity_id: str) -> HTMLResponse:
        found, subject = await opened(request, entity_id)
        if found.originator != subject.agency:
            raise PolicyDenied(tr("only the originating agency may see who may see a record"),
                               [tr("this record's originator is {originator}",
                                   originator=found.originator)])
        mine = [s.id for s in found.statements if s.origin == subject.agency]
        store = web_of(request).store
        with store.reading() as conn:
            explained = explain_audience(conn, found.id, mine, datetime.now(UTC))
        units = [(e.subject, [(s.statement_id, s.decision) for s in e.statements])
                 for e in explained]
        return page(request, "record_panel.html", tab="audience", record=found,
                    rows=audience(found, subject.agency, units))

    @web.get("/record/{entity_id}/correlations")
    async def correlations(request: Request, entity_id: str) -> HTMLResponse:
        found, subject = await opened(request, entity_id)
        store = web_of(request).store
        resolved = await run_in_threadpool(resolution, found, subject, store)
        hits = await run_in_threadpool(sanctions, found, subject, store)
        return page(request, "record_panel.html", tab="correlations", record=found,
                    resolved=resolved, hits=hits)

    @web.get("/record/{entity_id}/history")
    async def history(request: Request, entity_id: str) -> HTMLResponse:
        found, subject = await opened(request, entity_id)
        with web_of(request).store.transaction() as conn:
            shown = audit_query.who_saw(conn, subject, datetime.now(UTC), found.id,
                                        limit=HISTORY)
        return page(request, "record_panel.html", tab="history", record=found,
                    entries=[s.row() for s in shown if s.view.kind in CHANGES],
                    more=len(shown) == HISTORY)

    return web
