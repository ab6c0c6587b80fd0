"""What the classification of entries needs to know about parties, from the node.

The store fills it (``store/oversight.py``); the core only looks things up. A party
the directory does not know belongs to no agency, and an entry naming it is no
exchange: the log cannot say whose it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Directory:
    """Agencies and their countries, units and nodes and their agencies, record kinds,
    and the agreement in force between each pair of agencies."""

    countries: Mapping[str, str]
    units: Mapping[str, str] = field(default_factory=dict)
    nodes: Mapping[str, str] = field(default_factory=dict)
    schemas: Mapping[str, str] = field(default_factory=dict)
    #: per pair of agencies, the agreements binding both: (id, valid from, valid until),
    #: times as stored text (either end open)
    agreements: Mapping[frozenset[str], tuple[tuple[str, str | None, str | None], ...]] = (
        field(default_factory=dict))
    #: the agency whose node this is: records pulled, receipts and purges are the node's
    #: exchanges, so its agency's (``None`` when unknown: every agency of the country
    #: lists them — a report may say too much, never too little)
    node_agency: str | None = None

    def node_exchange_of(self, own: str) -> bool:
        return self.node_agency is None or self.node_agency == own

    def agency_of(self, party: str) -> str | None:
        """The agency of an audit party: ``unit:``, ``agency:``, ``node:``,
        ``analyst:name@unit``; ``None`` for ``system``, ``vetted-by:`` groups and
        parties it does not know."""
        kind, _, name = party.partition(":")
        if kind == "agency":
            return name if name in self.countries else None
        if kind == "unit":
            return self.units.get(name)
        if kind == "node":  # a peer, or a node named after its unit
            return self.nodes.get(name) or self.units.get(name)
        if kind == "analyst":
            return self.units.get(name.rpartition("@")[2])
        return None

    def unit_of(self, party: str) -> str | None:
        """The unit of a ``unit:`` or ``analyst:`` party, as ``unit:<id>``."""
        kind, _, name = party.partition(":")
        if kind == "unit":
            return party
        if kind == "analyst":
            return "unit:" + name.rpartition("@")[2]
        return None

    def foreign(self, agency: str | None, own: str) -> bool:
        """Whether ``agency`` is of another country than ``own`` (both known)."""
        if agency is None or agency not in self.countries or own not in self.countries:
            return False
        return self.countries[agency] != self.countries[own]

    def agreement(self, a: str, b: str, at: str) -> str | None:
        """The first agreement (by id) binding ``a`` and ``b`` in force at ``at``."""
        for agreement_id, since, until in sorted(self.agreements.get(frozenset((a, b)), ())):
            if (since is None or since <= at) and (until is None or at < until):
                return agreement_id
        return None
