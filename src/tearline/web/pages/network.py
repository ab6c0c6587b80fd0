"""The network page: the visible network around a record, its key players and paths.

The same reads as ``tearline network …`` and ``GET /network…``: the viewer's facts
through the policy (``Store.network``, logged as an aggregate read), analysed by the
``network/`` core (:class:`~tearline.network.analysis.Analysis`); the record itself is
read first like the record page (path ``web``), so a record the viewer may not see and
one that does not exist give the same "no such record" page.

The picture is drawn in the browser by ``static/network.js`` (Cytoscape.js, vendored)
from a ``<script type="application/json">`` block of the page, which the strict
Content-Security-Policy lets a static script read; every node and link drawn is also
in the page's tables, so the page reads the same without the canvas.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tearline.errors import NotFound, Problem, ValidationError, tr
from tearline.i18n import translations
from tearline.network.analysis import Analysis
from tearline.network.around import DEPTH, LIMIT, MAX_DEPTH, Around, around
from tearline.web import vocab
from tearline.web.context import locale_of, page, viewer, web_of
from tearline.web.pages.record import ENTITY_ID, checked_id

#: Key players listed (the whole visible network's, as ``tearline network players``).
TOP = 10


def _depth(raw: str | None) -> int:
    if not raw:
        return DEPTH
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DEPTH:
        raise ValidationError(tr("invalid depth"), [Problem(
            tr("a number from 1 to {most}", most=MAX_DEPTH), column="depth")])
    return int(raw)


def _end(raw: str | None, column: str) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if not ENTITY_ID.fullmatch(value):
        raise ValidationError(tr("invalid record identifier"), [Problem(tr("a record id"),
                                                                        column=column)])
    return value


def _rows(done: Analysis, near: Around) -> list[dict[str, Any]]:
    """The nodes kept, with their measures: nearest first, then most central."""
    rows = []
    for node_id, hops in near.hops.items():
        node, m = done.graph.nodes[node_id], done.measures[node_id]
        rows.append({"id": node_id, "caption": node.caption or node_id,
                     "schema": node.schema, "hops": hops, "community": done.community[node_id],
                     "degree": m.degree, "betweenness": round(m.betweenness, 4),
                     "eigenvector": round(m.eigenvector, 4)})
    return sorted(rows, key=lambda r: (r["hops"], -r["betweenness"], r["id"]))


def _elements(done: Analysis, rows: list[dict[str, Any]], near: Around,
              path: dict[str, Any] | None, kind: Callable[[str], str]) -> dict[str, Any]:
    """What network.js draws: Cytoscape's elements, the path's nodes and links marked
    (a link labelled with its kinds as ``kind`` names them in the reader's language)."""
    on_path = {n["id"] for n in path["nodes"]} if path else set()
    path_links = {tuple(sorted((h["from"], h["to"]))) for h in path["hops"]} if path else set()
    kept = {r["id"] for r in rows}
    extra = [done.graph.nodes[n] for n in sorted(on_path - kept)]
    nodes = [{"id": r["id"], "label": r["caption"], "schema": r["schema"], "hops": r["hops"],
              "path": r["id"] in on_path} for r in rows]
    nodes += [{"id": n.id, "label": n.caption or n.id, "schema": n.schema, "hops": MAX_DEPTH + 1,
               "path": True} for n in extra]
    shown = kept | on_path
    links = {(x.a, x.b): x for x in near.links}
    links.update({k: x for k in path_links if (x := done.graph.link(*k)) is not None})
    edges = [{"id": f"{a}~{b}", "source": a, "target": b, "label": ", ".join(map(kind, x.kinds)),
              "weight": x.weight, "path": (a, b) in path_links}
             for (a, b), x in sorted(links.items()) if a in shown and b in shown]
    return {"record": near.record, "nodes": nodes, "edges": edges}


def _kind_names(locale: str) -> Callable[[str], str]:
    words = translations(locale, "web")
    return lambda k: str(words.gettext(vocab.LINKS[k])) if k in vocab.LINKS else k


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/network/{entity_id}")
    def network(request: Request, entity_id: str) -> HTMLResponse:
        session = viewer(request)
        store = web_of(request).store
        depth = _depth(request.query_params.get("depth"))
        target = _end(request.query_params.get("to"), "to")
        now = datetime.now(UTC)
        record = store.read(session.subject, now, checked_id(entity_id), "web")
        source = _end(request.query_params.get("from"), "from") or record.id
        done = Analysis.of(store.network(session.subject, now))
        near = around(done.graph, record.id, depth, LIMIT)
        rows = _rows(done, near)
        path, path_error = None, False
        if target is not None:
            try:
                path = done.path_rows(source, target)
            except NotFound:
                path_error = True
        captions = {n: done.graph.nodes[n].caption or n for n in done.graph.nodes}
        return page(request, "network.html", record=record, rows=rows, near=near,
                    links=near.links, captions=captions, depth=depth, max_depth=MAX_DEPTH,
                    players=done.key_players("betweenness", TOP), summary=done.summary(),
                    source=source, target=target or "", route=path, path_error=path_error,
                    graph=_elements(done, rows, near, path if path and path["connected"]
                                    else None, _kind_names(locale_of(request))))

    return web
