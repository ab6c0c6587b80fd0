"""Where a federation pull spends its time: both sides of every page, profiled in one process.

Node A serves every page of N records to node B exactly as ``tearline node serve``
answers ``GET …/objects/`` (the feed, the records' tear-line views, consents and
vettings, the fingerprint, STIX, the audit entries, the canonical body, the signature),
then node B takes each answer as the puller does (signature check, decoding, reading,
entitlement, the write with its audit entries, received versions, cursor, receipt).
No TLS and no HTTP: what is left is the work each side does per page. Each side is
profiled (cProfile, counting the thread's CPU time, so that a loaded machine does not
change the split) and its time is split into what runs in C libraries (SQLite, JSON,
Ed25519/SHA) and the rest (Python), then the functions that cost most. The profiler
slows Python calls about threefold, C calls hardly: compare with the CPU figures of
``bench/federation.py`` (unprofiled) to weigh the two.

    PYTHONPATH=src:tests python bench/_federation_profile.py --entities 10000

Not part of ``bench/run.py`` (the leading underscore): a diagnosis, not a figure.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from federation import AGREEMENT, prepare_nodes  # noqa: E402

#: Built-in functions by the library they run in: (category, part of pstats' label).
C_BUILTINS = (("SQLite", "sqlite3"), ("crypto", "ed25519"), ("crypto", "_hashlib"),
              ("crypto", "sha"), ("crypto", "hmac"), ("crypto", "blake2"),
              ("JSON", "_json"))
#: Python functions whose own time is a C encoder's or decoder's (cProfile does not see
#: the C call inside them): (category, file name ending, function name).
C_INSIDE = (("JSON", "json/decoder.py", "raw_decode"),
            ("JSON", "audit/canonical.py", "canonical_bytes_no_floats"))


def category(filename: str, name: str) -> str:
    if filename == "~":
        return next((part for part, key in C_BUILTINS if key in name), "Python")
    return next((part for part, end, fn in C_INSIDE
                 if filename.endswith(end) and name == fn), "Python")


def split(stats: pstats.Stats) -> dict[str, float]:
    """Own time of the profiled functions, by category: C parts, the rest Python."""
    out = {"SQLite": 0.0, "JSON": 0.0, "crypto": 0.0, "Python": 0.0}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        out[category(filename, name)] += row[2]
    return out


class GcClock:
    """Time spent in the garbage collector, by generation (``gc.callbacks``); cProfile
    charges it to whatever function allocated when a collection started."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.thread_time()
        else:
            self.seconds[info["generation"]] += time.thread_time() - self._began
            self.count[info["generation"]] += 1


