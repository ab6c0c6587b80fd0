"""Federation peers in the store: append-only trust, bound to one of our units, audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tearline.errors import Conflict, NotFound, ValidationError
from tearline.federation.identity import NodeIdentity, init_node
from tearline.model.parties import Agency, Unit
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties
from tearline.store.peers import (
    Peer,
    add_peer,
    peer_by_certificate,
    peer_by_name,
    peers,
    remove_peer,
)
from tearline.store.store import Store

T = datetime(2026, 3, 1, tzinfo=UTC)


def identity(tmp: Path, folder: str, agency: str, unit: str) -> NodeIdentity:
    return init_node(tmp / folder, agency, unit).identity


@pytest.fixture
def seeded(store: Store) -> Store:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        parties.put_unit(conn, Unit("mx.semar.uie", "mx.semar", "UIE"), T)
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), T)
    return store


def test_add_list_find_remove(seeded: Store, tmp_path: Path) -> None:
    semar = Peer.from_identity(identity(tmp_path, "s", "mx.semar", "mx.semar.uie"))
    with seeded.transaction() as conn:
        added = add_peer(conn, semar, T, by="admin@us.dea.sod")
    assert added.subject == Subject("mx.semar.uie", "mx.semar")
    assert added.added_at == T and added.active
    with seeded.reading() as conn:
        assert [p.name for p in peers(conn)] == ["mx.semar.uie"]
        assert peer_by_name(conn, "mx.semar.uie") == added
        assert peer_by_certificate(conn, semar.cert_sha256) == added
        assert peer_by_certificate(conn, semar.cert_sha256.upper()) == added
        assert peer_by_certificate(conn, "0" * 64) is None
    with seeded.transaction() as conn:
        removed = remove_peer(conn, "mx.semar.uie", T + timedelta(days=1))
    assert removed.removed_at == T + timedelta(days=1)
    with seeded.reading() as conn:
        assert peers(conn) == []
        assert peer_by_certificate(conn, semar.cert_sha256) is None
        with pytest.raises(NotFound):
            peer_by_name(conn, "mx.semar.uie")
        assert [p.removed_at for p in peers(conn, include_removed=True)] == [removed.removed_at]


def test_history_is_kept_when_a_peer_is_replaced(seeded: Store, tmp_path: Path) -> None:
    old = Peer.from_identity(identity(tmp_path, "old", "mx.semar", "mx.semar.uie"))
    new = Peer.from_identity(identity(tmp_path, "new", "mx.semar", "mx.semar.uie"))
    with seeded.transaction() as conn:
        add_peer(conn, old, T)
        with pytest.raises(Conflict, match="remove it first"):
            add_peer(conn, new, T)
    with seeded.transaction() as conn:
        remove_peer(conn, old.name, T + timedelta(hours=1))
        add_peer(conn, new, T + timedelta(hours=2))
    with seeded.reading() as conn:
        history = peers(conn, include_removed=True)
        assert [(p.cert_sha256, p.active) for p in history] == [
            (old.cert_sha256, False), (new.cert_sha256, True)]
        assert peer_by_certificate(conn, old.cert_sha256) is None
        assert peer_by_certificate(conn, new.cert_sha256) is not None
        log = [json.loads(e.body) for e in audit_log.entries(conn)
               if e.kind in ("party.changed", "key.changed")]
    peer_events = [(e["kind"], e.get("action"), e.get("version")) for e in log
                   if e.get("party", e.get("owner")) == "node:mx.semar.uie"]
    assert peer_events == [
        ("party.changed", "created", 1), ("key.changed", "created", None),
        ("party.changed", "disabled", 2), ("key.changed", "revoked", None),
        ("party.changed", "updated", 3), ("key.changed", "created", None),
    ]


def test_a_certificate_or_key_trusted_for_one_peer_cannot_be_reused(
    seeded: Store, tmp_path: Path,
) -> None:
    semar = Peer.from_identity(identity(tmp_path, "s", "mx.semar", "mx.semar.uie"))
    dea = Peer.from_identity(identity(tmp_path, "d", "us.dea", "us.dea.sod"))
    with seeded.transaction() as conn:
        add_peer(conn, semar, T)
    impostor_cert = Peer(**{**_fields(dea), "tls_certificate": semar.tls_certificate,
                            "cert_sha256": semar.cert_sha256})
    impostor_key = Peer(**{**_fields(dea), "verifier_key": semar.verifier_key})
    for impostor, what in ((impostor_cert, "certificate"), (impostor_key, "signing key")):
        with seeded.transaction() as conn, pytest.raises(Conflict, match=what):
            add_peer(conn, impostor, T)


def _fields(p: Peer) -> dict[str, object]:
    return {k: getattr(p, k) for k in Peer.__slots__}  # type: ignore[attr-defined]


def test_the_unit_must_be_ours_and_of_the_peers_agency(seeded: Store, tmp_path: Path) -> None:
    unknown = Peer.from_identity(identity(tmp_path, "f", "mx.fgr", "mx.fgr.aic"))
    with seeded.transaction() as conn, pytest.raises(ValidationError, match="unknown unit"):
        add_peer(conn, unknown, T)
    semar = Peer.from_identity(identity(tmp_path, "s", "mx.semar", "mx.semar.uie"))
    lying = Peer(**{**_fields(semar), "agency": "us.dea", "unit": "us.dea.sod"})
    with seeded.transaction() as conn:
        add_peer(conn, lying, T)  # consistent: it claims us.dea.sod, and is bound to it
    wrong_agency = Peer(**{**_fields(semar), "name": "x", "agency": "mx.semar",
                           "unit": "mx.semar.uie", "cert_sha256": "0" * 64})
    with seeded.transaction() as conn, pytest.raises(ValidationError, match="SHA-256"):
        add_peer(conn, wrong_agency, T)
    with seeded.reading() as conn:
        assert [p.name for p in peers(conn)] == [semar.name]


def test_removing_an_unknown_peer(seeded: Store) -> None:
    with seeded.transaction() as conn, pytest.raises(NotFound):
        remove_peer(conn, "nobody", T)


def test_a_peer_is_a_tearline_node_unless_declared_standard(seeded: Store, tmp_path: Path
                                                            ) -> None:
    semar = Peer.from_identity(identity(tmp_path, "s", "mx.semar", "mx.semar.uie"))
    misp = Peer.from_identity(identity(tmp_path, "m", "mx.semar", "mx.semar.uie"),
                              tearline_node=False)
    misp = Peer(**{**{f: getattr(misp, f) for f in Peer.__dataclass_fields__},
                   "name": "semar-misp"})
    with seeded.transaction() as conn:
        add_peer(conn, semar, T)
        add_peer(conn, misp, T)
    with seeded.reading() as conn:
        assert peer_by_name(conn, "mx.semar.uie").tearline_node
        assert not peer_by_name(conn, "semar-misp").tearline_node
        assert not peer_by_certificate(conn, misp.cert_sha256).tearline_node  # type: ignore[union-attr]
