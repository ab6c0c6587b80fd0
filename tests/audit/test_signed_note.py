"""C2SP signed notes: byte-for-byte agreement with the Go implementation, and rejection."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.audit.note import (
    add_signature,
    format_verifier_key,
    key_id,
    open_note,
    parse_note,
    parse_verifier_key,
    sign_text,
)
from tearline.errors import ProofError

GO = json.loads((Path(__file__).parent / "data" / "signed_note_go.json").read_text())


def go_signer() -> Ed25519PrivateKey:
    # PRIVATE+KEY+<name>+<id>+base64(0x01 || seed); the base64 may itself hold '+'.
    raw = base64.b64decode(GO["signer_key"].split("+", 4)[4])
    assert raw[0] == 1
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


def test_signing_reproduces_the_go_note_byte_for_byte() -> None:
    assert sign_text(GO["text"], "PeterNeumann", go_signer()) == GO["note"]


def test_verifier_key_strings_round_trip_with_the_go_form() -> None:
    name, public_key = parse_verifier_key(GO["verifier_key"])
    assert name == "PeterNeumann"
    assert key_id(name, public_key).hex() == "c74f20a3"
    assert format_verifier_key(name, public_key) == GO["verifier_key"]
    assert open_note(GO["note"], name, public_key) == GO["text"]


@pytest.mark.parametrize(
    "bad",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong id
        "PeterNeumanm+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong name
        "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # bad base64
        "PeterNeumann+c74f20a3+AhpcdQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # type 0x02
        "PeterNeumann+c74f20a3",
        "PeterNeumann",
    ],
)
def test_malformed_verifier_keys_are_refused(bad: str) -> None:
    with pytest.raises(ProofError):
        parse_verifier_key(bad)


def test_every_changed_character_of_a_note_is_detected() -> None:
    name, public_key = parse_verifier_key(GO["verifier_key"])
    note = GO["note"]
    for position, char in enumerate(note):
        if char in "\n\u2014":
            continue  # changing the framing is a parse error, tested below
        swapped = "a" if char != "a" else "b"
        tampered = note[:position] + swapped + note[position + 1 :]
        with pytest.raises(ProofError):
            open_note(tampered, name, public_key)


def test_unknown_signatures_are_ignored_and_a_bad_known_one_rejects() -> None:
    name, public_key = parse_verifier_key(GO["verifier_key"])
    other = Ed25519PrivateKey.generate()
    with_other = add_signature(GO["note"], "witness.example/w1", other)
    assert open_note(with_other, name, public_key) == GO["text"]
    assert len(parse_note(with_other).signatures) == 2
    # Same name, other key: an unknown key, ignored; but alone it is no signature at all.
    impostor = sign_text(GO["text"], "PeterNeumann", other)
    with pytest.raises(ProofError, match="no signature by PeterNeumann"):
        open_note(impostor, name, public_key)
    # A signature line with the right name and id but a wrong signature rejects the note.
    good = parse_note(GO["note"]).signatures[0]
    forged_blob = base64.b64encode(good.key_id + bytes(64)).decode()
    forged = GO["text"] + "\n\u2014 PeterNeumann " + forged_blob + "\n"
    with pytest.raises(ProofError, match="does not verify"):
        open_note(forged + "", name, public_key)


@pytest.mark.parametrize(
    ("note", "why"),
    [
        ("text\n", "no blank line"),
        ("text\n\n", "no signature lines"),
        ("text\n\n- name AAAAAAA=\n", "must start with"),
        ("text\n\n\u2014 name\n", "expected"),
        ("text\n\n\u2014 name !!!!\n", "base64"),
        ("text\n\n\u2014 name AAAA\n", "too short"),
        ("text\n\n\u2014 na+me AAAAAAAA\n", "key name"),
        ("te\txt\n\n\u2014 name AAAAAAAA\n", "control"),
        ("text\n\n\u2014 name AAAAAAAA", "end with a newline"),
        ("\n\n\u2014 name AAAAAAAA\n", "empty text"),
        ("text\n\n" + "\u2014 name AAAAAAAA\n" * 65, "at most"),
    ],
)
def test_malformed_notes_are_refused(note: str, why: str) -> None:
    with pytest.raises(ProofError, match=why):
        parse_note(note)


def test_a_key_cannot_sign_the_same_note_twice() -> None:
    with pytest.raises(ProofError, match="already"):
        add_signature(GO["note"], "PeterNeumann", go_signer())
