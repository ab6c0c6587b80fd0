"""The group operations called on libsodium directly (``deconflict/group.py``) give
pysodium's results and refuse what it refuses, as :class:`ValidationError`."""

from __future__ import annotations

import pysodium
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tearline.deconflict import group
from tearline.errors import ValidationError

scalars = st.integers(min_value=1, max_value=group.ORDER - 1).map(
    lambda v: v.to_bytes(32, "little"))
wide = st.binary(min_size=64, max_size=64)


@settings(max_examples=25, deadline=None)
@given(scalars, scalars, wide, wide)
def test_direct_calls_give_pysodiums_results(x: bytes, y: bytes, u: bytes, v: bytes) -> None:
    p = pysodium.crypto_core_ristretto255_from_hash(u)
    q = pysodium.crypto_core_ristretto255_from_hash(v)
    assume(group.IDENTITY not in (p, q))  # libsodium refuses the identity's multiples
    assert group.hash_to_group(b"msg", b"dst") == pysodium.crypto_core_ristretto255_from_hash(
        group.expand_message_xmd(b"msg", b"dst", 64))
    assert group.scalar_mul(x, y) == pysodium.crypto_core_ristretto255_scalar_mul(x, y)
    assert group.scalar_mult(x, p) == pysodium.crypto_scalarmult_ristretto255(x, p)
    assert group.element_add(p, q) == pysodium.crypto_core_ristretto255_add(p, q)
    assert group.check_scalar(group.random_scalar()) != group.random_scalar()


def test_what_libsodium_refuses_is_refused() -> None:
    element = pysodium.crypto_core_ristretto255_from_hash(bytes(range(64)))
    scalar = group.random_scalar()
    not_canonical = b"\xff" * 32
    for bad in (lambda: group.scalar_mult(scalar, not_canonical),
                lambda: group.scalar_mult(scalar, element[:31]),
                lambda: group.scalar_mult(scalar[:31], element),
                lambda: group.scalar_mult(scalar, group.IDENTITY),  # identity result
                lambda: group.element_add(element, not_canonical),
                lambda: group.element_add(element[:16], element),
                lambda: group.scalar_mul(scalar, scalar[:8])):
        with pytest.raises(ValidationError):
            bad()
