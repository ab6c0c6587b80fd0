"""The client's side of a threshold token: blind a batch, combine t answers, finalize.

A token is the first ``TOKEN_BYTES`` of the RFC 9497 output for the selector's OPRF
input under the shared key: 256 bits, so two different selectors collide with
probability 2⁻¹²⁸ even among billions, and the index stores half of what the whole
SHA-512 output would take. Tokens are compared for equality only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tearline.deconflict import group, oprf, threshold
from tearline.deconflict.selectors import Selector
from tearline.errors import ValidationError

TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class BlindBatch:
    """Selectors and their blinds, kept by the client; ``elements`` go to the nodes."""

    selectors: tuple[Selector, ...]
    blinds: tuple[oprf.Blinded, ...]

    @property
    def elements(self) -> tuple[bytes, ...]:
        return tuple(b.element for b in self.blinds)


def blind_batch(selectors: Sequence[Selector]) -> BlindBatch:
    chosen = tuple(selectors)
    return BlindBatch(chosen, tuple(oprf.blind(s.oprf_input()) for s in chosen))


def token_of(output: bytes) -> str:
    """The index key of an OPRF output, as lower-case hex."""
    return output[:TOKEN_BYTES].hex()


def finish(
    batch: BlindBatch, answers: Mapping[int, Sequence[bytes]], t: int
) -> tuple[str, ...]:
    """Tokens of the batch from ≥ t share holders' answers ``{share index: elements}``."""
    for index, elements in answers.items():
        if len(elements) != len(batch.blinds):
            raise ValidationError(
                f"share holder {index} answered {len(elements)} of {len(batch.blinds)} elements")
    if len(answers) < t:
        raise ValidationError(f"{len(answers)} share holder(s) answered; the key needs {t}")
    lagrange = threshold.lagrange_at_zero(sorted(answers))
    out = []
    for position, (selector, blinded) in enumerate(zip(batch.selectors, batch.blinds,
                                                       strict=True)):
        # Σ (λᵢ·r⁻¹)·(sᵢ·r·H(x)) = k·H(x): the unblinding folded into the Lagrange
        # coefficients (scalar products, cheap), one group multiplication per answer.
        r_inverse = group.scalar_invert(blinded.blind)
        total: bytes | None = None
        for index in sorted(answers):
            element = group.check_shape(answers[index][position], f"answer of {index}")
            term = group.scalar_mult(group.scalar_mul(lagrange[index], r_inverse), element)
            total = term if total is None else group.element_add(total, term)
        assert total is not None
        unblinded = group.check_shape(total, "combined element")
        out.append(token_of(oprf.finalize_unblinded(selector.oprf_input(), unblinded)))
    return tuple(out)


def direct_token(key: bytes, selector: Selector) -> str:
    """The token computed with the whole key — for the dealer's checks and tests only."""
    return token_of(oprf.evaluate(key, selector.oprf_input()))
