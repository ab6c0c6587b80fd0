"""Who may speak for whom: the pure verdict on each delivered record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from statement_keys import TEST_KEYER
from tearline.federation.entitlement import CONSENT_TYPE, judge
from tearline.federation.signing import sign_document, verify_document
from tearline.keys import NodeKey, create_node_key
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance

AT = datetime(2026, 1, 5, tzinfo=UTC)


def person(entity: str, origin: str, **extra: Any) -> Record:
    record = build_record(entity, "Person", {"name": [f"{origin} name"]},
                          Provenance(origin, f"{origin}.hq", AT), Marking.build("GREEN"),
                              keyer=TEST_KEYER)
    return replace(record, extra=extra) if extra else record


def merged(a: Record, b: Record) -> Record:
    return replace(a, statements=a.statements + b.statements)


@pytest.fixture
def fgr_key(tmp_path: Path) -> NodeKey:
    return create_node_key(tmp_path / "fgr", "mx.fgr.femdo")[0]


def consent(key: NodeKey, entity: str = "p-1", by: str = "mx.fgr",
            to: str = "mx.semar") -> dict[str, Any]:
    return sign_document(key, {"type": CONSENT_TYPE, "consent_id": "con-1",
                               "entity_id": entity, "by_agency": by, "to_agency": to,
                               "at": "2026-01-05T00:00:00.000000Z"})


def verdict(record: Record, keys: dict[str, list[str]] | None = None,
            existing: str | None = None) -> Any:
    return judge(record, "mx.semar", "us.dea", existing, keys or {}, verify_document)


def test_a_peer_speaks_for_its_own_agency() -> None:
    v = verdict(person("p-1", "mx.semar"))
    assert v.kind == "own" and v.record == person("p-1", "mx.semar")


def test_our_own_records_coming_back_are_echoes_not_stored() -> None:
    assert verdict(person("p-1", "us.dea")).kind == "echo"
    mixed = verdict(merged(person("p-1", "mx.semar"), person("p-1", "us.dea")))
    assert mixed.kind == "own" and mixed.record is not None
    assert {s.origin for s in mixed.record.statements} == {"mx.semar"}


def test_a_peer_never_takes_over_another_agencys_record() -> None:
    v = verdict(person("p-1", "mx.semar"), existing="mx.fgr")
    assert v.kind == "overwrite" and v.record is None


def test_a_third_agency_without_consent_is_refused(fgr_key: NodeKey) -> None:
    assert verdict(person("p-1", "mx.fgr")).kind == "third-agency"
    # a statement of a third agency smuggled into the peer's own record
    smuggled = merged(person("p-1", "mx.semar"), person("p-1", "mx.fgr"))
    assert verdict(smuggled).kind == "third-agency"
    # a consent the peer only claims (unsigned, or signed by the peer itself)
    claimed = {"type": CONSENT_TYPE, "entity_id": "p-1", "by_agency": "mx.fgr",
               "to_agency": "mx.semar"}
    keys = {"mx.fgr": [fgr_key.verifier_key()]}
    assert verdict(person("p-1", "mx.fgr", consents=[claimed]), keys).kind == "third-agency"


def test_a_consent_signed_by_the_originators_node_travels_with_the_record(
        fgr_key: NodeKey, tmp_path: Path) -> None:
    keys = {"mx.fgr": [fgr_key.verifier_key()]}
    ok = verdict(person("p-1", "mx.fgr", consents=[consent(fgr_key)]), keys)
    assert ok.kind == "consent" and ok.record is not None
    semar_key = create_node_key(tmp_path / "semar", "mx.semar.uie")[0]
    wrong = [
        consent(fgr_key, entity="p-2"),  # another record
        consent(fgr_key, to="mx.fgr"),  # to another agency
        consent(fgr_key, by="us.dea"),  # in another agency's name
        consent(semar_key),  # signed by the sender itself
    ]
    for doc in wrong:
        assert verdict(person("p-1", "mx.fgr", consents=[doc]), keys).kind == "third-agency"
    # a valid consent, but we know no node of mx.fgr to check it against
    assert verdict(person("p-1", "mx.fgr", consents=[consent(fgr_key)])).kind == "third-agency"
    tampered = consent(fgr_key)
    tampered["to_agency"] = "mx.semar"
    tampered["entity_id"] = "p-9"
    assert verdict(person("p-9", "mx.fgr", consents=[tampered]), keys).kind == "third-agency"
