"""Checking an inclusion proof as the audit page shows it, step by step.

The server computes the proof (``store/published_log.inclusion``: only for an entry the
viewer may read whole) and then checks it here exactly as ``tearline audit verify-proof``
checks the downloaded document: the entry hashes to the leaf hash, the path of hashes
leads from that leaf to the checkpoint's root, and — when the site was given the node's
verifier key — the checkpoint's signature holds. Each step is shown with its outcome, so
the page says what was checked, not only that something was; the JSON download lets the
viewer (or an auditor) check the same with the verifier key alone, trusting no server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tearline.audit.checkpoint import Checkpoint, parse_note, verify_note
from tearline.audit.merkle import leaf_hash
from tearline.audit.proof_check import root_from_inclusion_proof
from tearline.errors import ProofError

#: The node's verifier key: (key name, Ed25519 public key), as ``keys.load_verifier_key``
#: gives it (the web does not handle key material itself: ``audit/`` checks with it).
Verifier = tuple[str, Any]


@dataclass(frozen=True, slots=True)
class Step:
    """One check: ``what`` is a message id the page translates; ``ok`` None: not run."""

    what: str
    ok: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Checked:
    checkpoint: Checkpoint
    signers: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def verified(self) -> bool:
        """Every step that ran held, and the Merkle steps ran."""
        return all(s.ok is not False for s in self.steps) and all(
            s.ok for s in self.steps[:2])


def _(text: str) -> str:  # marks a message for extraction; the template translates it
    return text


def checkpoint_of(note: str) -> tuple[Checkpoint, tuple[str, ...]]:
    """The checkpoint a signed note states and the names of the keys that signed it
    (unverified: :func:`check` verifies)."""
    parsed = parse_note(note)
    return Checkpoint.from_body(parsed.text), tuple(s.name for s in parsed.signatures)


def check(document: Mapping[str, object], verifier: Verifier | None) -> Checked:
    """Check an inclusion-proof document of ``published_log.inclusion``."""
    note = str(document["checkpoint"])
    checkpoint, signers = checkpoint_of(note)
    entry = str(document["entry"]).encode("utf-8")
    index, size = int(str(document["index"])), int(str(document["size"]))
    proof = [bytes.fromhex(str(h)) for h in document["proof"]]  # type: ignore[attr-defined]
    leaf = leaf_hash(entry)
    steps = [Step(_("The entry hashes to the proof's leaf hash"),
                  leaf.hex() == document["leaf_hash"], leaf.hex())]
    try:
        root = root_from_inclusion_proof(leaf, index, size, proof)
        same = root == checkpoint.root and size == checkpoint.size
        steps.append(Step(_("The path of hashes leads to the checkpoint's root"), same,
                          root.hex()))
    except ProofError as exc:
        steps.append(Step(_("The path of hashes leads to the checkpoint's root"), False,
                          str(exc)))
    if verifier is None:
        steps.append(Step(_("The checkpoint is signed by the node's key"), None,
                          ", ".join(signers)))
    else:
        try:
            verify_note(note, *verifier)
            steps.append(Step(_("The checkpoint is signed by the node's key"), True,
                              verifier[0]))
        except ProofError as exc:
            steps.append(Step(_("The checkpoint is signed by the node's key"), False,
                              str(exc)))
    return Checked(checkpoint, signers, tuple(steps))
