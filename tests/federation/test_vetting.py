"""Vetting attestations (pure): the vetting agency's node vouches; nobody else can."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.federation.vetting import Attested, Refusal, attestation, depends_on, read
from tearline.keys import NodeKey, create_node_key
from tearline.model.marking import Marking
from tearline.model.parties import Vetting
from tearline.model.record import build_record
from tearline.model.statement import Provenance

T = datetime(2026, 6, 1, tzinfo=UTC)
UNTIL = datetime(2028, 1, 1, tzinfo=UTC)
VETTED = Vetting("vet-1", "us.dea", "mx.semar.uie", T - timedelta(days=30), UNTIL)


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, NodeKey]:
    return {name: create_node_key(tmp_path / name, name)[0]
            for name in ("us.dea.sod", "mx.semar.uie", "mx.fgr.femdo")}


def test_an_attestation_of_the_vetting_agencys_node_is_read(keys: dict[str, NodeKey]) -> None:
    ended = Vetting("vet-0", "us.dea", "mx.semar.uie", T - timedelta(days=90),
                    T - timedelta(days=60))
    other_unit = Vetting("vet-2", "us.dea", "mx.semar.other", T, UNTIL)
    doc = attestation(keys["us.dea.sod"], "us.dea", "mx.semar.uie",
                      [VETTED, ended, other_unit], T)
    got = read(doc, "us.dea", keys["us.dea.sod"].verifier_key(), ["mx.semar.uie"])
    assert isinstance(got, Attested)
    # only the unit served, only what is in force, with the signed dates
    assert got.vettings == (("vet-1", VETTED.valid_from, UNTIL),)
    assert (got.vetter, got.unit, got.at) == ("us.dea", "mx.semar.uie", T)


def test_a_revoked_vetting_is_attested_until_its_revocation(keys: dict[str, NodeKey]) -> None:
    revoked = Vetting("vet-1", "us.dea", "mx.semar.uie", VETTED.valid_from, UNTIL,
                      revoked_at=T + timedelta(days=1))
    doc = attestation(keys["us.dea.sod"], "us.dea", "mx.semar.uie", [revoked], T)
    got = read(doc, "us.dea", keys["us.dea.sod"].verifier_key(), ["mx.semar.uie"])
    assert isinstance(got, Attested) and got.vettings[0][2] == T + timedelta(days=1)


def test_a_node_of_another_agency_cannot_attest_a_vetting_by_the_dea(
        keys: dict[str, NodeKey]) -> None:
    """FGR's node signs a DEA vetting of one of semar's units: refused whatever it signs."""
    forged = attestation(keys["mx.fgr.femdo"], "us.dea", "mx.semar.uie", [VETTED], T)
    got = read(forged, "mx.fgr", keys["mx.fgr.femdo"].verifier_key(), ["mx.semar.uie"])
    assert isinstance(got, Refusal) and got.reason == "third-agency"
    # ...nor by passing it off as the DEA node's: the signature is not the sender's
    got = read(forged, "us.dea", keys["us.dea.sod"].verifier_key(), ["mx.semar.uie"])
    assert isinstance(got, Refusal) and got.reason == "unverified"


def test_an_attestation_cannot_be_extended_or_aimed_elsewhere(
        keys: dict[str, NodeKey]) -> None:
    doc = attestation(keys["us.dea.sod"], "us.dea", "mx.semar.uie", [VETTED], T)
    longer = copy.deepcopy(doc)
    longer["vettings"][0]["valid_until"] = "2099-01-01T00:00:00.000000Z"
    got = read(longer, "us.dea", keys["us.dea.sod"].verifier_key(), ["mx.semar.uie"])
    assert isinstance(got, Refusal) and got.reason == "unverified"
    # a unit of another node's agency: not ours to record
    got = read(doc, "us.dea", keys["us.dea.sod"].verifier_key(), ["mx.fgr.femdo"])
    assert isinstance(got, Refusal) and got.reason == "third-agency"


@pytest.mark.parametrize("change", [
    {"type": "tearline-consent"}, {"vettings": "all"}, {"at": "yesterday"},
    {"vettings": [{"id": "v", "valid_from": "2027-01-01T00:00:00Z",
                   "valid_until": "2026-01-01T00:00:00Z"}]},
    {"vettings": [{"valid_from": "2026-01-01T00:00:00Z"}]},
])
def test_a_malformed_attestation_is_refused(keys: dict[str, NodeKey],
                                            change: dict[str, object]) -> None:
    from tearline.federation.signing import sign_document

    doc = attestation(keys["us.dea.sod"], "us.dea", "mx.semar.uie", [VETTED], T)
    body = {k: v for k, v in doc.items() if k != "signature"} | change
    got = read(sign_document(keys["us.dea.sod"], body), "us.dea",
               keys["us.dea.sod"].verifier_key(), ["mx.semar.uie"])
    assert isinstance(got, Refusal) and got.reason == "malformed"


def test_records_that_depend_on_a_vetting() -> None:
    by = Provenance("us.dea", "us.dea.sod", T)
    vetted = Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="agr")
    plain = Marking.build("GREEN")
    whole = build_record("p-1", "Person", {"name": ["A"]}, by, vetted, keyer=TEST_KEYER)
    portion = build_record("p-2", "Person", {"name": ["B"], "alias": ["b"]}, by, plain,
                           {"alias": Marking.build("GREEN", ["vetted-by:us.dea"],
                                                   legal_basis="agr")}, keyer=TEST_KEYER)
    neither = build_record("p-3", "Person", {"name": ["C"]}, by, plain, keyer=TEST_KEYER)
    assert depends_on(whole, "us.dea") and depends_on(portion, "us.dea")
    assert not depends_on(neither, "us.dea") and not depends_on(whole, "mx.semar")
