"""Checkpoints in the tlog-checkpoint format, signed, verified and cosigned."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.audit.checkpoint import (
    Checkpoint,
    add_cosignature,
    parse_note,
    sign_note,
    verify_note,
)
from tearline.audit.merkle import EMPTY_ROOT
from tearline.errors import ProofError

LOG = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ORIGIN = "tearline.example/mx.semar/audit"


def test_body_is_the_tlog_checkpoint_layout() -> None:
    checkpoint = Checkpoint(ORIGIN, 0, EMPTY_ROOT)
    assert checkpoint.body() == (f"{ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
    assert Checkpoint.from_body(checkpoint.body()) == checkpoint
    with_extension = Checkpoint(ORIGIN, 3, EMPTY_ROOT, ("ext one",))
    assert Checkpoint.from_body(with_extension.body()) == with_extension


@settings(max_examples=30, deadline=None)
@given(size=st.integers(0, 2**63), root=st.binary(min_size=32, max_size=32))
def test_sign_then_verify_round_trip(size: int, root: bytes) -> None:
    checkpoint = Checkpoint(ORIGIN, size, root)
    note = sign_note(checkpoint, ORIGIN, LOG)
    assert verify_note(note, ORIGIN, LOG.public_key()) == checkpoint


def test_tampered_checkpoints_are_rejected() -> None:
    note = sign_note(Checkpoint(ORIGIN, 10, EMPTY_ROOT), ORIGIN, LOG)
    other_root = base64.b64encode(bytes(32)).decode()
    for tampered in [
        note.replace("\n10\n", "\n11\n"),
        note.replace(base64.b64encode(EMPTY_ROOT).decode(), other_root),
        note.replace(ORIGIN, ORIGIN + "x", 1),
    ]:
        with pytest.raises(ProofError):
            verify_note(tampered, ORIGIN, LOG.public_key())
    with pytest.raises(ProofError):
        verify_note(note, ORIGIN, Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    "body",
    [
        f"{ORIGIN}\n10\n",
        f"{ORIGIN}\n010\n{base64.b64encode(EMPTY_ROOT).decode()}\n",
        f"{ORIGIN}\n-1\n{base64.b64encode(EMPTY_ROOT).decode()}\n",
        f"{ORIGIN}\n１０\n{base64.b64encode(EMPTY_ROOT).decode()}\n",
        f"{ORIGIN}\n10\n{base64.b64encode(EMPTY_ROOT[:31]).decode()}\n",
        f"{ORIGIN}\n10\nnot base64!\n",
        f"\n10\n{base64.b64encode(EMPTY_ROOT).decode()}\n",
        f"{ORIGIN}\n10\n{base64.b64encode(EMPTY_ROOT).decode()}\n\n",
        f"{ORIGIN}\n10\n{base64.b64encode(EMPTY_ROOT).decode()}",
    ],
)
def test_malformed_bodies_are_refused(body: str) -> None:
    with pytest.raises(ProofError):
        Checkpoint.from_body(body)


def test_cosignatures_add_lines_and_keep_the_log_signature_valid() -> None:
    note = sign_note(Checkpoint(ORIGIN, 5, EMPTY_ROOT), ORIGIN, LOG)
    witness = Ed25519PrivateKey.generate()
    cosigned = add_cosignature(note, "witness.example/us.dea", witness)
    assert cosigned.startswith(note)
    assert [s.name for s in parse_note(cosigned).signatures] == [ORIGIN, "witness.example/us.dea"]
    assert verify_note(cosigned, ORIGIN, LOG.public_key()).size == 5
    assert verify_note(cosigned, "witness.example/us.dea", witness.public_key()).size == 5
    with pytest.raises(ProofError):
        add_cosignature("not a checkpoint\n\n" + note.split("\n\n")[1], "w", witness)
