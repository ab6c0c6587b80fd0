"""``tearline demo --federation``: three agencies' nodes on loopback share, sync and recall.

The U.S. agency's node (us.dea.sod), the vetted navy unit's (mx.semar.uie) and the
attorney-general unit's (mx.fgr.femdo) each get a workspace of their own under the demo
folder, with the demo parties and their own agency's synthetic records. Each node is
initialised (signing key, TLS certificate), the U.S. node and each Mexican node trust
each other (identity documents exchanged, `peer add`), and every node serves TAXII 2.1
over mutual TLS as a real `tearline node serve` process on a free loopback port. The
nodes then pull from each other, the U.S. node recalls one record (narrows its marking
to its own agency), the next pulls purge it and return signed purge receipts.

Everything but the listeners runs in this process through the library (the same
functions the `tearline node init`, `peer add`, `sync` and `recalls` commands call):
only a listener must be a separate process, because a pull from a node and that node's
serving must run at the same time. The listeners are stopped on every exit, including
Ctrl-C and errors.

This module tells the story (who pulls from whom, which record is recalled); the
nodes and their listeners are built in :mod:`tearline.demo.federation_nodes`, and
what is printed along the way in :mod:`tearline.demo.federation_tables`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.text import Text

from tearline.demo import deconfliction, scenario
from tearline.demo.federation_nodes import DemoNode, listeners, make_nodes
from tearline.demo.federation_tables import (
    arrivals,
    held,
    recalls_table,
    receipt_lines,
    refusal_lines,
    sync_table,
)
from tearline.demo.load import demo_records
from tearline.errors import ConfigError, tr
from tearline.federation.partners import resolve_partner
from tearline.federation.results import SyncResult
from tearline.federation.sync import sync
from tearline.keys import load_node_key
from tearline.model.statement import StatementKeyer
from tearline.policy.subject import Subject
from tearline.store import set_marking

#: The synthetic data: two months at 1 % of CBP's monthly totals, a few hundred records
#: in all, so that the whole demo (three nodes, five pulls) runs in well under a minute.
SEED = 7
SCALE = 0.01
START, END = date(2023, 1, 1), date(2023, 2, 28)

#: The pulls of the first round (receiver, sender): the Mexican nodes from the U.S.
#: node, then the U.S. node from each of them.
FIRST_ROUND = ((scenario.UIE, scenario.SOD), (scenario.FEMDO, scenario.SOD),
               (scenario.SOD, scenario.UIE), (scenario.SOD, scenario.FEMDO))

#: The marking the recalled record gets: the U.S. agency only, so it no longer exists
#: for either partner and both must purge it.
RECALL_MARKING = scenario.AGENCY_ONLY


@dataclass
class FederationResult:
    """What the demo printed, for whoever ran it (the test checks it against the stores)."""

    nodes: dict[str, DemoNode]
    held: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    recalled: str | None = None
    purged: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    deconfliction: deconfliction.DeconflictionResult | None = None


def pull(receiver: DemoNode, sender: DemoNode) -> SyncResult:
    """What `tearline sync SENDER` does on the receiver's node."""
    store = receiver.db()
    partner = resolve_partner(store, sender.unit, receiver.keys_dir)
    return sync(store, partner, node_key=load_node_key(receiver.keys_dir),
                own_agency=receiver.agency, node_name=receiver.unit, page_size=100)


def _choose_recall(holdings: dict[str, dict[str, dict[str, str]]]) -> str | None:
    """A U.S. record for the recall: a person both partners hold if there is one (so two
    nodes must purge it), else any record both hold, else one either holds."""
    uie = set(holdings[scenario.UIE].get(scenario.US_DEA, {}))
    femdo = set(holdings[scenario.FEMDO].get(scenario.US_DEA, {}))
    for candidates in (uie & femdo, uie | femdo):
        people = sorted(i for i in candidates if "-person-" in i)
        if people or candidates:
            return (people or sorted(candidates))[0]
    return None


# -- the demo --------------------------------------------------------------------------------


def run(root: Path, data_dir: Path, console: Console, seed: int = SEED) -> FederationResult:
    """Build the three nodes under ``root``, share, sync, recall; print every step."""
    started = time.monotonic()
    console.rule(Text("tearline demo --federation: three nodes on loopback", style="bold"))
    console.print(f"demo folder: {root}\n", highlight=False)
    # one generation for the three agencies; each node rekeys its own share (make_nodes)
    records = list(demo_records(seed, data_dir, SCALE, start=START, end=END,
                                keyer=StatementKeyer(os.urandom(32))))
    nodes = make_nodes(root, records, console)
    result = FederationResult(nodes)
    try:
        with listeners(nodes, console):
            console.rule("Sync: each node pulls from its peers (signed, mutual TLS)")
            first = [(nodes[r], nodes[s], pull(nodes[r], nodes[s])) for r, s in FIRST_ROUND]
            console.print(sync_table("first round", first))
            refusal_lines(first, console)
            result.held = {u: held(n.db()) for u, n in nodes.items()}
            console.rule("What arrived where")
            arrivals(result.held, nodes, "after the first round", console)

            victim = _choose_recall(result.held)
            if victim is None:
                raise ConfigError(tr("no record of us.dea reached a partner: nothing to recall"))
            result.recalled = victim
            console.rule(f"Recall: {scenario.SOD} narrows {victim} to {RECALL_MARKING}")
            us = nodes[scenario.SOD]
            with us.db().transaction() as conn:
                set_marking(conn, Subject(unit=us.unit, agency=us.agency), victim, None,
                            RECALL_MARKING, datetime.now(UTC))
            console.print(recalls_table(us, datetime.now(UTC))[0])
            again = [(nodes[r], nodes[s], pull(nodes[r], nodes[s]))
                     for r, s in FIRST_ROUND if s == scenario.SOD]
            console.print(sync_table("second round: the partners pull again", again))
            refusal_lines(again, console)
            for receiver, _, res in again:
                result.purged[receiver.unit] = res.purged
                for recall_id, entity_id, count in res.purged:
                    console.print(f"{receiver.unit} purged {entity_id} ({recall_id}): "
                                  f"{count} statement(s), signed purge receipt sent",
                                  highlight=False)
            console.rule("Receipts recorded at the originator")
            console.print(recalls_table(us, datetime.now(UTC))[0])
            receipt_lines(us, console)
            result.held = {u: held(n.db()) for u, n in nodes.items()}
            console.rule("What is where after the recall")
            arrivals(result.held, nodes, "after the recall", console)
            result.deconfliction = deconfliction.run(nodes, console, datetime.now(UTC))
    finally:
        for node in nodes.values():
            if node.store is not None:
                node.store.close()
    console.print(f"done in {time.monotonic() - started:.1f} s; the node workspaces stay in "
                  f"{root} (try: tearline -w {nodes[scenario.SOD].workspace} recalls)",
                  highlight=False)
    return result
