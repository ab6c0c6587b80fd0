"""RFC 9497 OPRF(ristretto255, SHA-512) base mode against the RFC's own vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tearline.deconflict import group, oprf
from tearline.errors import ValidationError

DATA = Path(__file__).parent / "data"
RFC9497 = json.loads((DATA / "rfc9497_ristretto255_sha512_oprf.json").read_text())
RFC9380 = json.loads((DATA / "rfc9380_expand_message_xmd_sha512.json").read_text())


def h(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize(
    "vector", RFC9380["vectors"], ids=lambda v: f"{v['msg']!r}-{v['len_in_bytes']}")
def test_expand_message_xmd_matches_rfc9380(vector: dict[str, Any]) -> None:
    out = group.expand_message_xmd(
        vector["msg"].encode(), RFC9380["DST"].encode(), vector["len_in_bytes"])
    assert out.hex() == vector["uniform_bytes"]


def test_context_string_is_the_rfcs() -> None:
    assert oprf.CONTEXT == b"OPRFV1-\x00-ristretto255-SHA512"


def test_derive_key_pair_gives_the_rfc_key() -> None:
    sk, pk = oprf.derive_key_pair(h(RFC9497["Seed"]), h(RFC9497["KeyInfo"]))
    assert sk.hex() == RFC9497["skSm"]
    assert pk == group.scalar_mult_base(sk)


@pytest.mark.parametrize("vector", RFC9497["vectors"], ids=lambda v: v["name"])
def test_blind_evaluate_finalize_match_rfc9497(vector: dict[str, Any]) -> None:
    sk = h(RFC9497["skSm"])
    data = h(vector["Input"])
    blinded = oprf.blind(data, h(vector["Blind"]))
    assert blinded.element.hex() == vector["BlindedElement"]
    evaluated = oprf.blind_evaluate(sk, blinded.element)
    assert evaluated.hex() == vector["EvaluationElement"]
    assert oprf.finalize(data, blinded.blind, evaluated).hex() == vector["Output"]
    assert oprf.evaluate(sk, data).hex() == vector["Output"]


def test_a_random_blind_gives_the_same_output() -> None:
    sk = h(RFC9497["skSm"])
    first, second = oprf.blind(b"+525512345678"), oprf.blind(b"+525512345678")
    assert first.element != second.element  # the key holder sees unrelated elements
    outputs = {oprf.finalize(b"+525512345678", b.blind, oprf.blind_evaluate(sk, b.element))
               for b in (first, second)}
    assert outputs == {oprf.evaluate(sk, b"+525512345678")}


@pytest.mark.parametrize("bad", [
    group.IDENTITY, b"\xff" * 32, b"\x01" + bytes(31), b"short",
], ids=["identity", "non-canonical", "negative", "short"])
def test_a_bad_blinded_element_is_a_typed_error(bad: bytes) -> None:
    with pytest.raises(ValidationError):
        oprf.blind_evaluate(h(RFC9497["skSm"]), bad)


@pytest.mark.parametrize("bad", [group.ZERO, (group.ORDER).to_bytes(32, "little"), b"x"])
def test_a_bad_key_or_blind_is_a_typed_error(bad: bytes) -> None:
    element = oprf.blind(b"x").element
    with pytest.raises(ValidationError):
        oprf.blind_evaluate(bad, element)
    with pytest.raises(ValidationError):
        oprf.blind(b"x", bad)


def test_an_oversized_input_is_refused() -> None:
    with pytest.raises(ValidationError, match="at most"):
        oprf.blind(bytes(oprf.MAX_INPUT + 1))
