"""Weights: kilograms and pounds, with one conversion constant.

The international avoirdupois pound is defined as exactly 0.45359237 kg (1959
international yard and pound agreement). Every conversion in tearline goes through
:data:`KG_PER_LB`; nothing else multiplies or divides by a pound factor.
"""

from __future__ import annotations

from typing import Final

KG_PER_LB: Final = 0.45359237


def lb_to_kg(pounds: float) -> float:
    return pounds * KG_PER_LB


def kg_to_lb(kilograms: float) -> float:
    return kilograms / KG_PER_LB
