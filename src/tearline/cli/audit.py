"""``tearline audit``: verify the log, sign checkpoints, prove and check entries, read the log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tearline.audit.checkpoint import Checkpoint, parse_note, parse_verifier_key, verify_note
from tearline.audit.merkle import leaf_hash
from tearline.audit.proof_check import verify_consistency, verify_inclusion
from tearline.cli.common import (
    STATE,
    AsOption,
    AtOption,
    Format,
    FormatOption,
    app,
    at_time,
    console,
    emit,
)
from tearline.cli.language import _
from tearline.errors import InputError, ProofError, tr
from tearline.keys import load_node_key, load_verifier_key
from tearline.model.marking import parse_timestamp
from tearline.store import audit_checkpoints, audit_log, audit_query, audit_verify, ts

audit_app = typer.Typer(help="The tamper-evident audit log: verify, checkpoints, proofs.",
                        no_args_is_help=True)
app.add_typer(audit_app, name="audit")

SizeOption = Annotated[int | None, typer.Option("--size", help="Tree size (default: now).")]


def _hexes(hashes: list[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


def _print_json(value: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@audit_app.command("verify")
def verify(fmt: FormatOption = Format.table) -> None:
    """Recompute every leaf, node and checkpoint; report the first bad entry."""
    store = STATE.store()
    keys = STATE.settings.keys_dir
    name, public = load_verifier_key(keys) if (keys / "node.pub").exists() else (None, None)
    with store.reading() as conn:
        done = audit_verify.verify(conn, public, name, engine=store.engine)
    row = {"status": "ok", "size": done.size, "root": done.root.hex(),
           "checkpoints": done.checkpoints, "signatures": name is not None}
    if fmt is Format.table:
        console.print(_("audit log verified: {size:,} entries, root {root}, {checkpoints} "
                        "checkpoint(s)").format(size=done.size, root=done.root.hex(),
                                                checkpoints=done.checkpoints)
                      + ("" if name else _(" (no node key: signatures not checked)")),
                      soft_wrap=True)
    else:
        emit([row], fmt, list(row))


@audit_app.command("checkpoint")
def checkpoint(size: SizeOption = None) -> None:
    """Sign (or show) the checkpoint of the log at a size, as a C2SP signed note."""
    key = load_node_key(STATE.settings.keys_dir)
    with STATE.store().transaction() as conn:
        note = audit_checkpoints.sign(conn, key.name, key.private_key, size)
    sys.stdout.write(note)


@audit_app.command("prove")
def prove(entry_index: int, size: SizeOption = None) -> None:
    """An inclusion proof of one entry, as JSON with the signed checkpoint embedded."""
    key = load_node_key(STATE.settings.keys_dir)
    with STATE.store().transaction() as conn:
        note = audit_checkpoints.sign(conn, key.name, key.private_key, size)
        n = Checkpoint.from_body(parse_note(note).text).size
        entry = audit_log.entry(conn, entry_index) if entry_index < n else None
        if entry is None:
            raise InputError(tr("entry {index} is outside the tree of size {size}",
                                index=entry_index, size=n))
        proof = audit_log.inclusion_proof(conn, entry_index, n)
    _print_json({"type": "inclusion", "index": entry_index, "size": n,
                 "entry": entry.body.decode("utf-8"), "leaf_hash": entry.leaf.hex(),
                 "proof": _hexes(proof), "checkpoint": note})


@audit_app.command("prove-consistency")
def prove_consistency(old: int, new: int) -> None:
    """A consistency proof between two sizes, as JSON with both signed checkpoints."""
    key = load_node_key(STATE.settings.keys_dir)
    if old > new:
        raise InputError(tr("the old size {old} is larger than the new size {new}", old=old,
                            new=new))
    with STATE.store().transaction() as conn:
        old_note = audit_checkpoints.sign(conn, key.name, key.private_key, old)
        new_note = audit_checkpoints.sign(conn, key.name, key.private_key, new)
        proof = audit_log.consistency_proof(conn, old, new)
    _print_json({"type": "consistency", "old_size": old, "new_size": new,
                 "proof": _hexes(proof), "old_checkpoint": old_note,
                 "new_checkpoint": new_note})


def _field(data: dict[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ProofError(tr("proof file: {name!r} is missing or not a {kind}", name=name,
                            kind=kind.__name__))
    return value


def _hashes(data: dict[str, Any]) -> list[bytes]:
    proof = _field(data, "proof", list)
    try:
        return [bytes.fromhex(h) for h in proof]
    except (TypeError, ValueError) as exc:
        raise ProofError(tr("proof file: 'proof' must be a list of hex hashes")) from exc


def check_proof(data: dict[str, Any], name: str, public: Any) -> str:
    """Verify a proof document from :func:`prove` or :func:`prove_consistency`."""
    kind = data.get("type")
    if kind == "inclusion":
        cp = verify_note(_field(data, "checkpoint", str), name, public)
        index, size = _field(data, "index", int), _field(data, "size", int)
        if size != cp.size:
            raise ProofError(tr("the proof is for size {size}, its checkpoint for {checkpoint}",
                                size=size, checkpoint=cp.size))
        leaf = leaf_hash(_field(data, "entry", str).encode("utf-8"))
        if leaf.hex() != data.get("leaf_hash"):
            raise ProofError(tr("the entry does not hash to the proof's leaf hash"))
        verify_inclusion(leaf, index, size, _hashes(data), cp.root)
        return _("entry {index} is in {origin} at size {size} (root {root})").format(
            index=index, origin=cp.origin, size=size, root=cp.root.hex())
    if kind == "consistency":
        old = verify_note(_field(data, "old_checkpoint", str), name, public)
        new = verify_note(_field(data, "new_checkpoint", str), name, public)
        if (old.size, new.size) != (_field(data, "old_size", int), _field(data, "new_size", int)):
            raise ProofError(tr("the proof's sizes are not its checkpoints' sizes"))
        if old.origin != new.origin:
            raise ProofError(tr("the two checkpoints are of different logs"))
        verify_consistency(old.size, new.size, old.root, new.root, _hashes(data))
        return _("{origin} at size {new} extends size {old}").format(
            origin=new.origin, new=new.size, old=old.size)
    raise ProofError(tr("proof file: unknown type {kind!r}", kind=kind))


@audit_app.command("verify-proof")
def verify_proof(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Proof JSON.")],
    key: Annotated[str | None, typer.Option(
        "--key", help="The log's verifier key (default: this workspace's keys/node.pub).")] = None,
) -> None:
    """Check a proof from its file and the log's verifier key alone (no database)."""
    if key:
        name, public = parse_verifier_key(key)
    else:
        name, public = load_verifier_key(STATE.settings.keys_dir)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProofError(tr("{file} is not a JSON proof: {why}", file=file, why=exc)) from exc
    if not isinstance(data, dict):
        raise ProofError(tr("{file} is not a JSON proof object", file=file))
    console.print(_("proof verified: {what}").format(what=check_proof(data, name, public)),
                  soft_wrap=True)


