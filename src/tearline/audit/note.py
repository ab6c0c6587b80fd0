"""Signed notes (c2sp.org/signed-note) with Ed25519 keys, and verifier-key strings.

A note is UTF-8 text ending in a newline, a blank line, then one or more lines
``— <key name> <base64(key id || signature)>``. The key id is the first four bytes
of SHA-256(key name || 0x0A || 0x01 || 32-byte public key). Using the format of
the Go checksum database and the transparency-dev witnesses means any of their
tools can check a tearline checkpoint, and a tearline witness can check theirs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tearline.errors import ProofError, tr

ED25519 = 0x01
#: The spec asks verifiers to accept at least 16 signatures and to cap the count.
MAX_SIGNATURES = 64
_DASH = "\u2014 "


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def check_key_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" or ord(c) < 0x20 for c in name):
        raise ProofError(tr(
            "invalid note key name {name!r}: non-empty, no spaces, no '+'", name=name))
    return name


def key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    """SHA-256(key name || 0x0A || 0x01 || public key)[:4]."""
    check_key_name(name)
    material = name.encode() + b"\n" + bytes([ED25519]) + public_key_bytes(public_key)
    return hashlib.sha256(material).digest()[:4]


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line: who claims to have signed, and the raw signature bytes."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        blob = base64.b64encode(self.key_id + self.signature).decode()
        return f"{_DASH}{self.name} {blob}\n"


@dataclass(frozen=True, slots=True)
class SignedNote:
    """A parsed, *unverified* note: its text and its signature lines."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def render(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise ProofError(tr("note text must end with a newline"))
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise ProofError(tr("note text must not contain control characters other than newline"))


def sign_text(text: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """A note carrying ``text`` with one Ed25519 signature by ``name``."""
    return add_signature(text + "\n", name, private_key)


def add_signature(note: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """``note`` with one more signature line over the same text (e.g. a cosignature).

    ``note`` may be a bare ``text + "\\n"`` (no signatures yet). Its existing
    signatures are kept as they are, unverified: checking them is the caller's job.
    """
    text, signatures = _split(note, allow_unsigned=True)
    _check_text(text)
    check_key_name(name)
    kid = key_id(name, private_key.public_key())
    if any(s.name == name and s.key_id == kid for s in signatures):
        raise ProofError(tr("the note already carries a signature by {name}", name=name))
    signature = NoteSignature(name, kid, private_key.sign(text.encode()))
    return SignedNote(text, (*signatures, signature)).render()


def _split(note: str, allow_unsigned: bool = False) -> tuple[str, tuple[NoteSignature, ...]]:
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise ProofError(tr("malformed note: control characters other than newline"))
    if not note.endswith("\n"):
        raise ProofError(tr("malformed note: it must end with a newline"))
    cut = note.rfind("\n\n")
    if cut < 0:
        raise ProofError(tr("malformed note: no blank line before the signatures"))
    text, block = note[: cut + 1], note[cut + 2 :]
    if not text.strip("\n"):
        raise ProofError(tr("malformed note: empty text"))
    lines = block.split("\n")[:-1]
    if not lines and not allow_unsigned:
        raise ProofError(tr("malformed note: no signature lines"))
    if len(lines) > MAX_SIGNATURES:
        raise ProofError(tr(
            "note has {lines_count} signatures; at most {MAX_SIGNATURES} accepted",
            lines_count=len(lines), MAX_SIGNATURES=MAX_SIGNATURES))
    signatures = []
    for number, line in enumerate(lines, 1):
        if not line.startswith(_DASH):
            raise ProofError(tr(
                "malformed signature line {number}: must start with '— '", number=number))
        name, sep, blob = line[len(_DASH) :].partition(" ")
        if not sep or " " in blob:
            raise ProofError(tr(
                "malformed signature line {number}: expected '— <name> <base64>'", number=number))
        check_key_name(name)
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error as exc:
            raise ProofError(tr(
                "malformed signature line {number}: bad base64", number=number)) from exc
        if len(raw) < 5:
            raise ProofError(tr("malformed signature line {number}: too short", number=number))
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    return text, tuple(signatures)


def parse_note(note: str) -> SignedNote:
    """Split a note into text and signatures; nothing is verified yet."""
    text, signatures = _split(note)
    return SignedNote(text, signatures)


def open_note(note: str, name: str, public_key: Ed25519PublicKey) -> str:
    """The text of ``note`` once the signature of key (``name``, ``public_key``) checks.

    Signatures by other keys are ignored, as the spec requires; a note without a
    signature by this key, or whose signature by it fails, raises :class:`ProofError`.
    """
    parsed = parse_note(note)
    kid = key_id(name, public_key)
    mine = [s for s in parsed.signatures if s.name == name and s.key_id == kid]
    if not mine:
        wanted = format_verifier_key(name, public_key)
        raise ProofError(tr("the note carries no signature by {wanted}", wanted=wanted))
    for signature in mine:
        try:
            public_key.verify(signature.signature, parsed.text.encode())
        except InvalidSignature as exc:
            raise ProofError(tr(
                "the signature by {name} does not verify over the note text", name=name)) from exc
    return parsed.text


def format_verifier_key(name: str, public_key: Ed25519PublicKey) -> str:
    """``<name>+<hex key id>+<base64(0x01 || public key)>``, the form people exchange."""
    material = base64.b64encode(bytes([ED25519]) + public_key_bytes(public_key)).decode()
    return f"{check_key_name(name)}+{key_id(name, public_key).hex()}+{material}"


def parse_verifier_key(text: str) -> tuple[str, Ed25519PublicKey]:
    """The (name, public key) of a verifier-key string; its key id must match."""
    name, sep1, rest = text.strip().partition("+")
    hex_id, sep2, material = rest.partition("+")
    if not (sep1 and sep2) or len(hex_id) != 8:
        raise ProofError(tr(
            "malformed verifier key {text!r}: expected <name>+<id>+<key>", text=text))
    try:
        raw = base64.b64decode(material, validate=True)
        expected_id = bytes.fromhex(hex_id)
    except (binascii.Error, ValueError) as exc:
        raise ProofError(tr(
            "malformed verifier key {text!r}: bad hex or base64", text=text)) from exc
    if len(raw) != 33 or raw[0] != ED25519:
        raise ProofError(tr(
            "verifier key {text!r} is not a 32-byte Ed25519 key (type 0x01)", text=text))
    public_key = Ed25519PublicKey.from_public_bytes(raw[1:])
    if key_id(check_key_name(name), public_key) != expected_id:
        raise ProofError(tr(
            "verifier key {text!r}: the key id does not match name and key", text=text))
    return name, public_key
