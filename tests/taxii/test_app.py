"""The TAXII 2.1 server over ASGI, on both backends: resources, filters, pages, signatures,
errors, and what a peer must never learn."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from taxiiworld import DEA, ROOT, SECRETS, Node, PeerClient, T, build_node, untraced

from statement_keys import TEST_KEYER
from tearline.federation.identity import init_node
from tearline.federation.receipts import build_receipt
from tearline.keys import load_node_key
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.stix.export import object_id
from tearline.store import audit_log
from tearline.store.delivery_receipts import receipt_objects
from tearline.store.peers import remove_peer
from tearline.store.store import Store
from tearline.taxii.collection import collection_id

SEMAR = "mx.semar.uie"
FGR = "mx.fgr.aic"
C_SEMAR = collection_id("agr-semar")
C_FGR = collection_id("agr-fgr")


@pytest.fixture
def node(store: Store, tmp_path: Path) -> Iterator[Node]:
    built = build_node(store, tmp_path)
    yield built
    built.close()


def objects_url(cid: str) -> str:
    return f"{ROOT}collections/{cid}/objects/"


def all_objects(client: PeerClient, cid: str, limit: int = 100) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    target = f"{objects_url(cid)}?limit={limit}"
    while True:
        answer = client.get(target)
        assert answer.status == 200, answer.body
        out += answer.body.get("objects", [])
        if not answer.body["more"]:
            return out
        target = f"{objects_url(cid)}?limit={limit}&next={answer.body['next']}"


def log(store: Store) -> list[dict[str, Any]]:
    with store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, limit=100_000)]


def test_discovery_root_and_collections(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    discovery = semar.get("/taxii2/")
    assert discovery.status == 200 and discovery.body["api_roots"] == [ROOT]
    root = semar.get(ROOT)
    assert root.body["versions"] == ["application/taxii+json;version=2.1"]
    assert root.body["max_content_length"] > 0
    listed = semar.get(f"{ROOT}collections/").body["collections"]
    assert [(c["id"], c["alias"], c["can_read"], c["can_write"]) for c in listed] == [
        (C_SEMAR, "agr-semar", True, False)]
    assert semar.get(f"{ROOT}collections/{C_SEMAR}/").body == listed[0]
    fgr = node.as_peer(FGR)
    assert [c["id"] for c in fgr.get(f"{ROOT}collections/").body["collections"]] == [C_FGR]


def test_a_peer_gets_exactly_what_its_unit_may_see(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    answer = semar.get(objects_url(C_SEMAR))
    assert answer.status == 200 and answer.body["more"] is False
    ids = {o["id"] for o in answer.body["objects"]}
    assert object_id("p-shared", "Person") in ids
    assert object_id("p-friend", "Person") in ids
    for hidden, schema in (("p-secret", "Person"), ("p-fgr", "Person"),
                           ("p-other-unit", "Person"), ("l-hidden", "UnknownLink")):
        assert object_id(hidden, schema) not in ids
    text = answer.raw.decode()
    for secret in SECRETS:
        assert secret not in text
    assert "p-secret" not in text and "l-hidden" not in text
    assert answer.headers["x-taxii-date-added-first"] <= answer.headers["x-taxii-date-added-last"]
    served = [e for e in log(node.store) if e["kind"] == "record.read"
              and e["path"] == "federation"]
    assert {e["entity_id"] for e in served} == {"p-shared", "p-friend", "l-known"}
    assert all(e["actor"] == f"node:{SEMAR}" and e["subject"] == f"unit:{SEMAR}"
               for e in served)
    shared = next(o for o in answer.body["objects"] if o["id"] == object_id("p-shared", "Person"))
    sent = {s["id"] for s in json.dumps(shared) and _statements(shared)}
    logged = next(e for e in served if e["entity_id"] == "p-shared")["statement_ids"]
    assert sent == set(logged) and len(sent) == 1  # the name, never the RED birth date


def _statements(obj: dict[str, Any]) -> list[dict[str, Any]]:
    for ext in obj.get("extensions", {}).values():
        if isinstance(ext, dict) and "statements" in ext:
            return list(ext["statements"])
    raise AssertionError("no statements in the tearline extension")


def test_other_collections_and_hidden_objects_answer_like_missing_ones(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    missing = semar.get(f"{ROOT}collections/{uuid.uuid4()}/")
    foreign = semar.get(f"{ROOT}collections/{C_FGR}/")
    unrelated = semar.get(f"{ROOT}collections/{collection_id('agr-other')}/")
    for answer in (missing, foreign, unrelated):
        assert answer.status == 404
        assert answer.body == missing.body
    assert missing.body["http_status"] == "404" and missing.body["title"] == "Not Found"
    assert semar.get(objects_url(C_FGR)).body == missing.body
    absent = semar.get(f"{objects_url(C_SEMAR)}{object_id('never-was', 'Person')}/")
    hidden = semar.get(f"{objects_url(C_SEMAR)}{object_id('p-secret', 'Person')}/")
    elsewhere = semar.get(f"{objects_url(C_SEMAR)}{object_id('p-fgr', 'Person')}/")
    link = semar.get(f"{objects_url(C_SEMAR)}{object_id('l-hidden', 'UnknownLink')}/")
    assert absent.status == 404
    for answer in (hidden, elsewhere, link):
        assert (answer.status, answer.body) == (absent.status, absent.body)
    for version in (hidden, absent):
        v = semar.get(f"{objects_url(C_SEMAR)}{object_id('p-secret', 'Person')}/versions/")
        assert (v.status, v.body) == (version.status, version.body)
    fgr = node.as_peer(FGR)
    assert fgr.get(f"{objects_url(C_FGR)}{object_id('p-shared', 'Person')}/").status == 404


def test_one_object_its_versions_and_the_manifest(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    sid = object_id("p-shared", "Person")
    one = semar.get(f"{objects_url(C_SEMAR)}{sid}/")
    assert one.status == 200 and [o["id"] for o in one.body["objects"]] == [sid]
    version = one.body["objects"][0]["modified"]
    versions = semar.get(f"{objects_url(C_SEMAR)}{sid}/versions/")
    assert versions.body == {"more": False, "versions": [version]}
    assert semar.get(f"{objects_url(C_SEMAR)}{sid}/?match[version]={version}").status == 200
    assert semar.get(f"{objects_url(C_SEMAR)}{sid}/?match[version]=2001-01-01T00:00:00Z"
                     ).status == 404
    manifest = semar.get(f"{ROOT}collections/{C_SEMAR}/manifest/")
    entries = {m["id"]: m for m in manifest.body["objects"]}
    assert entries[sid]["version"] == version
    assert entries[sid]["media_type"] == "application/stix+json;version=2.1"
    objects = semar.get(objects_url(C_SEMAR)).body["objects"]
    assert set(entries) == {o["id"] for o in objects}


def test_filters(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    persons = semar.get(f"{objects_url(C_SEMAR)}?match[type]=identity,threat-actor")
    assert {o["type"] for o in persons.body["objects"]} <= {"identity", "threat-actor"}
    sid = object_id("p-friend", "Person")
    by_id = semar.get(f"{objects_url(C_SEMAR)}?match[id]={sid}")
    assert [o["id"] for o in by_id.body["objects"]] == [sid]
    secret = object_id("p-secret", "Person")
    assert "objects" not in semar.get(f"{objects_url(C_SEMAR)}?match[id]={secret}").body
    assert "objects" not in semar.get(f"{objects_url(C_SEMAR)}?match[spec_version]=2.0").body
    later = semar.get(f"{objects_url(C_SEMAR)}?added_after=2999-01-01T00:00:00Z")
    assert later.body == {"more": False}
    last = semar.get(objects_url(C_SEMAR)).headers["x-taxii-date-added-last"]
    assert semar.get(f"{objects_url(C_SEMAR)}?added_after={last}").body == {"more": False}
    node.store.write([build_record("p-late", "Person", {"name": ["Late Arrival"]}, DEA,
                                   Marking.build("AMBER", ["unit:mx.semar.uie"],
                                                 legal_basis="agr-semar"), keyer=TEST_KEYER)])
    after = semar.get(f"{objects_url(C_SEMAR)}?added_after={last}")
    mains = {o["id"] for o in after.body["objects"]}
    assert object_id("p-late", "Person") in mains
    assert object_id("p-shared", "Person") not in mains
    assert after.headers["x-taxii-date-added-first"] > last


@pytest.mark.parametrize("query", ["limit=0", "limit=x", "added_after=yesterday",
                                   "match[version]=newest", "match[colour]=red", "next=abc",
                                   "limit=1&limit=2"])
def test_bad_parameters_are_400_envelopes(node: Node, query: str) -> None:
    answer = node.as_peer(SEMAR).get(f"{objects_url(C_SEMAR)}?{query}")
    assert answer.status == 400 and answer.body["http_status"] == "400"
    assert answer.body["description"]


def test_protocol_errors_are_signed_envelopes(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    assert semar.get("/taxii2/nothing/").status == 404
    assert semar.get("/taxii2/api/collections").status == 404  # no unsigned redirect
    assert semar.request("PUT", objects_url(C_SEMAR)).status == 405
    assert semar.get(ROOT, headers={"Accept": "text/html"}).status == 406
    posted = semar.request("POST", objects_url(C_SEMAR), body=b'{"objects": []}')
    assert posted.status == 403 and posted.body["http_status"] == "403"
    wrong_type = semar.request("POST", objects_url(C_SEMAR), body=b"{}",
                               headers={"Content-Type": "text/plain"})
    assert wrong_type.status == 415
    deleted = semar.request("DELETE", f"{objects_url(C_SEMAR)}{object_id('p-shared', 'Person')}/")
    assert deleted.status == 403
    assert semar.get(f"{ROOT}status/{uuid.uuid4()}/").status == 404


def test_pages_with_opaque_cursors(store: Store, tmp_path: Path) -> None:
    node = build_node(store, tmp_path, extra_shared=23)
    try:
        _walk_pages(node)
    finally:
        node.close()


def _walk_pages(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    seen: list[str] = []
    expected = {object_id(f"p-bulk-{n:03d}", "Person") for n in range(23)}
    expected |= {object_id("p-shared", "Person"), object_id("p-friend", "Person")}
    target = f"{objects_url(C_SEMAR)}?limit=10&match[type]=identity"
    pages = 0
    while True:
        answer = semar.get(target)
        pages += 1
        seen += [o["id"] for o in answer.body.get("objects", []) if o["id"] in expected]
        if not answer.body["more"]:
            break
        cursor = answer.body["next"]
        assert "p-bulk" not in cursor
        # bound to the peer and the query: reused elsewhere it is refused
        other = node.as_peer(FGR).get(f"{objects_url(C_FGR)}?limit=10&match[type]=identity"
                                      f"&next={cursor}")
        assert other.status == 400
        changed = semar.get(f"{objects_url(C_SEMAR)}?limit=10&match[type]=location"
                            f"&next={cursor}")
        assert changed.status == 400
        resized = semar.get(f"{objects_url(C_SEMAR)}?limit=3&match[type]=identity&next={cursor}")
        assert resized.status == 200  # the page size may change between pages
        target = f"{objects_url(C_SEMAR)}?limit=10&match[type]=identity&next={cursor}"
    assert pages == 3  # 2 + 23 persons = 25 records and a link: 26 records, 10 a page
    assert sorted(seen) == sorted(expected)  # each record once
    paged = [o["id"] for o in all_objects(semar, C_SEMAR, limit=7)]
    whole = [o["id"] for o in all_objects(semar, C_SEMAR, 1000)]
    assert set(paged) == set(whole) and len(whole) == len(set(whole))


def test_unknown_and_removed_certificates_are_refused_and_logged(node: Node,
                                                                 tmp_path: Path) -> None:
    stranger = init_node(tmp_path / "stranger", "mx.semar", "mx.semar.uie").identity
    for client in (node.client(stranger.tls_certificate), node.client(None)):
        answer = client.get(objects_url(C_SEMAR))
        assert answer.status == 401 and "objects" not in answer.body
        assert client.get("/taxii2/").status == 401
    failed = [e for e in log(node.store) if e["kind"] == "auth.failed"]
    assert {e["reason"] for e in failed} == {"unknown", "missing"}
    assert all(e["channel"] == "taxii" for e in failed)
    assert stranger.cert_sha256[:8] in {e["token_prefix"] for e in failed}
    semar = node.as_peer(SEMAR)
    assert semar.get(ROOT).status == 200
    with node.store.transaction() as conn:
        remove_peer(conn, SEMAR, datetime.now(UTC))
    assert semar.get(ROOT).status == 401


def test_receipts(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    peer_key = load_node_key(node.peers[SEMAR][1])
    objects = semar.get(objects_url(C_SEMAR)).body["objects"]
    receipt = build_receipt(peer_key, SEMAR, C_SEMAR,
                            [(o["id"], o.get("modified", o["created"])) for o in objects],
                            T)
    url = f"{ROOT}tearline/receipts/"
    ok = semar.request("POST", url, body=json.dumps(receipt).encode())
    assert ok.status == 200 and ok.body["objects"] == len(objects)
    tampered = {**receipt, "objects": receipt["objects"][:1]}
    assert semar.request("POST", url, body=json.dumps(tampered).encode()).status == 400
    fgr_key = load_node_key(node.peers[FGR][1])
    forged = build_receipt(fgr_key, SEMAR, C_SEMAR, [], T)
    assert semar.request("POST", url, body=json.dumps(forged).encode()).status == 400
    other_node = build_receipt(peer_key, FGR, C_SEMAR, [], T)
    assert semar.request("POST", url, body=json.dumps(other_node).encode()).status == 400
    assert semar.request("POST", url, body=b"[not json").status == 400
    entries = log(node.store)
    recorded = [e for e in entries if e["kind"] == "receipt.recorded"]
    refused = [e["reason"] for e in entries if e["kind"] == "receipt.refused"]
    assert [(e["peer"], e["object_count"], e["collection"]) for e in recorded] == [
        (f"node:{SEMAR}", len(objects), C_SEMAR)]
    assert refused == ["bad-signature", "bad-signature", "wrong-node", "malformed"]
    # the objects a verified receipt names are kept (refused ones: nothing)
    with node.store.reading() as conn:
        kept = conn.execute(select(receipt_objects.c.peer, receipt_objects.c.object_id)).all()
    assert sorted(kept) == sorted((f"node:{SEMAR}", o["id"]) for o in objects)


def _comparable(answer_body: dict[str, Any]) -> Any:
    """An answer without what depends on when things were written (dates added, cursors)
    or on the node's trace secret."""
    out = dict(answer_body)
    out.pop("next", None)
    out["objects"] = sorted((untraced(o) for o in out.get("objects", [])),
                            key=lambda o: (o["id"], json.dumps(o, sort_keys=True)))
    return out