@audit_app.command("log")
def log(
    as_: AsOption = None,
    at: AtOption = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only about this record.")] = None,
    subject: Annotated[str | None, typer.Option(
        "--subject", help="Only by this actor (unit:ID or analyst:name@unit).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="ISO-8601 time.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries.")] = 100,
    oversight: Annotated[bool, typer.Option(
        "--oversight", help="Every entry whole: the node's operator, not a unit (no --as).")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Who saw this record: the log's entries as the acting unit may see them (docs/audit.md)."""
    if oversight == bool(as_):
        raise InputError(tr("say who is asking: --as UNIT (the log is read through the "
                            "policy), or --oversight (the node's operator), not both"))
    store = STATE.store()
    asker = store.subject(as_) if as_ else None
    since_ts = ts(parse_timestamp(since)) if since else None
    with store.transaction() as conn:
        if asker is not None:
            found = audit_query.who_saw(conn, asker, at_time(at), entity, subject, since_ts,
                                        limit)
        else:
            found = audit_query.oversee(conn, entity, subject, since_ts, limit)
    who = str(asker) if asker is not None else _("the node's oversight")
    rows = []
    for e in found:
        row = e.row()
        if fmt is Format.table:
            row["detail"] = json.dumps(row["detail"])
        rows.append(row)
    emit(rows, fmt, ["index", "at", "kind", "actor", "entity_id", "form", "leaf_hash",
                     "detail"], title=_("audit entries visible to {who}").format(who=who))
