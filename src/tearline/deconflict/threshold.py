"""Threshold OPRF: a key that no node holds, Shamir-shared t of n.

The dealer draws a polynomial f of degree t−1 over the ristretto255 scalar field with
f(0) = the OPRF key and hands node i the share f(i). A node evaluates a blinded
element with its share exactly as RFC 9497's BlindEvaluate does with a whole key;
the client gathers t answers fᵢ·B and combines them with the Lagrange coefficients
at zero, Σ λᵢ·(fᵢ·B) = f(0)·B, which is the single-key evaluation — "Lagrange in the
exponent" — and then unblinds and finalizes as in the base mode. Fewer than t
answers interpolate a different polynomial and give another, useless, element, so no
coalition of fewer than t nodes can compute a token, and none can test guesses alone.

All field and group operations are libsodium's (:mod:`tearline.deconflict.group`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tearline.deconflict import group, oprf, parallel
from tearline.errors import ValidationError, tr

#: Share indices are 1..MAX_SHARES (small integers; 0 is the secret's own point).
MAX_SHARES = 255


@dataclass(frozen=True, slots=True)
class KeyShare:
    """Node ``index``'s share f(index) of a key split ``threshold`` of ``count``."""

    index: int
    scalar: bytes
    threshold: int
    count: int

    def __post_init__(self) -> None:
        check_parameters(self.threshold, self.count)
        if not 1 <= self.index <= self.count:
            raise ValidationError(tr("a share index is in 1..{count}", count=self.count))
        group.check_scalar(self.scalar, "key share")

    def __repr__(self) -> str:  # never print the secret
        return f"KeyShare(index={self.index}, {self.threshold} of {self.count})"


def check_parameters(threshold: int, count: int) -> None:
    """A threshold t and a count n with 1 ≤ t ≤ n ≤ MAX_SHARES."""
    if not 1 <= threshold <= count <= MAX_SHARES:
        raise ValidationError(
            tr(
                "a threshold key needs 1 ≤ t ≤ n ≤ {MAX_SHARES}, not t={threshold}, n={count}",
                MAX_SHARES=MAX_SHARES, threshold=threshold, count=count))


def _poly_at(coefficients: Sequence[bytes], x: int) -> bytes:
    """Horner's rule: f(x) for f = Σ cₖ·xᵏ, every operation libsodium's."""
    xs = group.scalar_from_int(x)
    acc = group.ZERO
    for c in reversed(coefficients):
        acc = group.scalar_add(group.scalar_mul(acc, xs), c)
    return acc


def split(
    key: bytes, threshold: int, count: int, coefficients: Sequence[bytes] | None = None
) -> tuple[KeyShare, ...]:
    """Shamir-split ``key`` into ``count`` shares, any ``threshold`` of which recover it.

    ``coefficients`` (t−1 non-zero scalars) are drawn from libsodium's CSPRNG unless
    given; tests give them so that properties are reproducible."""
    check_parameters(threshold, count)
    group.check_scalar(key, "key")
    if coefficients is None:
        coefficients = [group.random_scalar() for _ in range(threshold - 1)]
    if len(coefficients) != threshold - 1:
        raise ValidationError(tr(
            "a {threshold}-of-n split takes {value} coefficients",
            threshold=threshold, value=threshold - 1))
    for c in coefficients:
        group.check_scalar(c, "coefficient")
    poly = [key, *coefficients]
    shares = []
    for i in range(1, count + 1):
        value = _poly_at(poly, i)
        if value == group.ZERO:  # a zero share would refuse to evaluate; ~2^-252
            raise ValidationError(tr("a share came out zero; split again"))
        shares.append(KeyShare(index=i, scalar=value, threshold=threshold, count=count))
    return tuple(shares)


def lagrange_at_zero(indices: Sequence[int]) -> dict[int, bytes]:
    """λᵢ = Πⱼ≠ᵢ xⱼ / (xⱼ − xᵢ) for each index, so that f(0) = Σ λᵢ·f(xᵢ)."""
    if len(set(indices)) != len(indices):
        raise ValidationError(tr("share indices must be distinct"))
    if any(not 1 <= i <= MAX_SHARES for i in indices):
        raise ValidationError(tr("a share index is in 1..{MAX_SHARES}", MAX_SHARES=MAX_SHARES))
    out: dict[int, bytes] = {}
    for i in indices:
        num = group.scalar_from_int(1)
        den = group.scalar_from_int(1)
        xi = group.scalar_from_int(i)
        for j in indices:
            if j == i:
                continue
            xj = group.scalar_from_int(j)
            num = group.scalar_mul(num, xj)
            den = group.scalar_mul(den, group.scalar_sub(xj, xi))
        out[i] = group.scalar_mul(num, group.scalar_invert(den))
    return out


def evaluate_share(share: KeyShare, blinded_element: bytes) -> bytes:
    """One node's answer: its share times the blinded element (BlindEvaluate)."""
    return oprf.blind_evaluate(share.scalar, blinded_element)


def evaluate_many(share: KeyShare, blinded_elements: Sequence[bytes],
                  threads: int | None = None) -> tuple[bytes, ...]:
    """:func:`evaluate_share` of each element, on every core."""
    return tuple(parallel.map_slices(
        lambda part: [evaluate_share(share, e) for e in part], blinded_elements, threads))


def combine(answers: Mapping[int, bytes], threshold: int) -> bytes:
    """The single-key evaluated element from ≥ t node answers {index: fᵢ·B}."""
    if len(answers) < threshold:
        raise ValidationError(
            tr(
                "{answers_count} answer(s) given; the key needs {threshold} to evaluate",
                answers_count=len(answers), threshold=threshold))
    indices = sorted(answers)
    coefficients = lagrange_at_zero(indices)
    total: bytes | None = None
    for i in indices:
        group.check_element(answers[i], f"answer of share {i}")
        term = group.scalar_mult(coefficients[i], answers[i])
        total = term if total is None else group.element_add(total, term)
    assert total is not None
    return group.check_element(total, "combined element")


def recover_key(shares: Sequence[KeyShare]) -> bytes:
    """f(0) from t shares — for the dealer's own checks only; no node ever does this."""
    if not shares:
        raise ValidationError(tr("no shares"))
    coefficients = lagrange_at_zero([s.index for s in shares])
    acc = group.ZERO
    for s in shares:
        acc = group.scalar_add(acc, group.scalar_mul(coefficients[s.index], s.scalar))
    return acc
