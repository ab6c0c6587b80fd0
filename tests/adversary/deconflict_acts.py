"""Deconfliction in the adversary worlds: the node's key share, and what other units do.

The base world's node (us.dea) holds a 1-of-1 key derived from a fixed seed (so that every
world, and every run, makes the same tokens) and the index holds one registration: SOD's
phone :data:`REGISTERED`. A secret is another unit's deconfliction activity: it registers
a selector the viewer never asks about, or checks one (a miss, or a hit on a registration
that is not the viewer's), spending its own quota. None of it may reach the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from adversary.clock import CLOCK
from tearline.deconflict import documents as docs
from tearline.deconflict import oprf, selectors, threshold
from tearline.deconflict import tokens as tk
from tearline.demo import scenario as sc
from tearline.federation.deconflict_docs import logged, sign
from tearline.federation.deconflict_flow import Deconfliction
from tearline.keys import load_node_key
from tearline.policy.subject import Subject
from tearline.store import audit_log, deconflict_index, deconflict_keys
from tearline.store.store import Store

SEED = bytes(range(32))
KEY_ID = "adadadadadadadadadadadadadadadad"
REGISTERED = "+52 667 700 0001"  # SOD's, in the base world
SECRET_PHONES = ("+52 667 700 0002", "+52 667 700 0003")  # only secrets use these
ASKED = (REGISTERED, "+52 667 700 0009")  # what the viewers check


def install(store: Store) -> None:
    key, _ = oprf.derive_key_pair(SEED, b"adversary")
    share = threshold.split(key, 1, 1)[0]
    with store.transaction() as conn:
        deconflict_keys.install_share(conn, KEY_ID, share, CLOCK.now, "adversary")


def subject(unit: str) -> Subject:
    return Subject(unit, sc.agency_of(unit))


def tokens(store: Store, unit: str, chosen: list[selectors.Selector]) -> tuple[str, ...]:
    batch = tk.blind_batch(chosen)
    done = deconflict_keys.evaluate_for(store, f"unit:{unit}", unit, batch.elements,
                                        CLOCK.now, "local")
    return tk.finish(batch, {done.share_index: done.answers}, done.threshold)


def register(store: Store, keys: Path, unit: str, phone: str) -> None:
    """``unit`` registers ``phone`` on the node (what `deconflict register` stores)."""
    key = load_node_key(keys)
    chosen = [selectors.phone(phone)]
    (token,) = tokens(store, unit, chosen)
    reg = docs.Registration(docs.new_id("dr"), token, "phone", sc.agency_of(unit), unit,
                            f"desk of {unit}", docs.stamp(CLOCK.now),
                            docs.stamp(CLOCK.now + timedelta(days=365)), key.name)
    with store.transaction() as conn:
        deconflict_index.store_document(conn, reg, sign(key, reg), key.name, CLOCK.now)
        audit_log.append(conn, logged(reg, f"unit:{unit}", CLOCK.now))


@dataclass(frozen=True)
class Registers:
    """Another unit registers a phone the viewer never asks about."""

    unit: str
    phone: str
    keys: Path

    def apply(self, store: Store) -> None:
        register(store, self.keys, self.unit, self.phone)

    def __str__(self) -> str:
        return f"{self.unit} registers {self.phone}"


@dataclass(frozen=True)
class Checks:
    """Another unit checks phones (its quota spent, its queries and hits logged, a notice
    made for each hit's holder)."""

    unit: str
    phones: tuple[str, ...]
    keys: Path

    def apply(self, store: Store) -> None:
        chosen = [selectors.phone(p) for p in self.phones]
        flow = Deconfliction(store, self.keys, clock=lambda: CLOCK.now)
        flow.compare(subject(self.unit), chosen, tokens(store, self.unit, chosen), CLOCK.now)

    def __str__(self) -> str:
        return f"{self.unit} checks {', '.join(self.phones)}"
