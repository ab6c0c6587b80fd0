"""What the federation demo prints: pulls, holdings, markings, recalls and receipts.

Each table reads the nodes' stores (or a pull's :class:`SyncResult`) and prints what
the matching command would: ``tearline sync``'s counts, ``tearline recalls``, the
audit log's receipts. Kept apart from the demo's story
(:mod:`tearline.demo.federation`), which decides what happens, because these only
show it; the test of the demo checks :func:`held` against the stores.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.console import Console
from rich.table import Table

from tearline.demo import scenario
from tearline.demo.federation_nodes import DemoNode
from tearline.errors import ConfigError, tr
from tearline.federation.results import SyncResult
from tearline.model.marking import Marking
from tearline.store import Store, holdings, peers, recalls_for

ORIGINATORS = (scenario.US_DEA, scenario.MX_SEMAR, scenario.MX_FGR)


def held(store: Store) -> dict[str, dict[str, str]]:
    """The records a node stores: originator → record id → marking (as text)."""
    with store.reading() as conn:
        rows = holdings.held_markings(conn)
    out: dict[str, dict[str, str]] = {}
    for originator, entity_id, body in rows:
        out.setdefault(originator, {})[entity_id] = str(Marking.from_dict(_json(body)))
    return out


def _json(text: str) -> dict[str, object]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ConfigError(tr("a stored marking is not a JSON object"))
    return value

def sync_table(title: str, rows: Sequence[tuple[DemoNode, DemoNode, SyncResult]]) -> Table:
    table = Table(title=title)
    for col in ("puller", "from", "objects", "records stored", "statements", "already",
                "echo", "refused", "receipts sent", "recalls purged"):
        table.add_column(col, justify="left" if col in ("puller", "from") else "right")
    for receiver, sender, result in rows:
        cols = result.collections
        table.add_row(receiver.unit, sender.unit, f"{sum(c.objects for c in cols):,}",
                      f"{result.records_stored:,}", f"{sum(c.statements_new for c in cols):,}",
                      f"{sum(c.already for c in cols):,}", f"{sum(c.echoed for c in cols):,}",
                      f"{len(result.refused):,}", f"{result.receipts_sent:,}",
                      f"{len(result.purged):,}")
    return table


def holdings_table(holdings: dict[str, dict[str, dict[str, str]]],
                   nodes: dict[str, DemoNode], when: str) -> Table:
    """Per node, the records it holds per originating agency (its own marked as such)."""
    table = Table(title=f"What arrived where: records held, by originating agency ({when})")
    table.add_column("node")
    for agency in ORIGINATORS:
        table.add_column(agency, justify="right")
    for unit, node in nodes.items():
        cells = []
        for agency in ORIGINATORS:
            count = len(holdings[unit].get(agency, {}))
            cells.append(f"{count:,} (own)" if agency == node.agency else f"{count:,}")
        table.add_row(unit, *cells)
    return table


def markings_table(holdings: dict[str, dict[str, dict[str, str]]], when: str) -> Table:
    """The U.S. agency's records by marking: at home, at the vetted unit, at the other."""
    us = holdings[scenario.SOD].get(scenario.US_DEA, {})
    at_uie = holdings[scenario.UIE].get(scenario.US_DEA, {})
    at_femdo = holdings[scenario.FEMDO].get(scenario.US_DEA, {})
    table = Table(title=f"us.dea's records by marking, and where they are ({when})")
    for col in ("marking", scenario.SOD, scenario.UIE, scenario.FEMDO):
        table.add_column(col, justify="left" if col == "marking" else "right")
    by_marking = Counter(us.values())
    for marking, count in sorted(by_marking.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(marking, f"{count:,}",
                      f"{sum(1 for m in at_uie.values() if m == marking):,}",
                      f"{sum(1 for m in at_femdo.values() if m == marking):,}")
    return table


@dataclass
class RecallRow:
    entity_id: str
    acknowledged: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def recalls_table(node: DemoNode, at: datetime) -> tuple[Table, list[RecallRow]]:
    """What `tearline recalls` prints on the node: per record, who acknowledged, who not."""
    by_entity: dict[str, RecallRow] = {}
    with node.db().reading() as conn:
        for peer in peers.peers(conn):
            pending = {r.id for r in recalls_for(conn, peer, at, pending_only=True)}
            for r in recalls_for(conn, peer, at, pending_only=False):
                row = by_entity.setdefault(r.entity_id, RecallRow(r.entity_id))
                (row.pending if r.id in pending else row.acknowledged).append(peer.name)
    rows = sorted(by_entity.values(), key=lambda row: row.entity_id)
    table = Table(title=f"tearline recalls (at {node.unit})")
    for col in ("entity_id", "acknowledged", "pending"):
        table.add_column(col)
    for row in rows:
        table.add_row(row.entity_id, ", ".join(sorted(row.acknowledged)),
                      ", ".join(sorted(row.pending)))
    return table, rows


def refusal_lines(rows: Sequence[tuple[DemoNode, DemoNode, SyncResult]],
                   console: Console) -> None:
    """Objects a puller refused (audited there as `federation.refused`), with the reason."""
    for receiver, sender, result in rows:
        for object_id, reason in result.refused:
            console.print(f"{receiver.unit} refused {object_id} from {sender.unit}: {reason}",
                          highlight=False, markup=False)
    if any(result.refused for _, _, result in rows):
        console.print("(a node believes a partner about the partner's own agency's records "
                      "only: a third agency's record needs that agency's signed consent "
                      "travelling with it)", highlight=False)


def arrivals(holdings: dict[str, dict[str, dict[str, str]]], nodes: dict[str, DemoNode],
              when: str, console: Console) -> None:
    console.print(holdings_table(holdings, nodes, when))
    console.print(markings_table(holdings, when))
    _vetting_lines(holdings, console)


def _vetting_lines(holdings: dict[str, dict[str, dict[str, str]]], console: Console) -> None:
    at_uie = set(holdings[scenario.UIE].get(scenario.US_DEA, {}))
    at_femdo = set(holdings[scenario.FEMDO].get(scenario.US_DEA, {}))
    console.print(f"{scenario.UIE} (vetted by {scenario.US_DEA}) received "
                  f"{len(at_uie - at_femdo):,} us.dea record(s) that {scenario.FEMDO} "
                  f"(not vetted) did not; {scenario.FEMDO} received {len(at_femdo - at_uie):,} "
                  f"that {scenario.UIE} did not.", highlight=False)
    console.print(f"{scenario.UIE} holds {len(holdings[scenario.UIE].get(scenario.MX_FGR, {}))}"
                  f" record(s) of {scenario.MX_FGR} and {scenario.FEMDO} holds "
                  f"{len(holdings[scenario.FEMDO].get(scenario.MX_SEMAR, {}))} of "
                  f"{scenario.MX_SEMAR}: nothing is relayed between them.", highlight=False)


def receipt_lines(us: DemoNode, console: Console) -> None:
    """The signed receipts the originator's audit log holds, per peer."""
    from tearline.audit.events import RecallAcknowledged, ReceiptRecorded
    from tearline.store import audit_log

    delivered: Counter[str] = Counter()
    objects: Counter[str] = Counter()
    purged: Counter[str] = Counter()
    with us.db().reading() as conn:
        for entry in audit_log.entries(conn, limit=10_000_000):
            if entry.kind not in ("receipt.recorded", "recall.acknowledged"):
                continue
            event = entry.event()
            if isinstance(event, ReceiptRecorded):
                delivered[event.peer] += 1
                objects[event.peer] += event.object_count
            elif isinstance(event, RecallAcknowledged):
                purged[event.recipient] += 1
    for peer in sorted(set(delivered) | set(purged)):
        console.print(f"{us.unit} audit log: {peer}: {delivered[peer]} signed delivery "
                      f"receipt(s) for {objects[peer]:,} object version(s), "
                      f"{purged[peer]} signed purge receipt(s)", highlight=False)
