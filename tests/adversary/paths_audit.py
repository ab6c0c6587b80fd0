"""The audit log as the viewer reads it: ``tearline audit log``, ``GET /audit/log``,
checkpoints, inclusion and consistency proofs, and ``audit verify-proof`` of a proof.

First the viewer leaves entries of its own (reads, a search, counts) and the operator
explains a record for it and publishes a checkpoint, as a node does; then the viewer
reads its log every way it can. An entry's index, and a checkpoint's size, root and
signatures, are public by design (:mod:`adversary.public`); everything else is compared.
"""

from __future__ import annotations

import json
import re

from adversary import public
from adversary.cast import ANALYST, NEVER, T_RUN
from adversary.paths import Api, Cli
from adversary.paths_api import Asking
from adversary.transcript import Transcript
from adversary.worlds import Place
from tearline.keys import load_node_key
from tearline.store import audit_checkpoints

_NUMBERS = re.compile(r"\b\d+\b")


def cli_log(text: str) -> str:
    """``audit log -f json`` output without the entries' indexes."""
    head, _, rest = text.partition("--- stdout\n")
    body, _, tail = rest.partition("--- stderr\n")
    try:
        rows = json.loads(body)
    except ValueError:
        return text
    return f"{head}--- stdout\n{public.dump(public.without_indexes(rows))}\n--- stderr\n{tail}"


def run_audit(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    cli = Cli(place, out.asked)
    api = Api(cli.store, place.tokens()[viewer])
    try:
        _steps(place, cli, Asking(api, out, viewer), out, viewer)
    finally:
        api.close()
        cli.close()
    return out


def _publish(cli: Cli, place: Place) -> int:
    """The operator signs a checkpoint of the log as it is now (not the viewer's doing)."""
    key = load_node_key(place.keys)
    with cli.store.transaction() as conn:
        note = audit_checkpoints.sign(conn, key.name, key.private_key)
    return int(note.splitlines()[1])


def _steps(place: Place, cli: Cli, ask: Asking, out: Transcript, viewer: str) -> None:
    who = ("--as", ANALYST[viewer])
    before = _publish(cli, place)
    # the viewer's own reads, so that its log has its own entries (their answers are
    # compared by the cli and api families, not here: here, what the log says of them)
    for args in (("show", "dea-p-guzman"), ("search", "guzman"), ("stats",), ("list",)):
        out.begin()
        cli.invoke(*args, *who)
        out.add(" ".join(args), "")
    for path in ("/entities/dea-p-caro", "/search?q=ovidio"):
        out.begin()
        ask.api.raw("GET", "/api/v1" + path)
        out.add(f"GET {path}", "")
    cli.invoke("policy", "explain", "dea-p-guzman", *who)  # the operator's; logged as read
    _publish(cli, place)
    about = ("dea-p-caro", "dea-p-guzman", "dea-n-assoc", "x-person", "x-shared", "dea-p-red",
             NEVER)
    asked = ("", *(f"--entity={e}" for e in about),
             f"--subject=analyst:{ANALYST[viewer]}", f"--since={T_RUN.isoformat()}",
             "--limit=3")
    for option in asked:
        args = ("audit", "log", *([option] if option else []), "-f", "json")
        out.step(" ".join(args), lambda a=args: cli_log(cli.invoke(*a, *who)))
    for query in ("", "?entity=dea-p-guzman", "?entity=dea-p-red", "?entity=x-person",
                  f"?actor=analyst:{ANALYST[viewer]}", "?actor=unit:mx.semar.uie",
                  "?limit=3", f"?since={T_RUN.isoformat().replace('+', '%2B')}"):
        _log(ask, f"/audit/log{query}")
    _log_pages(ask, "/audit/log?limit=2")
    _log_pages(ask, "/audit/log?entity=dea-p-guzman&limit=1")
    entries = _log(ask, "/audit/log?limit=200")
    _checkpoints(ask, before)
    # whole entries carry their index (for a proof); reduced ones none (docs/audit.md)
    seen = {int(str(e["index"])) for e in entries if e.get("index") is not None}
    for index in sorted(seen)[:2] + sorted(seen)[2:][-2:]:
        _proof(ask, f"/audit/proofs/inclusion?index={index}", "inclusion of an entry shown")
    unseen = min(set(range(max(seen, default=0) + 2)) - seen)
    _proof(ask, f"/audit/proofs/inclusion?index={unseen}", "inclusion of an entry not shown")
    _proof(ask, f"/audit/proofs/consistency?old={before}", "consistency since the first")
    _verify(ask, cli, place, min(seen, default=0))


def _log(ask: Asking, path: str, label: str | None = None) -> list[dict[str, object]]:
    """One ``GET /audit/log``, compared without indexes; the entries as answered."""
    return _log_page(ask, path, label)[0]


def _log_page(ask: Asking, path: str, label: str | None = None
              ) -> tuple[list[dict[str, object]], str | None]:
    """One page of the log, compared without indexes, and whether a next page is offered
    (the cursor seals a place in the log, an index: public by design, and sealed with a
    random nonce, so only its presence is compared)."""
    ask.out.begin()
    answer = ask.api.raw("GET", "/api/v1" + path)
    ask.note("GET", path)
    body = answer.json()
    entries = body.get("items", []) if isinstance(body, dict) else []
    cursor = body.get("next_cursor") if isinstance(body, dict) else None
    shown = {**body, "items": public.without_indexes(entries)} if entries else body
    if cursor:
        shown = {**shown, "next_cursor": "<sealed place in the log>"}
    ask.out.add(label or f"GET {path}", ask.api.text(answer, shown))
    return list(entries), cursor


def _log_pages(ask: Asking, path: str) -> None:
    """A log query followed cursor by cursor (at most five pages)."""
    _, cursor = _log_page(ask, path)
    for n in range(4):
        if not cursor:
            return
        _, cursor = _log_page(ask, f"{path}&cursor={cursor}", f"GET {path} (page {n + 2})")


def _checkpoints(ask: Asking, before: int) -> None:
    for path in ("/audit/checkpoint", f"/audit/checkpoint?size={before}",
                 "/audit/checkpoint?size=1"):
        ask.out.begin()
        answer = ask.api.raw("GET", "/api/v1" + path)
        ask.note("GET", path)
        text = public.checkpoint_note(answer.text) if answer.status_code == 200 else answer.text
        ask.out.add(f"GET {path.split('?')[0]}", ask.api.text(answer, text))


def _proof(ask: Asking, path: str, label: str) -> None:
    ask.out.begin()
    answer = ask.api.raw("GET", "/api/v1" + path)
    ask.note("GET", path)
    body = answer.json()
    if answer.status_code == 200:
        body = (public.inclusion_proof(body) if body.get("type") == "inclusion"
                else public.consistency_proof(body))
    else:  # "no audit entry N … of size S": index and size are public
        body = _NUMBERS.sub("<n>", json.dumps(body))
    ask.out.add(label, ask.api.text(answer, body))


def _verify(ask: Asking, cli: Cli, place: Place, index: int) -> None:
    """``audit verify-proof`` of a proof the viewer was given, with the node's verifier key."""
    ask.out.begin()
    answer = ask.api.raw("GET", f"/api/v1/audit/proofs/inclusion?index={index}")
    ask.note("GET", "/audit/proofs/inclusion")
    proof = place.scratch / "proof.json"
    proof.write_text(answer.text, "utf-8")
    key = load_node_key(place.keys).verifier_key()
    ask.out.add("audit verify-proof", public.proof_verdict(
        cli.invoke("audit", "verify-proof", str(proof), "--key", key)))
