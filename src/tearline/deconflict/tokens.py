"""The client's side of a threshold token: blind a batch, combine t answers, finalize.

A token is the first ``TOKEN_BYTES`` of the RFC 9497 output for the selector's OPRF
input under the shared key: 256 bits, so two different selectors collide with
probability 2⁻¹²⁸ even among billions, and the index stores half of what the whole
SHA-512 output would take. Tokens are compared for equality only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tearline.deconflict import group, oprf, parallel, threshold
from tearline.deconflict.selectors import Selector
from tearline.errors import ValidationError, tr

TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class BlindBatch:
    """Selectors, their hashed elements H(x) and blinds r, kept by the client;
    ``elements`` (r·H(x)) go to the other share holders."""

    selectors: tuple[Selector, ...]
    inputs: tuple[bytes, ...]
    hashed: tuple[bytes, ...]
    blinds: tuple[bytes, ...]
    elements: tuple[bytes, ...]


def _blind(inputs: Sequence[bytes]) -> list[tuple[bytes, bytes, bytes]]:
    out = []
    for data in inputs:
        hashed, r = oprf.input_element(data), group.random_scalar()
        out.append((hashed, r, group.scalar_mult(r, hashed)))
    return out


def blind_batch(selectors: Sequence[Selector], threads: int | None = None) -> BlindBatch:
    """Hash and blind each selector (on every core unless ``threads`` says otherwise)."""
    chosen = tuple(selectors)
    inputs = tuple(s.oprf_input() for s in chosen)
    done = parallel.map_slices(_blind, inputs, threads)
    return BlindBatch(chosen, inputs, tuple(h for h, _, _ in done),
                      tuple(r for _, r, _ in done), tuple(e for _, _, e in done))


def token_of(output: bytes) -> str:
    """The index key of an OPRF output, as lower-case hex."""
    return output[:TOKEN_BYTES].hex()


def invert_all(scalars: Sequence[bytes], factor: bytes | None = None) -> list[bytes]:
    """Every scalar's inverse, times ``factor`` when given, with one inversion
    (Montgomery's trick): an inversion costs about half a group multiplication, a
    scalar product a hundredth of one. The factor rides on the one inversion, so
    ``factor``·s⁻¹ costs what s⁻¹ does."""
    prefix = [group.scalar_from_int(1)]
    for s in scalars:
        prefix.append(group.scalar_mul(prefix[-1], s))
    inverse = group.scalar_invert(prefix[-1])
    if factor is not None:
        inverse = group.scalar_mul(inverse, factor)
    out = [b""] * len(scalars)
    for i in range(len(scalars) - 1, -1, -1):
        out[i] = group.scalar_mul(inverse, prefix[i])
        inverse = group.scalar_mul(inverse, scalars[i])
    return out


@dataclass(frozen=True, slots=True)
class LocalTerms:
    """The client's own share's term (λ·k)·H(x) of each selector of a batch, for the
    answering share indices ``indices`` (λ depends on which holders answer)."""

    indices: tuple[int, ...]
    terms: tuple[bytes, ...]


def local_terms(batch: BlindBatch, local: threshold.KeyShare, indices: Sequence[int],
                threads: int | None = None) -> LocalTerms:
    """The own share's terms for the answering set ``indices`` (``local``'s own index
    among them), computed before the other holders answer: a client expecting the
    same holders as last time multiplies while they evaluate, instead of after."""
    chosen = tuple(sorted(indices))
    if local.index not in chosen:
        raise ValidationError(tr("share {index} is not among the answering shares",
                                 index=local.index))
    own = group.scalar_mul(threshold.lagrange_at_zero(chosen)[local.index], local.scalar)
    terms = parallel.map_slices(
        lambda part: [group.scalar_mult(own, batch.hashed[i]) for i in part],
        range(len(batch.hashed)), threads)
    return LocalTerms(chosen, tuple(terms))


def finish(
    batch: BlindBatch, answers: Mapping[int, Sequence[bytes]], t: int,
    local: threshold.KeyShare | None = None, threads: int | None = None,
    ready: LocalTerms | None = None,
) -> tuple[str, ...]:
    """Tokens of the batch from the answers ``{share index: elements}`` of other share
    holders and, when the client holds a share itself, that ``local`` share: ≥ t in all.

    The combination is Σ λᵢ·kᵢ·H(x) = k·H(x). A remote answer is kᵢ·r·H(x), so its
    term is (λᵢ·r⁻¹)·answer — the unblinding folded into the coefficient, one group
    multiplication. The client's own share needs no blinding (the selector never
    leaves this process): its term is (λ·k)·H(x), one multiplication. With t = 2 a
    token thus costs four multiplications in all: blind, the peer's evaluation, its
    term, the local term. ``ready``: the local terms computed beforehand
    (:func:`local_terms`), used when they are for the holders that answered."""
    for index, elements in answers.items():
        if len(elements) != len(batch.blinds):
            raise ValidationError(
                tr(
                    "share holder {index} answered {elements_count} of {blinds_count} elements",
                    index=index, elements_count=len(elements), blinds_count=len(batch.blinds)))
    if local is not None and local.index in answers:
        raise ValidationError(tr("share {index} answered twice", index=local.index))
    indices = sorted([*answers, *([local.index] if local is not None else [])])
    if len(indices) < t:
        raise ValidationError(tr(
            "{indices_count} share holder(s) answered; the key needs {t}",
            indices_count=len(indices), t=t))
    lagrange = threshold.lagrange_at_zero(indices)
    own = None if local is None else group.scalar_mul(lagrange[local.index], local.scalar)
    made = (ready.terms if ready is not None and local is not None
            and ready.indices == tuple(indices) and len(ready.terms) == len(batch.hashed)
            else None)
    order = sorted(answers)
    # the coefficient of a remote answer is λᵢ·r⁻¹; one holder's λᵢ rides on the inversion
    if len(order) == 1:
        coefficients = {order[0]: invert_all(batch.blinds, lagrange[order[0]])}
    else:
        inverses = invert_all(batch.blinds)
        coefficients = {index: [group.scalar_mul(lagrange[index], r) for r in inverses]
                        for index in order}

    def combine(positions: Sequence[int]) -> list[str]:
        out = []
        for position in positions:
            total = (made[position] if made is not None else
                     None if own is None else group.scalar_mult(own, batch.hashed[position]))
            for index in order:
                element = group.check_shape(answers[index][position], f"answer of {index}")
                term = group.scalar_mult(coefficients[index][position], element)
                total = term if total is None else group.element_add(total, term)
            assert total is not None
            unblinded = group.check_shape(total, "combined element")
            out.append(token_of(oprf.finalize_unblinded(batch.inputs[position], unblinded)))
        return out

    return tuple(parallel.map_slices(combine, range(len(batch.inputs)), threads))


def direct_token(key: bytes, selector: Selector) -> str:
    """The token computed with the whole key — for the dealer's checks and tests only."""
    return token_of(oprf.evaluate(key, selector.oprf_input()))
