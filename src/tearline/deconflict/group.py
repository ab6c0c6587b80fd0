"""The ristretto255 group and its scalar field, as libsodium computes them.

Every group and field operation is libsodium's (through ``pysodium``): no curve
arithmetic is written here. The operations a batch repeats per element (hashing to
the group, scalar multiplication, addition, random and product scalars) call the
library pysodium loaded directly: pysodium's wrappers check the library's version and
the arguments on every call, nine calls per token, and the lengths are checked here
instead. Elements and scalars travel as their canonical 32-byte
encodings; this module checks encodings where they enter and turns libsodium's
refusals into :class:`~tearline.errors.ValidationError`, because an element or a
scalar that reaches it from a peer or a client is input like any other.

``expand_message_xmd`` (RFC 9380 §5.3.1) with SHA-512 is the hash that RFC 9497's
ristretto255-SHA512 suite feeds to ``crypto_core_ristretto255_from_hash`` (HashToGroup)
and to the 64-byte scalar reduction (HashToScalar).
"""

from __future__ import annotations

import ctypes
import hashlib

import pysodium

from tearline.errors import ValidationError, tr

#: Length of an encoded element and of an encoded scalar.
ELEMENT_BYTES = 32
SCALAR_BYTES = 32
#: The identity element's encoding; RFC 9497 refuses it as an input or blinded element.
IDENTITY = bytes(ELEMENT_BYTES)
ZERO = bytes(SCALAR_BYTES)
#: The order of the group: 2^252 + 27742317777372353535851937790883648493.
ORDER = 2**252 + 27742317777372353535851937790883648493

#: libsodium, as pysodium loaded it (ctypes releases the interpreter lock in its calls).
_SODIUM = pysodium.sodium
_SHA512_BLOCK = 128
_SHA512_OUT = 64


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 expand_message_xmd with SHA-512: ``length`` uniform bytes from ``msg``."""
    if len(dst) > 255:
        raise ValidationError(tr("a domain separation tag is at most 255 bytes"))
    ell = -(-length // _SHA512_OUT)
    if ell > 255 or length > 65535:
        raise ValidationError(tr("expand_message_xmd: requested length too large"))
    dst_prime = dst + bytes([len(dst)])
    msg_prime = bytes(_SHA512_BLOCK) + msg + length.to_bytes(2, "big") + b"\x00" + dst_prime
    b0 = hashlib.sha512(msg_prime).digest()
    out = [hashlib.sha512(b0 + b"\x01" + dst_prime).digest()]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, out[-1], strict=True))
        out.append(hashlib.sha512(mixed + bytes([i]) + dst_prime).digest())
    return b"".join(out)[:length]


def hash_to_group(msg: bytes, dst: bytes) -> bytes:
    """RFC 9497 HashToGroup for ristretto255: 64 expanded bytes, Elligator'd by libsodium."""
    out = ctypes.create_string_buffer(ELEMENT_BYTES)
    _SODIUM.crypto_core_ristretto255_from_hash(out, expand_message_xmd(msg, dst, 64))
    return out.raw


def hash_to_scalar(msg: bytes, dst: bytes) -> bytes:
    """RFC 9497 HashToScalar for ristretto255: 64 expanded bytes reduced modulo the order."""
    wide = expand_message_xmd(msg, dst, 64)
    return bytes(pysodium.crypto_core_ristretto255_scalar_reduce(wide))


def check_element(element: bytes, what: str = "element") -> bytes:
    """The element itself if it is a canonical, non-identity ristretto255 encoding."""
    if not isinstance(element, bytes) or len(element) != ELEMENT_BYTES:
        raise ValidationError(tr(
            "{what}: a ristretto255 element is {ELEMENT_BYTES} bytes",
            what=what, ELEMENT_BYTES=ELEMENT_BYTES))
    if element == IDENTITY or not pysodium.crypto_core_ristretto255_is_valid_point(element):
        raise ValidationError(tr(
            "{what}: not a valid non-identity ristretto255 element", what=what))
    return element


