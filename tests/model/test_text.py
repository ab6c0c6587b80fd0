"""Bidirectional control characters are refused in text values; right-to-left text is not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.model.text import BIDI_CONTROLS, bidi_problem

#: Every bidirectional formatting character of UAX #9.
CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
            "\u2069", "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_each_control_is_found_and_located(char: str) -> None:
    why = bidi_problem(f"Agus{char}tina")
    assert why is not None
    assert why.startswith("character 5: ") and f"U+{ord(char):04X}" in why


@pytest.mark.parametrize("text", ["منطقة الحدود", "אזור הגבול", "Peña Nieto", "$x^2$", ""])
def test_right_to_left_and_other_text_is_accepted(text: str) -> None:
    assert bidi_problem(text) is None


@given(st.text())
def test_refused_exactly_when_a_control_is_present(text: str) -> None:
    assert (bidi_problem(text) is None) == (not any(c in CONTROLS for c in text))
    assert bool(BIDI_CONTROLS.search(text)) == any(c in CONTROLS for c in text)
