"""Decisions carry their reasons: shown to administrators, written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...]

    @classmethod
    def allow(cls, *reasons: str) -> Decision:
        return cls(True, reasons)

    @classmethod
    def deny(cls, *reasons: str) -> Decision:
        return cls(False, reasons)

    def __bool__(self) -> bool:
        return self.allowed

    def explain(self) -> str:
        verdict = "allowed" if self.allowed else "denied"
        return f"{verdict}: " + "; ".join(self.reasons)
