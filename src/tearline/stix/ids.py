"""Deterministic STIX identifiers and timestamps.

STIX 2.1 (section 2.9) asks SDOs, SROs and SMOs to use UUIDv4, and lets producers use
another version if they pick a namespace that guarantees uniqueness and is not the
namespace reserved for cyber-observables. tearline derives UUIDv5 identifiers from its
own namespace instead, because a record sent twice (to two peers, or in two pulls)
must carry the same STIX id: STIX versions an object by ``id`` + ``modified``, and a
receiver deduplicates by id. The validator reports this as its warning 103
("not a valid UUIDv4 ID"); that warning is expected and justified by the above.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import sha1

from tearline.errors import ValidationError, tr

#: tearline's own UUIDv5 namespace (itself derived from the URL namespace).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tearline:stix:2.1")
#: The namespace STIX reserves for cyber-observable ids; never used here.
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
assert NAMESPACE != SCO_NAMESPACE

#: The ``created`` time of tearline's fixed objects (identity, extension definitions,
#: content-addressed marking definitions): they never change, so their time is fixed.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


_NAMESPACE_BYTES = NAMESPACE.bytes


def uuid5_text(key: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, key))``, without building the ``UUID`` object.

    An export derives one or more ids per record; ``uuid.uuid5`` spends most of its
    time constructing and validating the ``UUID`` instance, not hashing. Same bytes:
    SHA-1 of namespace + UTF-8 key, first 16 bytes, version 5, RFC 4122 variant.
    """
    digest = bytearray(sha1(_NAMESPACE_BYTES + key.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def stix_id(stix_type: str, key: str) -> str:
    """``<type>--<UUIDv5 of key>``; the same key gives the same id on every node."""
    return f"{stix_type}--{uuid5_text(key)}"


def entity_key(entity_id: str) -> str:
    return f"entity:{entity_id}"


@lru_cache(maxsize=1024)
def agency_identity_id(agency: str) -> str:
    """The ``identity`` object of an agency, the ``created_by_ref`` of its records.

    Remembered: every object of a bundle names its originator, and there are few."""
    return stix_id("identity", f"agency:{agency}")


def format_time(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z``, keeping microseconds when there are any (lossless)."""
    if value.tzinfo is None:
        raise ValidationError(tr("timestamp {value} has no time zone", value=value.isoformat()))
    if value.tzinfo is not UTC:
        # Converted before the lookup: datetimes of one zone compare equal across a
        # DST fold although they are different instants.
        value = value.astimezone(UTC)
    return _format_utc(value)


@lru_cache(maxsize=1 << 14)
def _format_utc(value: datetime) -> str:
    """Remembered: a batch repeats the same first/last seen on every statement.

    Formatted field by field (``strftime`` is slower, and does not pad
    years before 1000, which RFC 3339 writes with four digits)."""
    fraction = f"{value.microsecond:06d}" if value.microsecond else "000"
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
            f"{value.minute:02d}:{value.second:02d}.{fraction}Z")


def parse_time(value: object) -> datetime:
    """A STIX timestamp (``Z`` required by STIX, offsets tolerated) as an aware UTC datetime."""
    if not isinstance(value, str):
        raise ValueError(f"timestamp must be a string, not {type(value).__name__}")
    return _parse_time(value)


@lru_cache(maxsize=1 << 14)
def _parse_time(value: str) -> datetime:
    """Remembered: a bundle repeats the same few timestamps on every statement (first
    and last seen of a batch), and pulling a large collection parses them by the
    hundred thousand. The result depends on the text only."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    head, dot, rest = text.partition(".")
    if dot:  # Python parses at most 6 fractional digits; STIX allows more.
        count = len(rest) - len(rest.lstrip("0123456789"))
        digits, zone = rest[:count], rest[count:]
        text = f"{head}.{(digits + '000000')[:6]}{zone}"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return parsed.astimezone(UTC)
