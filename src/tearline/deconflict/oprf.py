"""RFC 9497 OPRF, base mode, ciphersuite ristretto255-SHA512.

The client blinds its input (``blind``), the key holder multiplies the blinded element
by its key (``blind_evaluate``), the client unblinds and hashes (``finalize``). The key
holder sees a uniformly random group element, never the input; the client learns the
PRF output, never the key. ``derive_key_pair`` and ``evaluate`` are the RFC's
deterministic key derivation and one-party evaluation, used by the test vectors and
by key holders that also act as clients of themselves.

Group and field operations are libsodium's (:mod:`tearline.deconflict.group`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tearline.deconflict import group
from tearline.errors import ValidationError, tr

MODE_OPRF = 0x00
SUITE = b"ristretto255-SHA512"
#: contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier (RFC 9497 §3.1).
CONTEXT = b"OPRFV1-" + bytes([MODE_OPRF]) + b"-" + SUITE
HASH_TO_GROUP_DST = b"HashToGroup-" + CONTEXT
HASH_TO_SCALAR_DST = b"HashToScalar-" + CONTEXT
DERIVE_KEY_PAIR_DST = b"DeriveKeyPair" + CONTEXT
#: Length of an OPRF output (SHA-512).
OUTPUT_BYTES = 64
#: The longest input the RFC's two-byte length prefix allows.
MAX_INPUT = 2**16 - 1


@dataclass(frozen=True, slots=True)
class Blinded:
    """A client's state between blinding and finalizing: keep ``blind`` secret, send
    ``element``."""

    blind: bytes
    element: bytes


def _check_input(data: bytes) -> bytes:
    if not isinstance(data, bytes):
        raise ValidationError(tr("an OPRF input is bytes"))
    if len(data) > MAX_INPUT:
        raise ValidationError(tr("an OPRF input is at most {MAX_INPUT} bytes", MAX_INPUT=MAX_INPUT))
    return data


def input_element(data: bytes) -> bytes:
    """HashToGroup(input); an input hashing to the identity is refused (RFC 9497 §3.3.1)."""
    element = group.hash_to_group(_check_input(data), HASH_TO_GROUP_DST)
    if element == group.IDENTITY:
        raise ValidationError(tr("the input hashes to the identity element"))
    return element


def blind(data: bytes, blind_scalar: bytes | None = None) -> Blinded:
    """Blind(input): a random scalar ``r`` (or the given one, for test vectors) and r·H(input)."""
    r = group.random_scalar() if blind_scalar is None else group.check_scalar(blind_scalar)
    return Blinded(blind=r, element=group.scalar_mult(r, input_element(data)))


def blind_evaluate(key: bytes, blinded_element: bytes) -> bytes:
    """BlindEvaluate(skS, blindedElement) = skS · blindedElement, on the key holder's side."""
    group.check_shape(blinded_element, "blinded element")  # libsodium decodes it
    return group.scalar_mult(group.check_scalar(key, "key"), blinded_element)


def unblind(blind_scalar: bytes, evaluated_element: bytes) -> bytes:
    """r⁻¹ · evaluatedElement: the unblinded element skS · H(input)."""
    group.check_shape(evaluated_element, "evaluated element")
    return group.scalar_mult(group.scalar_invert(blind_scalar), evaluated_element)


def finalize_unblinded(data: bytes, unblinded: bytes) -> bytes:
    """The RFC's final hash over the input and the unblinded element."""
    _check_input(data)
    hash_input = (
        len(data).to_bytes(2, "big") + data
        + len(unblinded).to_bytes(2, "big") + unblinded + b"Finalize"
    )
    return hashlib.sha512(hash_input).digest()


def finalize(data: bytes, blind_scalar: bytes, evaluated_element: bytes) -> bytes:
    """Finalize(input, blind, evaluatedElement): the 64-byte PRF output."""
    return finalize_unblinded(data, unblind(blind_scalar, evaluated_element))


def evaluate(key: bytes, data: bytes) -> bytes:
    """The PRF computed by a holder of the whole key (RFC 9497 §3.3.1 Evaluate)."""
    element = group.scalar_mult(group.check_scalar(key, "key"), input_element(data))
    return finalize_unblinded(data, element)


def derive_key_pair(seed: bytes, info: bytes) -> tuple[bytes, bytes]:
    """DeriveKeyPair(seed, info) → (skS, pkS), deterministic (RFC 9497 §3.2.1)."""
    if len(seed) != 32:
        raise ValidationError(tr("a key seed is 32 bytes"))
    if len(info) > MAX_INPUT:
        raise ValidationError(tr("key info is at most {MAX_INPUT} bytes", MAX_INPUT=MAX_INPUT))
    derive_input = seed + len(info).to_bytes(2, "big") + info
    for counter in range(256):
        sk = group.hash_to_scalar(derive_input + bytes([counter]), DERIVE_KEY_PAIR_DST)
        if sk != group.ZERO:
            return sk, group.scalar_mult_base(sk)
    raise ValidationError(tr("DeriveKeyPair found no non-zero scalar"))  # probability ~2^-64000