class Stages:
    """CPU time (this thread's) spent in named functions, unprofiled: each is wrapped
    where its caller looks it up, and called a few times per page, so the wrapping
    costs nothing measurable. Nested stages are counted in their parent too."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)
        seconds = self.seconds
        seconds.setdefault(label, 0.0)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                seconds[label] += time.thread_time() - began

        setattr(owner, name, timed)

    def run(self, label: str, run: Callable[[], None], records: int) -> None:
        began = time.thread_time()
        run()
        total = time.thread_time() - began
        per = 1000 / records
        print(f"\n== {label}, unprofiled: {total * per * 1000:.0f} ms of CPU per 1,000 records")
        for stage, seconds in self.seconds.items():
            print(f"   {stage:<44} {seconds * per * 1000:6.0f} ms")
        for stage in self.seconds:
            self.seconds[stage] = 0.0


def profiled(label: str, run: Callable[[], None], records: int, top: int) -> None:
    # CPU time of this thread, not wall time: the split holds on a loaded machine
    profile, clock = cProfile.Profile(time.thread_time), GcClock()
    gc.collect()
    gc.callbacks.append(clock)
    started = time.thread_time()
    profile.enable()
    run()
    profile.disable()
    elapsed = time.thread_time() - started
    gc.callbacks.remove(clock)
    stats = pstats.Stats(profile)
    parts = split(stats)
    per = 1000 / records
    print(f"\n== {label}: {elapsed:.2f} s of CPU for {records:,} records "
          f"({elapsed * per * 1000:.0f} ms per 1,000, profiled)")
    total = sum(parts.values())
    for part, seconds in parts.items():
        print(f"   {part:<7} {seconds * per * 1000:7.0f} ms per 1,000  "
              f"({100 * seconds / total:4.1f} %)")
    print("   of which in the garbage collector: " + ", ".join(
        f"generation {g}: {n} × = {t * per * 1000:.0f} ms per 1,000"
        for g, (n, t) in enumerate(zip(clock.count, clock.seconds, strict=True))))
    stats.sort_stats("cumulative").print_stats(r"tearline/(?!.*bench)", top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--top", type=int, default=40, help="functions listed per side")
    parser.add_argument("--stages", action="store_true",
                        help="time the stages of each side unprofiled instead")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tearline-fed-profile-"))
    try:
        run(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, args: argparse.Namespace) -> None:
    """Both sides of every page of ``args.entities`` records, in workspaces under ``folder``."""
    from tearline.federation.jsonbody import decode_object
    from tearline.federation.partners import partner_from_peer
    from tearline.federation.results import CollectionResult
    from tearline.federation.signing import new_nonce, sign_response
    from tearline.federation.sync import Puller
    from tearline.federation.taxii_resources import Page
    from tearline.federation.trust import SignedBy
    from tearline.store import peers
    from tearline.taxii import collection, service
    from tearline.taxii.consents import Signer
    from tearline.taxii.wire import Query, body_bytes

    made = prepare_nodes(folder, args.entities)
    a, b = made["a"], made["b"]
    with a["store"].reading() as conn:
        peer = peers.peer_by_name(conn, b["init"].identity.name)
        assert peer is not None
        coll = next(c for c in collection.collections(conn, peer, "us.dea")
                    if c.agreement.id == AGREEMENT)
    key = a["init"].key
    signer, cursors = Signer(key, "us.dea"), service.cursor_box(key)
    target = f"/taxii2/collections/{coll.id}/objects/"
    answers: list[tuple[bytes, str, str, str | None, str | None]] = []

    def serve() -> None:
        token: str | None = None
        while True:
            page = service.page(a["store"], peer, coll, Query(limit=1000, next=token),
                                cursors, datetime.now(UTC), "objects", signer)
            body: dict[str, Any] = {"more": page.more, "objects": page.objects}
            if page.next:
                body["next"] = page.next
            data, nonce = body_bytes(body), new_nonce()
            answers.append((data, nonce, sign_response(key, nonce, "GET", target, data),
                            page.first_added, page.last_added))
            if not page.more:
                return
            token = page.next

    with b["store"].reading() as conn:
        peer_a = peers.peer_by_name(conn, a["init"].identity.name)
        assert peer_a is not None
    partner = partner_from_peer(peer_a, b["ws"] / "keys")
    puller = Puller(b["store"], partner, node_key=b["init"].key, own_agency="mx.semar",
                    node_name=b["init"].identity.name)
    check = SignedBy(partner.verifier_key or "")
    out = CollectionResult(coll.id, coll.agreement.title)

    def pull() -> None:
        for data, nonce, signature, first, last in answers:
            check(nonce=nonce, method="GET", target=target, body=data, signature=signature)
            doc = decode_object(data, "the peer's answer")
            page = Page(objects=tuple(doc["objects"]), more=doc["more"], next=doc.get("next"),
                        date_added_first=first, date_added_last=last, body_bytes=len(data))
            puller.store_page("taxii2", coll.id, page, out)

    # the queries are compiled once per process, at the first request: not per page
    service.page(a["store"], peer, coll, Query(limit=1), cursors, datetime.now(UTC),
                 "objects", signer)
    if args.stages:
        staged(serve, pull, args.entities)
    else:
        profiled("serving (node A)", serve, args.entities, args.top)
        profiled("pulling (node B)", pull, args.entities, args.top)
    print(f"stored {out.records_stored:,} records, {out.statements_new:,} statements; "
          f"{sum(len(d) for d, *_ in answers) / len(answers) / 1e6:.2f} MB per page")


def staged(serve: Callable[[], None], pull: Callable[[], None], records: int) -> None:
    """Both sides, their stages timed without the profiler's distortion."""
    from tearline.federation import admission, jsonbody, sync, trust
    from tearline.store import feed, reader
    from tearline.store import sync_state as ss
    from tearline.taxii import service, wire

    serving = Stages()
    for owner, name, label in (
            (feed, "feed", "feed: walk and date (store/feed.py)"),
            (reader, "read_records", "tear-line read of the records"),
            (service, "with_consents", "consents travelling with records"),
            (service, "with_vettings", "vetting attestations"),
            (service, "for_recipient", "fingerprint (per record)"),
            (service, "_refs", "referenced records' schemas"),
            (service, "to_stix", "STIX export"),
            (service, "_mark", "copy mark"),
            (service, "log_serve", "audit entries of the serve"),
            (wire, "canonical_bytes_no_floats", "canonical body (C encoder)"),
            (wire, "_may_hold_float", "float scan")):
        serving.wrap(owner, name, label)
    serving.run("serving (node A)", serve, records)
    pulling = Stages()
    for owner, name, label in (
            (trust, "verify_response", "signature check"),
            (jsonbody.json, "loads", "JSON decoding (C)"),
            (jsonbody, "depth_exceeds", "depth check"),
            (ss, "already_received", "versions already received"),
            (sync.Puller, "_read", "STIX reader"),
            (admission.holdings, "originators", "holders of the ids"),
            (admission.trace_store, "check_return", "canary check"),
            (admission, "consent_keys", "consent keys"),
            (admission, "stored_schemas", "stored schemas"),
            (admission, "write_records", "write of records, statements, tokens"),
            (admission.audit_events, "writes", "audit entries of the write"),
            (admission, "keep_consents", "consents kept"),
            (admission, "keep_vettings", "vettings kept"),
            (ss, "mark_received", "received versions"),
            (sync.acknowledge, "add_receipt", "signed receipt"),
            (sync, "judge_and_store", "judge and store (all of the above from holders)")):
        pulling.wrap(owner, name, label)
    pulling.run("pulling (node B)", pull, records)


if __name__ == "__main__":
    main()
