"""The deconfliction chapter of ``tearline demo --federation``: blind, 2 of 3.

With the three nodes serving, a key is dealt 2 of 3 (DEA, SEMAR, FGR each keep one
share; no node holds the key), then:

- the DEA unit registers a phone it works; the vetted SEMAR unit registers the same
  line, written as its own file has it, and both learn — only — whom to call;
- both register the night's operation in Culiacán, a few hundred metres apart: the
  second registration meets the first (same or neighbouring H3 cell, same window);
- the FGR unit checks another phone and learns "no overlap", nothing else.

Every step goes through the library the ``tearline deconflict`` commands call
(:class:`~tearline.federation.deconflict_flow.Deconfliction`); each node evaluates
with its own share and asks a peer for the second evaluation over mutual TLS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rich.console import Console
from rich.table import Table

from tearline.deconflict import events, selectors
from tearline.deconflict.selectors import Selector
from tearline.demo import scenario
from tearline.demo.federation_nodes import DemoNode
from tearline.federation.deconflict_flow import Deconfliction, Outcome
from tearline.policy.subject import Subject
from tearline.store import deconflict_keys, ts

#: The line both agencies work, as each one's records write it.
PHONE_DEA = "+52 667 123 4567"
PHONE_SEMAR = "(667) 123-45-67"
#: A line only FGR works.
PHONE_FGR = "+52 55 5123 4567"
#: Two planned operations in Culiacán, Sinaloa, about 450 m apart, the same night.
NIGHT = datetime.fromisoformat("2026-12-12T22:00:00-07:00")
OPERATION_DEA = events.PlannedOperation(24.8091, -107.3940, NIGHT, NIGHT + timedelta(hours=5))
OPERATION_SEMAR = events.PlannedOperation(24.8120, -107.3975, NIGHT + timedelta(hours=1.5),
                                          NIGHT + timedelta(hours=6))


@dataclass
class DeconflictionResult:
    """What each step answered: ``(who, what) → [(agency, unit), …]`` of the hits."""

    steps: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)


def deal(nodes: dict[str, DemoNode], at: datetime) -> str:
    """The key ceremony: one share to each node, the key forgotten."""
    key_id, shares = deconflict_keys.deal(2, len(nodes))
    for node, share in zip(nodes.values(), shares, strict=True):
        with node.db().transaction() as conn:
            deconflict_keys.install_share(conn, key_id, share, at, "demo")
    return key_id


def _met(outcome: Outcome) -> list[tuple[str, str]]:
    return sorted({(h.agency, h.unit) for hits in outcome.hits for h in hits})


def run(nodes: dict[str, DemoNode], console: Console, at: datetime) -> DeconflictionResult:
    console.rule("Deconfliction: is anyone else working this target, or this place and time?")
    key_id = deal(nodes, at)
    console.print(f"key {key_id} dealt 2 of 3: each node holds one share, none the key",
                  highlight=False)
    service = {unit: Deconfliction(node.db(), node.keys_dir, clock=lambda: at)
               for unit, node in nodes.items()}
    who = {unit: Subject(unit=node.unit, agency=node.agency) for unit, node in nodes.items()}
    result = DeconflictionResult()
    table = Table("unit", "does", "learns", title="blind deconfliction, 2-of-3 key")

    def step(unit: str, what: str, outcome: Outcome) -> None:
        met = _met(outcome)
        result.steps[(unit, what)] = met
        learns = ("; ".join(f"overlap: call {u} ({a})" for a, u in met) if met
                  else "no overlap")
        table.add_row(unit, what, learns)

    def phone(value: str) -> Selector:
        return selectors.parse("phone", value, country="MX")

    sod, uie, femdo = scenario.SOD, scenario.UIE, scenario.FEMDO
    step(sod, f"registers phone {PHONE_DEA}", service[sod].register(
        who[sod], [phone(PHONE_DEA)], f"duty officer of {sod}"))
    step(uie, f"registers phone {PHONE_SEMAR}", service[uie].register(
        who[uie], [phone(PHONE_SEMAR)], f"duty officer of {uie}"))
    step(sod, "registers tonight's operation in Culiacán", service[sod].register(
        who[sod], list(events.registered(OPERATION_DEA)), f"duty officer of {sod}",
        probes=list(events.probes(OPERATION_DEA))))
    step(uie, "registers its operation 450 m away, the same night", service[uie].register(
        who[uie], list(events.registered(OPERATION_SEMAR)), f"duty officer of {uie}",
        probes=list(events.probes(OPERATION_SEMAR))))
    step(femdo, f"checks phone {PHONE_FGR}", service[femdo].check(
        who[femdo], [phone(PHONE_FGR)]))
    console.print(table)
    console.print(f"no node stored or sent a selector: only tokens under a key none holds "
                  f"(as of {ts(at)})", highlight=False)
    return result
