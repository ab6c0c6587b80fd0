"""Secrets of entity resolution: judgements other units make (store/resolve_judgements.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from adversary.cast import subject
from adversary.clock import CLOCK
from tearline.model.marking import Marking
from tearline.store import resolve_judgements
from tearline.store.store import Store


@dataclass(frozen=True)
class Judges:
    """``unit`` judges records ``left`` and ``right`` (``judgement``) under ``marking``."""

    unit: str
    left: str
    right: str
    judgement: str
    marking: Marking

    def apply(self, store: Store) -> None:
        table = resolve_judgements.judgements
        with store.transaction() as conn:
            before = conn.execute(select(func.count()).select_from(table)).scalar_one()
            resolve_judgements.add(conn, subject(self.unit), self.left, self.right,
                                   self.judgement, "a secret judgement", self.marking,
                                   CLOCK.now)
            after = conn.execute(select(func.count()).select_from(table)).scalar_one()
        assert after == before + 1, "the secret judgement was not stored"

    def __str__(self) -> str:
        return (f"{self.unit} judges {self.left} / {self.right} {self.judgement} "
                f"[{self.marking}]")
