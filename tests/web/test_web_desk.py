"""The sharing officer's desk and the audit page's proofs, over ASGI: two-person approval
(approve, refuse, never one's own), release and recall, marking, consents, only records
the viewer sees; inclusion proofs checked on the page and downloadable, checkpoint and
witnesses shown, a hidden entry answered like a missing one."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from webworld import Browser, Site, build_site

from store_template import copy_to
from tearline.audit.checkpoint import add_cosignature
from tearline.cli.audit import check_proof
from tearline.federation.identity import init_node
from tearline.stix.export import object_id
from tearline.store import (
    Peer,
    add_peer,
    audit_checkpoints,
    audit_log,
    delivery_receipts,
    release_approvals,
    releases,
)

VETTED, UNVETTED, DEA = "ana@mx.semar.uie", "luis@mx.semar.log", "bob@us.dea.sod"
TWO_PERSON = "mx-us-2024"
NODE = "tearline.test/log"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Iterator[Site]:
    # a copy of the migrated template: the site is tested, not the migrations
    made = build_site(copy_to(store_template,
                              f"sqlite:///{tmp_path_factory.mktemp('desk') / 'db.sqlite'}"))
    with made.store.transaction() as conn:
        release_approvals.set_required(conn, TWO_PERSON, True, "system", datetime.now(UTC))
    yield made
    made.store.close()


@pytest.fixture
def ana(site: Site) -> Iterator[Browser]:
    made = Browser(site.app)
    made.sign_in(VETTED)
    yield made
    made.close()


@pytest.fixture
def luis(site: Site) -> Iterator[Browser]:
    made = Browser(site.app)
    made.sign_in(UNVETTED)
    yield made
    made.close()


def _request_ids(html: str) -> list[str]:
    return re.findall(r'name="request" value="(rr-[0-9a-f]+)"', html)


def test_a_two_person_release_waits_then_a_second_officer_approves(
        ana: Browser, luis: Browser, site: Site) -> None:
    ana.get("/web/sharing")
    asked = ana.post("/web/sharing/release", {"entity": "semar-s-1", "to": "agency:us.dea",
                                              "basis": TWO_PERSON})
    assert asked.status_code == 303
    with site.store.reading() as conn:
        assert releases.releases(conn, ["semar-s-1"]) == []  # waits: nothing released
    own = ana.get("/web/sharing").text
    assert "yours: another officer approves" in own and not _request_ids(own)
    (request_id,) = _request_ids(luis.get("/web/sharing").text)[:1]
    # the requester cannot approve her own, even by posting the form
    assert ana.post("/web/sharing/approve", {"request": request_id}).status_code == 403
    assert luis.post("/web/sharing/approve", {"request": request_id}).status_code == 303
    with site.store.reading() as conn:
        (made,) = releases.releases(conn, ["semar-s-1"])
        assert made.basis == TWO_PERSON and made.by_unit == "mx.semar.uie"
    page = ana.get("/web/sharing").text
    assert made.id in page and "approved" in page


def test_a_second_officer_refuses_with_a_reason(ana: Browser, luis: Browser,
                                                site: Site) -> None:
    ana.get("/web/sharing")
    ana.post("/web/sharing/release", {"entity": "semar-s-2", "to": "agency:us.dea",
                                      "basis": TWO_PERSON})
    request_id = _request_ids(luis.get("/web/sharing").text)[0]
    assert luis.post("/web/sharing/refuse", {"request": request_id, "reason": ""}
                     ).status_code == 422
    assert luis.post("/web/sharing/refuse", {"request": request_id,
                                             "reason": "not under this agreement"}
                     ).status_code == 303
    page = ana.get("/web/sharing").text
    assert "refused" in page and "not under this agreement" in page
    with site.store.reading() as conn:
        assert releases.releases(conn, ["semar-s-2"]) == []
        kinds = [e.kind for e in audit_log.entries(conn, limit=100_000)]
    assert "release.refused" in kinds


def test_release_recall_mark_and_consent_from_the_desk(site: Site) -> None:
    bob = Browser(site.app)
    bob.sign_in(DEA)
    bob.get("/web/sharing")
    assert bob.post("/web/sharing/release", {"entity": "dea-o-chapitos", "to": "agency:mx.fgr",
                                             "basis": "fgr-us-2025"}).status_code == 303
    with site.store.reading() as conn:
        (made,) = [r for r in releases.releases(conn, ["dea-o-chapitos"]) if r.revoked_at is None]
    assert made.id in bob.get("/web/sharing").text
    assert bob.post("/web/sharing/recall", {"entity": "dea-o-chapitos", "release": made.id}
                    ).status_code == 303
    with site.store.reading() as conn:
        assert all(r.revoked_at for r in releases.releases(conn, ["dea-o-chapitos"]))
    assert bob.post("/web/sharing/mark", {"entity": "dea-p-guzman", "prop": "idNumber",
                                          "tlp": "AMBER+STRICT", "rel_to": "vetted-by:us.dea",
                                          "legal_basis": TWO_PERSON}).status_code == 303
    record = bob.get("/web/record/dea-p-guzman").text
    assert record.count("vetted-by:us.dea") >= 2  # the alias and now the id number
    assert bob.post("/web/sharing/consent", {"entity": "dea-p-guzman", "to": "mx.semar"}
                    ).status_code == 303
    consent = re.search(r'name="consent" value="(con-[0-9a-f]+)"', bob.get("/web/sharing").text)
    assert consent is not None
    assert bob.post("/web/sharing/consent/withdraw", {"consent": consent.group(1)}
                    ).status_code == 303
    assert "withdrawn" in bob.get("/web/sharing").text
    bob.close()


def test_the_desk_lists_only_records_the_viewer_sees(ana: Browser, luis: Browser,
                                                     site: Site) -> None:
    bob = Browser(site.app)
    bob.sign_in(DEA)
    bob.get("/web/sharing")
    assert bob.post("/web/sharing/mark", {"entity": "dea-o-chapitos", "tlp": "AMBER",
                                          "rel_to": "vetted-by:us.dea",
                                          "legal_basis": TWO_PERSON}).status_code == 303
    assert bob.post("/web/sharing/consent", {"entity": "dea-o-chapitos", "to": "mx.semar"}
                    ).status_code == 303
    bob.close()
    assert "dea-o-chapitos" in ana.get("/web/sharing").text  # the vetted unit sees it
    assert "dea-o-chapitos" not in luis.get("/web/sharing").text
    assert luis.post("/web/sharing/consent", {"entity": "dea-o-chapitos", "to": "mx.fgr"}
                     ).status_code == luis.post("/web/sharing/consent", {
                         "entity": "never-created", "to": "mx.fgr"}).status_code == 404


def test_a_consent_asked_from_the_desk_and_granted_by_the_originating_unit(
        ana: Browser, luis: Browser, site: Site) -> None:
    ana.get("/web/sharing")
    assert ana.post("/web/sharing/mark", {"entity": "semar-p-guzman", "tlp": "AMBER",
                                          "rel_to": "agency:us.dea", "orcon": "on",
                                          "legal_basis": TWO_PERSON}).status_code == 303
    bob = Browser(site.app)
    bob.sign_in(DEA)
    bob.get("/web/sharing")
    ask = {"entity": "semar-p-guzman", "to": "agency:mx.fgr", "reason": "Juicio en Sinaloa"}
    assert bob.post("/web/sharing/consent/request", {**ask, "reason": ""}).status_code == 422
    assert bob.post("/web/sharing/consent/request", ask).status_code == 303
    sent = bob.get("/web/sharing").text
    assert "Your requests to originators" in sent and "pending" in sent
    assert "Juicio en Sinaloa" not in luis.get("/web/sharing").text  # another unit of SEMAR
    received = ana.get("/web/sharing").text
    assert "Juicio en Sinaloa" in received
    (request_id,) = re.findall(r'name="request" value="(cr-[0-9a-f]+)"', received)[:1]
    assert luis.post("/web/sharing/consent/answer", {"request": request_id, "answer": "grant"}
                     ).status_code == 404
    assert ana.post("/web/sharing/consent/answer", {"request": request_id, "answer": "grant"}
                    ).status_code == 303
    with site.store.reading() as conn:
        given = [c for c in releases.consents(conn, ["semar-p-guzman"]) if c.to_agency == "us.dea"]
    assert len(given) == 1 and given[0].id in bob.get("/web/sharing").text
    assert ana.post("/web/sharing/consent/answer", {"request": request_id, "answer": "refuse",
                                                    "reason": "tarde"}).status_code == 409
    bob.close()


def test_what_partners_received_is_shown_to_the_releasing_agency(
        ana: Browser, site: Site, tmp_path: Path) -> None:
    fgr = init_node(tmp_path / "fgr", "mx.fgr", "mx.fgr.seido").identity
    with site.store.transaction() as conn:
        add_peer(conn, Peer.from_identity(fgr), datetime.now(UTC))
    bob = Browser(site.app)
    bob.sign_in(DEA)
    bob.get("/web/sharing")
    assert bob.post("/web/sharing/release", {"entity": "dea-p-guzman", "to": "agency:mx.fgr",
                                             "basis": "fgr-us-2025"}).status_code == 303
    sid = object_id("dea-p-guzman", "Person")
    assert "What partners received" in bob.get("/web/sharing").text
    assert sid not in bob.get("/web/sharing").text  # no receipt yet
    with site.store.transaction() as conn:
        delivery_receipts.keep(conn, f"node:{fgr.name}", "f" * 64, [(sid, "v1")],
                               datetime.now(UTC))
    page = bob.get("/web/sharing").text
    assert sid in page and fgr.name in page
    assert sid not in ana.get("/web/sharing").text  # not SEMAR's release
    bob.close()


@pytest.mark.parametrize("form", ["mark", "release", "recall", "consent", "consent/withdraw",
                                  "approve", "refuse", "consent/request", "consent/answer"])
def test_every_desk_form_needs_the_sessions_csrf_token(ana: Browser, site: Site,
                                                       form: str) -> None:
    before = _size(site)
    fields = {"entity": "semar-s-1", "to": "mx.fgr", "tlp": "GREEN", "release": "rel-0",
              "consent": "con-0", "request": "rr-0", "reason": "no", "answer": "grant"}
    assert ana.post(f"/web/sharing/{form}", fields, csrf="forged").status_code == 403
    assert _size(site) == before  # nothing done, nothing logged


def _size(site: Site) -> int:
    with site.store.reading() as conn:
        return audit_log.size(conn)


def test_a_bad_expiry_is_a_page_not_a_crash(ana: Browser) -> None:
    ana.get("/web/sharing")
    answer = ana.post("/web/sharing/mark", {"entity": "semar-s-1", "tlp": "GREEN",
                                            "expires": "next tuesday"})
    assert 400 <= answer.status_code < 500 and "<html" in answer.text


def _sign(site: Site, key: Ed25519PrivateKey) -> str:
    with site.store.transaction() as conn:
        note = audit_checkpoints.sign(conn, NODE, key)
        witness = Ed25519PrivateKey.generate()
        audit_checkpoints.add_cosigned(conn, "witness.fgr",
                                       add_cosignature(note, "witness.fgr", witness))
    return note


def test_an_inclusion_proof_is_checked_on_the_page_and_downloadable(
        ana: Browser, site: Site) -> None:
    key = Ed25519PrivateKey.generate()
    site.app.state.web = dataclasses.replace(site.app.state.web,
                                             verifier=(NODE, key.public_key()))
    ana.get("/web/search?q=guzman")
    _sign(site, key)
    audit = ana.get("/web/audit").text
    assert "witness.fgr" in audit and NODE in audit
    index = re.findall(r'href="/web/audit/proof/(\d+)"', audit)[-1]
    proof = ana.get(f"/web/audit/proof/{index}").text
    assert "Verified" in proof and proof.count(">holds<") == 3
    download = ana.get(f"/web/audit/proof/{index}/json")
    assert download.headers["content-disposition"].startswith("attachment")
    assert f"entry {index} is in {NODE}" in check_proof(download.json(), NODE, key.public_key())
    # a key that did not sign the checkpoint: the page says the signature fails
    site.app.state.web = dataclasses.replace(
        site.app.state.web, verifier=(NODE, Ed25519PrivateKey.generate().public_key()))
    again = ana.get(f"/web/audit/proof/{index}").text
    assert "Not verified" in again and ">fails<" in again


def test_an_entry_the_viewer_may_not_read_answers_like_a_missing_one(
        ana: Browser, luis: Browser, site: Site) -> None:
    luis.get("/web/search?q=decomiso")
    _sign(site, Ed25519PrivateKey.generate())
    with site.store.reading() as conn:
        size = audit_log.size(conn)
        theirs = [e.index for e in audit_log.entries(conn, limit=100_000)
                  if e.actor == f"analyst:{UNVETTED}"]
    hidden, missing = ana.get(f"/web/audit/proof/{theirs[-1]}"), ana.get(
        f"/web/audit/proof/{size + 10}")
    assert hidden.status_code == missing.status_code == 404
    assert ana.get(f"/web/audit/proof/{theirs[-1]}/json").status_code == 404
    def page(html: str, index: int) -> str:
        return re.sub(r'value="[0-9a-f]{64}"', "", html).replace(f"/{index}", "/N").replace(
            f" {index} ", " N ")

    assert page(hidden.text, theirs[-1]) == page(missing.text, size + 10)
    assert ana.get("/web/audit/proof/%C2%B2").status_code == 422
