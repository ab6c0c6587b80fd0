"""Search tokens: the ASCII shortcut folds exactly as ``normalize`` does."""

from __future__ import annotations

import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tearline.store.tokens import NAME_TYPES, WHOLE_TYPES, fold, tokens_for


def _reference(type_name: str, value: str) -> set[str]:
    """Tokens as defined: every value through ``normalize`` (no shortcut)."""
    if type_name in NAME_TYPES:
        return {w[:64] for w in fold(value).split() if len(w) > 1}
    if type_name in WHOLE_TYPES:
        whole = "".join(ch for ch in fold(value) if ch.isalnum())
        return {whole[:64]} if whole else set()
    return set()


ASCII = st.text(st.characters(max_codepoint=127), max_size=80)
ANY = st.text(max_size=40)
TYPES = st.sampled_from(sorted(NAME_TYPES | WHOLE_TYPES) + ["date", "country"])


@given(type_name=TYPES, value=ASCII)
@example(type_name="name", value="  Joaquín ")
@example(type_name="name", value="\x1c GUZMAN-LOERA, Joaquin\t'El Chapo' $5^x`y ")
@example(type_name="identifier", value="BELM-610927/hsllyr00")
@example(type_name="phone", value="+52 (55) 1234-5678")
@example(type_name="name", value="x" * 70 + " ab")
@example(type_name="name", value="\x00\x7f")
def test_ascii_values_fold_as_normalize_does(type_name: str, value: str) -> None:
    assert tokens_for(type_name, value) == _reference(type_name, value)


@settings(deadline=None)  # the first non-ASCII value loads the transliterator
@given(type_name=TYPES, value=ANY)
@example(type_name="name", value="Beltrán Leyva")
@example(type_name="name", value="Шевченко Тарас")
@example(type_name="identifier", value="ＢＥＬＭ６１")
def test_any_text_folds_as_normalize_does(type_name: str, value: str) -> None:
    assert tokens_for(type_name, value) == _reference(type_name, value)


def test_every_printable_character_is_covered() -> None:
    for ch in string.printable:
        for type_name in ("name", "identifier"):
            value = f"ab{ch}cd {ch}x{ch}{ch.upper()}y"
            assert tokens_for(type_name, value) == _reference(type_name, value)
