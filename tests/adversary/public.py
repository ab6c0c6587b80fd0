"""What is public by design — and only that — taken out of answers before they are compared.

Each function removes one thing that ``docs/policy.md`` ("Public by design") names, with
the reason there. Everything else an answer holds must be byte for byte the same in the
two worlds: times (the clock is injected), identifiers the node mints (``uuid4`` is
injected), signatures (Ed25519 is deterministic), statement ids, versions, counts.

* **Audit indexes.** An entry's index is the log's size when it was appended; the size
  is published in every checkpoint, so the gaps between the indexes a viewer is shown
  tell it how many entries it is not shown — never what they say. Entries are compared
  in order, without their index.
* **Checkpoints and proofs.** A checkpoint's size, root hash and signatures, and the
  hashes and sizes of inclusion and consistency proofs, are functions of the whole log
  (RFC 6962). The origin line and the entry a proof is about are compared.
* **Sealed cursors.** A cursor is sealed with a random nonce; it is compared by what it
  seals. A TAXII cursor seals the audit index of its page's last record (public as
  above) and that record's id; the id is compared.
* **Signatures over sealed cursors.** A TAXII answer's signature is verified by the
  peer, then compared through what it signs: the answer's body, its cursor opened.
* **The ``date`` header** of HTTP answers is the server's wall clock, not the node's.
  (``content-length`` is left out too: it is the length of the body, which is compared.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import httpx

_DROP_HEADERS = frozenset({"date", "content-length"})


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def without_indexes(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit entries (API ``EntryOut`` or ``audit log -f json`` rows) without ``index``."""
    return [{k: v for k, v in e.items() if k != "index"} for e in entries]


def checkpoint_note(text: str) -> str:
    """A C2SP checkpoint: the origin line; size, root and signature lines as placeholders."""
    lines = text.splitlines()
    if len(lines) < 3:
        return text
    kept = [lines[0], "<size>", "<root>"]
    kept += ["<signature>" if line.startswith("\u2014 ") else line for line in lines[3:]]
    return "\n".join(kept)


def inclusion_proof(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The entry a proof is about (and its leaf hash, a function of it); the rest is public."""
    return {k: doc[k] for k in ("type", "entry", "leaf_hash") if k in doc} | {
        "checkpoint": checkpoint_note(str(doc.get("checkpoint", "")))}


def consistency_proof(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": doc.get("type"),
            "old_checkpoint": checkpoint_note(str(doc.get("old_checkpoint", ""))),
            "new_checkpoint": checkpoint_note(str(doc.get("new_checkpoint", "")))}


_PROVED = re.compile(r"entry \d+ is in (\S+) at size \d+ \(root [0-9a-f]+\)")
_EXTENDS = re.compile(r"(\S+) at size \d+ extends size \d+")


def proof_verdict(text: str) -> str:
    """``audit verify-proof`` output without the index, sizes and root it repeats."""
    text = _PROVED.sub(r"entry <index> is in \1 at size <size> (root <root>)", text)
    return _EXTENDS.sub(r"\1 at size <size> extends size <size>", text)


def headers(answer: httpx.Response | Mapping[str, str]) -> dict[str, str]:
    items = answer.headers.items() if isinstance(answer, httpx.Response) else answer.items()
    return {k.lower(): v for k, v in items if k.lower() not in _DROP_HEADERS}


def signed_headers(answer: httpx.Response) -> dict[str, str]:
    """Headers of a TAXII answer whose signature the peer has verified: the signature
    covers the exact body, whose cursor carries a random nonce, so it is compared
    through what it signs (the body, compared apart)."""
    out = headers(answer)
    if "tearline-signature" in out:
        out["tearline-signature"] = "<verified>"
    return out


def sealed(body: Any, key: str, unseal: Callable[[str], str]) -> Any:
    """``body`` with the cursor under ``key`` replaced by what it seals."""
    if isinstance(body, dict) and isinstance(body.get(key), str):
        return {**body, key: f"<sealed {unseal(body[key])}>"}
    return body


def taxii_position(sealed_text: str) -> str:
    """A TAXII cursor's content (``position:entity id``) without the audit index."""
    return sealed_text.partition(":")[2]