def check_shape(element: bytes, what: str = "element") -> bytes:
    """The element itself if it is 32 bytes and not the identity. Cheaper than
    :func:`check_element` where libsodium decodes it anyway (a scalar multiplication
    refuses a non-canonical encoding), so the full check is not done twice."""
    if not isinstance(element, bytes) or len(element) != ELEMENT_BYTES or element == IDENTITY:
        raise ValidationError(tr("{what}: not a non-identity ristretto255 element", what=what))
    return element


def check_scalar(scalar: bytes, what: str = "scalar") -> bytes:
    """The scalar itself if it is a canonical (reduced), non-zero encoding."""
    if not isinstance(scalar, bytes) or len(scalar) != SCALAR_BYTES:
        raise ValidationError(tr(
            "{what}: a ristretto255 scalar is {SCALAR_BYTES} bytes",
            what=what, SCALAR_BYTES=SCALAR_BYTES))
    value = int.from_bytes(scalar, "little")
    if value == 0 or value >= ORDER:
        raise ValidationError(tr("{what}: not a canonical non-zero scalar", what=what))
    return scalar


def scalar_from_int(value: int) -> bytes:
    """The encoding of a small non-negative integer (a share's index) as a scalar."""
    if not 0 <= value < ORDER:
        raise ValidationError(tr("a scalar is an integer in [0, order)"))
    return value.to_bytes(SCALAR_BYTES, "little")


def random_scalar() -> bytes:
    """A uniformly random non-zero scalar from libsodium's CSPRNG."""
    out = ctypes.create_string_buffer(SCALAR_BYTES)
    _SODIUM.crypto_core_ristretto255_scalar_random(out)
    return out.raw


def scalar_add(x: bytes, y: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_add(x, y))


def scalar_sub(x: bytes, y: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_sub(x, y))


def scalar_mul(x: bytes, y: bytes) -> bytes:
    if len(x) != SCALAR_BYTES or len(y) != SCALAR_BYTES:
        raise ValidationError(tr("{what}: a ristretto255 scalar is {SCALAR_BYTES} bytes",
                                 what="factor", SCALAR_BYTES=SCALAR_BYTES))
    out = ctypes.create_string_buffer(SCALAR_BYTES)
    _SODIUM.crypto_core_ristretto255_scalar_mul(out, x, y)
    return out.raw


def scalar_invert(x: bytes) -> bytes:
    """x⁻¹; zero has no inverse and is refused."""
    if x == ZERO:
        raise ValidationError(tr("zero has no inverse"))
    return bytes(pysodium.crypto_core_ristretto255_scalar_invert(x))


def scalar_mult(scalar: bytes, element: bytes) -> bytes:
    """scalar · element; libsodium refuses a non-canonical element or an identity result."""
    out = ctypes.create_string_buffer(ELEMENT_BYTES)
    if (len(scalar) != SCALAR_BYTES or len(element) != ELEMENT_BYTES
            or _SODIUM.crypto_scalarmult_ristretto255(out, scalar, element) != 0):
        raise ValidationError(tr("scalar multiplication refused: invalid element"))
    return out.raw


def scalar_mult_base(scalar: bytes) -> bytes:
    """scalar · the generator."""
    try:
        return bytes(pysodium.crypto_scalarmult_ristretto255_base(scalar))
    except ValueError as exc:
        raise ValidationError(tr("scalar multiplication refused: zero scalar")) from exc


def element_add(p: bytes, q: bytes) -> bytes:
    """p + q; the result may be the identity (two opposite points)."""
    out = ctypes.create_string_buffer(ELEMENT_BYTES)
    if (len(p) != ELEMENT_BYTES or len(q) != ELEMENT_BYTES
            or _SODIUM.crypto_core_ristretto255_add(out, p, q) != 0):
        raise ValidationError(tr("element addition refused: invalid element"))
    return out.raw
