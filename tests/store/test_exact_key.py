"""Exact keys (``store/tokens.py``): one per set of tokens, whatever the order, fitting
a token column, and never reachable by a query word's range."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tearline.store.tokens import (
    MAX_EXACT,
    MAX_TOKEN,
    exact_key,
    is_exact_key,
    query_tokens,
    tokens_for,
    word_range,
)

WORDS = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1,
                         max_size=MAX_TOKEN), min_size=1, max_size=MAX_EXACT)


@given(words=WORDS, order=st.randoms())
def test_the_key_is_the_set(words: list[str], order: object) -> None:
    shuffled = list(words)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    key = exact_key(shuffled)
    assert key is not None and key == exact_key(words) == exact_key(words + words[:1])
    assert len(key) <= MAX_TOKEN and is_exact_key(key)


@given(words=WORDS, other=WORDS)
def test_different_sets_have_different_keys(words: list[str], other: list[str]) -> None:
    assert (exact_key(words) == exact_key(other)) == (set(words) == set(other))


@given(words=WORDS, text=st.text(max_size=60))
def test_no_query_word_reaches_a_key(words: list[str], text: str) -> None:
    key = exact_key(words)
    assert key is not None
    for word in query_tokens(text):
        lo, hi = word_range(word)
        assert not lo <= key < hi
    assert not is_exact_key(word_range(words[0])[0])


def test_no_key_for_nothing_or_more_words_than_a_query_holds() -> None:
    assert exact_key([]) is None
    assert exact_key([f"w{n}" for n in range(MAX_EXACT + 1)]) is None
    assert exact_key(tokens_for("name", "Ovidio Guzmán López")) == "=guzman lopez ovidio"
