"""Weighing evidence (``trace/evidence.py``)."""

from __future__ import annotations

import math

from tearline.trace.evidence import NAMED, Tally, chance_at_least, weigh


def test_the_binomial_tail() -> None:
    assert chance_at_least(0, 10) == 1.0
    assert math.isclose(chance_at_least(10, 10), 2 ** -10)
    assert math.isclose(chance_at_least(9, 10), 11 / 1024)
    assert chance_at_least(2000, 2000) == 0.0 or chance_at_least(2000, 2000) < 1e-300


def test_a_recorded_mark_names_its_recipient() -> None:
    [found] = weigh({"unit:a.b": [("TL-AAAA-BBBB-CCCC", "json")]}, {}, 3)
    assert found.named and found.confidence == 1.0


def test_orders_name_only_the_copy_that_agrees_beyond_chance() -> None:
    found = weigh({}, {"unit:a.b": [Tally("order", 40, 40, 10)],
                       "unit:c.d": [Tally("order", 22, 40, 10)]}, 2)
    assert [f.recipient for f in found if f.named] == ["unit:a.b"]
    assert found[0].confidence >= NAMED


def test_too_few_trials_name_no_one() -> None:
    assert weigh({}, {"unit:a.b": [Tally("text", 5, 5)]}, 1) == []
