"""Threshold OPRF: any t of n shares give the single-key output; t−1 give another."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.deconflict import group, oprf, threshold
from tearline.errors import ValidationError

scalars = st.integers(min_value=1, max_value=group.ORDER - 1).map(group.scalar_from_int)


@st.composite
def sharings(draw: st.DrawFn) -> tuple[bytes, tuple[threshold.KeyShare, ...], list[int]]:
    """A key, its t-of-n split (fixed coefficients), and a random order of the shares."""
    n = draw(st.integers(min_value=1, max_value=7))
    t = draw(st.integers(min_value=1, max_value=n))
    key = draw(scalars)
    coefficients = draw(st.lists(scalars, min_size=t - 1, max_size=t - 1))
    shares = threshold.split(key, t, n, coefficients)
    order = draw(st.permutations(range(n)))
    return key, shares, list(order)


@settings(max_examples=40, deadline=None)
@given(sharings(), st.binary(max_size=40))
def test_any_t_shares_give_the_single_key_output(
    sharing: tuple[bytes, tuple[threshold.KeyShare, ...], list[int]], data: bytes
) -> None:
    key, shares, order = sharing
    t = shares[0].threshold
    chosen = [shares[i] for i in order[:t]]
    blinded = oprf.blind(data)
    answers = {s.index: threshold.evaluate_share(s, blinded.element) for s in chosen}
    combined = threshold.combine(answers, t)
    assert oprf.finalize(data, blinded.blind, combined) == oprf.evaluate(key, data)
    assert threshold.recover_key(chosen) == key


@settings(max_examples=40, deadline=None)
@given(sharings(), st.binary(max_size=40))
def test_t_minus_one_shares_do_not(
    sharing: tuple[bytes, tuple[threshold.KeyShare, ...], list[int]], data: bytes
) -> None:
    key, shares, order = sharing
    t = shares[0].threshold
    if t < 2:
        return  # a 1-of-n key is held whole by every node: nothing to withhold
    chosen = [shares[i] for i in order[: t - 1]]
    blinded = oprf.blind(data)
    answers = {s.index: threshold.evaluate_share(s, blinded.element) for s in chosen}
    with pytest.raises(ValidationError, match="needs"):
        threshold.combine(answers, t)
    # Combining them anyway (as a cheating client would) interpolates another polynomial.
    forced = threshold.combine(answers, t - 1)
    assert oprf.finalize(data, blinded.blind, forced) != oprf.evaluate(key, data)


def test_shares_are_not_the_key_and_do_not_print() -> None:
    key = group.random_scalar()
    shares = threshold.split(key, 2, 3)
    assert all(s.scalar != key for s in shares)
    assert key.hex() not in repr(shares) and shares[0].scalar.hex() not in repr(shares)


@pytest.mark.parametrize(("t", "n"), [(0, 3), (4, 3), (2, 256)])
def test_bad_parameters_are_refused(t: int, n: int) -> None:
    with pytest.raises(ValidationError):
        threshold.split(group.random_scalar(), t, n)


def test_duplicate_indices_are_refused() -> None:
    with pytest.raises(ValidationError, match="distinct"):
        threshold.lagrange_at_zero([1, 1])


def test_a_bad_answer_is_refused() -> None:
    with pytest.raises(ValidationError):
        threshold.combine({1: group.IDENTITY, 2: oprf.blind(b"x").element}, 2)


@settings(max_examples=20, deadline=None)
@given(sharings(), st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3))
def test_a_batch_from_any_t_holders_gives_the_single_key_tokens(
    sharing: tuple[bytes, tuple[threshold.KeyShare, ...], list[int]], values: list[str]
) -> None:
    from tearline.deconflict import tokens
    from tearline.deconflict.selectors import Selector

    key, shares, order = sharing
    t = shares[0].threshold
    chosen = [Selector("identifier", f"test:{v}") for v in values]
    batch = tokens.blind_batch(chosen)
    answers = {s.index: [threshold.evaluate_share(s, e) for e in batch.elements]
               for s in (shares[i] for i in order[:t])}
    assert tokens.finish(batch, answers, t) == tuple(tokens.direct_token(key, s)
                                                     for s in chosen)


@settings(max_examples=15, deadline=None)
@given(sharings(), st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3),
       st.randoms(use_true_random=False))
def test_a_batch_with_the_clients_own_share_gives_the_single_key_tokens(
    sharing: tuple[bytes, tuple[threshold.KeyShare, ...], list[int]], values: list[str],
    rnd: random.Random,
) -> None:
    """With the own share's terms made during the answers, or beforehand: made for the
    holders that answer, they are used; made for others (the holders guessed from the
    last batch, one of them offline now), the tokens are still right."""
    from tearline.deconflict import tokens
    from tearline.deconflict.selectors import Selector

    key, shares, order = sharing
    t = shares[0].threshold
    chosen = [Selector("identifier", f"test:{v}") for v in values]
    batch = tokens.blind_batch(chosen)
    local, *remote = (shares[i] for i in order[:t])
    answers = {s.index: [threshold.evaluate_share(s, e) for e in batch.elements]
               for s in remote}
    others = [s.index for s in shares if s.index != local.index]
    guessed = [local.index, *rnd.sample(others, t - 1)]
    expected = tuple(tokens.direct_token(key, s) for s in chosen)
    for indices in (None, [local.index, *answers], guessed):
        ready = None if indices is None else tokens.local_terms(batch, local, indices)
        assert tokens.finish(batch, answers, t, local=local, ready=ready) == expected
    with pytest.raises(ValidationError):
        tokens.local_terms(batch, local, others[:t])


@settings(max_examples=20, deadline=None)
@given(st.lists(scalars, max_size=6), st.none() | scalars)
def test_batch_inversion_gives_each_inverse_times_the_factor(
        values: list[bytes], factor: bytes | None) -> None:
    from tearline.deconflict import tokens

    one = group.scalar_from_int(1)
    for value, inverse in zip(values, tokens.invert_all(values, factor), strict=True):
        assert group.scalar_mul(value, inverse) == (factor or one)