def test_hidden_records_change_nothing_a_peer_receives(db_url: str, tmp_path: Path) -> None:
    """The same world without what semar may not see gives semar byte-equal content."""
    answers = []
    for hidden, folder in ((True, "with"), (False, "without")):
        store = Store.open(db_url if hidden else f"sqlite:///{tmp_path / 'twin.sqlite'}")
        node = build_node(store, tmp_path / folder, hidden=hidden)
        semar = node.as_peer(SEMAR)
        try:
            sid = object_id("p-secret", "Person")
            answers.append([
                _comparable(semar.get(f"{objects_url(C_SEMAR)}?limit=1000").body),
                _comparable(semar.get(f"{ROOT}collections/{C_SEMAR}/manifest/").body),
                semar.get(f"{ROOT}collections/").body,
                _comparable(semar.get(f"{objects_url(C_SEMAR)}?match[type]=relationship").body),
                _comparable(semar.get(f"{objects_url(C_SEMAR)}{sid}/").body),
                _comparable(semar.get(f"{objects_url(C_SEMAR)}?match[id]={sid}").body),
            ])
        finally:
            node.close()
            store.close()
    assert answers[0] == answers[1]


def test_pages_at_the_largest_page_size(store: Store, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A page as large as allowed still says that more follows (the feed asks for one more)."""
    import tearline.store.feed as feed_module
    import tearline.taxii.wire as wire_module

    monkeypatch.setattr(feed_module, "MAX_LIMIT", 5)
    monkeypatch.setattr(wire_module, "MAX_LIMIT", 5)
    node = build_node(store, tmp_path, extra_shared=9)
    try:
        semar = node.as_peer(SEMAR)
        first = semar.get(f"{objects_url(C_SEMAR)}?limit=500")
        assert first.body["more"] is True
        expected = {object_id(f"p-bulk-{n:03d}", "Person") for n in range(9)}
        assert expected <= {o["id"] for o in all_objects(semar, C_SEMAR, limit=500)}
    finally:
        node.close()


def test_every_visible_record_is_in_exactly_one_collection(node: Node) -> None:
    """A record citing none of the peer's agreements is in its default (first) collection."""
    from tearline.model.parties import Agreement
    from tearline.store import parties

    with node.store.transaction() as conn:
        parties.put_agreement(conn, Agreement("agr-semar-2", "Second", "mlat",
                                              frozenset({"us.dea", "mx.semar"})), T)
    node.store.write([
        build_record("p-elsewhere", "Person", {"name": ["Elsa Paz"]}, DEA,
                     Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-other"),
                         keyer=TEST_KEYER),
        build_record("p-second", "Person", {"name": ["Segundo Paz"]}, DEA,
                     Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar-2"),
                         keyer=TEST_KEYER),
    ])
    semar = node.as_peer(SEMAR)
    listed = [c["id"] for c in semar.get(f"{ROOT}collections/").body["collections"]]
    second = collection_id("agr-semar-2")
    assert listed == [C_SEMAR, second]
    first_ids = {o["id"] for o in all_objects(semar, C_SEMAR)}
    second_ids = {o["id"] for o in all_objects(semar, second)}
    assert object_id("p-elsewhere", "Person") in first_ids - second_ids
    assert object_id("p-second", "Person") in second_ids - first_ids
    assert object_id("p-shared", "Person") in first_ids - second_ids
    fgr_ids = {o["id"] for o in all_objects(node.as_peer(FGR), C_FGR)}
    assert object_id("p-elsewhere", "Person") not in fgr_ids


def test_a_relationship_whose_end_arrives_later_comes_with_a_pull_from_the_start(
    node: Node,
) -> None:
    """Known limit of ordering by the log: the link keeps its position, so an incremental
    pull does not bring it when its other end arrives; a pull from the start does."""
    to_semar = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")
    node.store.write([build_record("l-waiting", "UnknownLink",
                                   {"subject": ["p-shared"], "object": ["p-arrives"],
                                    "role": ["partner"]}, DEA, to_semar, keyer=TEST_KEYER)])
    node.store.write([build_record("p-marker", "Person", {"name": ["Mar Cano"]}, DEA,
                                   to_semar,
                                       keyer=TEST_KEYER)])  # moves the peer's cursor past the link
    semar = node.as_peer(SEMAR)
    first = semar.get(f"{objects_url(C_SEMAR)}?limit=1000")
    link = object_id("l-waiting", "UnknownLink")
    assert link not in {o["id"] for o in first.body["objects"]}  # its end does not exist
    last = first.headers["x-taxii-date-added-last"]
    node.store.write([build_record("p-arrives", "Person", {"name": ["Ari Vela"]}, DEA,
                                   to_semar, keyer=TEST_KEYER)])
    later = semar.get(f"{objects_url(C_SEMAR)}?limit=1000&added_after={last}")
    ids = [o["id"] for o in later.body["objects"]]
    assert object_id("p-arrives", "Person") in ids and link not in ids
    whole = [o["id"] for o in all_objects(semar, C_SEMAR, limit=1)]
    assert whole.count(link) == 1 and object_id("p-arrives", "Person") in whole


def test_what_a_peer_pulls_passes_the_stix_validator(node: Node) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stix"))
    from stix_checks import assert_valid, fast_validator

    semar = node.as_peer("mx.semar.uie")
    collections = semar.get(f"{ROOT}collections/").body["collections"]
    objects = [o for c in collections for o in all_objects(semar, c["id"])]
    assert objects
    with fast_validator():
        assert_valid({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects})
