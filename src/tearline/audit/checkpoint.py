"""Checkpoints (c2sp.org/tlog-checkpoint): a log's signed statement of its size and root.

The body of a checkpoint is::

    <origin>\\n
    <tree size, decimal>\\n
    <base64 root hash>\\n
    [extension lines]

and it travels as a signed note (:mod:`tearline.audit.note`), signed by the log's
key — whose name is, by convention, the origin — and cosigned by witnesses.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tearline.audit.merkle import HASH_SIZE
from tearline.audit.note import (
    NoteSignature,
    SignedNote,
    add_signature,
    format_verifier_key,
    open_note,
    parse_note,
    parse_verifier_key,
    sign_text,
)
from tearline.errors import ProofError, tr

__all__ = [
    "Checkpoint",
    "NoteSignature",
    "SignedNote",
    "add_cosignature",
    "format_verifier_key",
    "parse_note",
    "parse_verifier_key",
    "sign_note",
    "verify_note",
]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One tree head of one log, named by its origin."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or self.origin != self.origin.strip() or "\n" in self.origin:
            raise ProofError(tr("invalid checkpoint origin {origin!r}", origin=self.origin))
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            raise ProofError(tr("invalid checkpoint size {size!r}", size=self.size))
        if len(self.root) != HASH_SIZE:
            raise ProofError(tr(
                "checkpoint root must be {HASH_SIZE} bytes, got {root_count}",
                HASH_SIZE=HASH_SIZE, root_count=len(self.root)))
        for line in self.extensions:
            if not line or "\n" in line:
                raise ProofError(tr("invalid checkpoint extension line {line!r}", line=line))

    def body(self) -> str:
        """The note text: origin, size, base64 root, extension lines, each ending in \\n."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"

    @classmethod
    def from_body(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body; strict, as a signature covers exactly these bytes."""
        if not text.endswith("\n"):
            raise ProofError(tr("malformed checkpoint: the body must end with a newline"))
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise ProofError(tr("malformed checkpoint: expected origin, size and root lines"))
        origin, size_text, root_text, *extensions = lines
        if (
            not size_text.isascii()
            or not size_text.isdigit()
            or (size_text.startswith("0") and size_text != "0")
        ):
            raise ProofError(tr(
                "malformed checkpoint: size {size_text!r} is not a decimal number",
                size_text=size_text))
        try:
            root = base64.b64decode(root_text, validate=True)
        except binascii.Error as exc:
            raise ProofError(tr(
                "malformed checkpoint: root {root_text!r} is not base64",
                root_text=root_text)) from exc
        return cls(origin, int(size_text), root, tuple(extensions))

    def describe(self) -> str:
        return f"{self.origin} size {self.size} root {self.root.hex()}"


def sign_note(checkpoint: Checkpoint, name: str, private_key: Ed25519PrivateKey) -> str:
    """The checkpoint as a signed note, signed by the key called ``name``."""
    return sign_text(checkpoint.body(), name, private_key)


def verify_note(note: str, name: str, public_key: Ed25519PublicKey) -> Checkpoint:
    """The checkpoint in ``note`` once its signature by (``name``, ``public_key``) checks.

    Raises :class:`ProofError` for a bad signature, a missing one, or a malformed body.
    Signatures by unknown keys (other witnesses) are ignored, as the spec requires.
    """
    return Checkpoint.from_body(open_note(note, name, public_key))


def add_cosignature(note: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """``note`` with a cosignature by ``name`` over the same checkpoint text.

    Cosigning states "I have checked this checkpoint"; :func:`tearline.audit.witness.cosign`
    is the function that does the checking before it calls this one.
    """
    Checkpoint.from_body(parse_note(note).text)  # only checkpoints get cosigned
    return add_signature(note, name, private_key)
