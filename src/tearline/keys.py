"""The node's signing key on disk: ``keys/node.key`` (private, 0600) and ``keys/node.pub``.

The private key is an Ed25519 key in PKCS #8 PEM, created with mode 0600 in a 0700
folder and never printed or logged; ``node.pub`` holds the C2SP verifier key
(``<name>+<key id>+<base64 key>``) that partners use to check the node's
checkpoints. The key name is the log's origin.

A node's key is named after the node (``tearline node init``: the node name, by default
its unit id), because partners keep their witness state and their trust per key and
show the name in every alarm. ``tearline init`` runs before the node has a name, so it
names the key ``<host name>/tearline``; the first ``node init`` renames a key that has
signed nothing yet (:func:`rename_node_key`): two nodes set up on machines with the same
host name must not present keys of the same name.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from tearline.audit.note import check_key_name, format_verifier_key, key_id, parse_verifier_key
from tearline.errors import ConfigError, ProofError
from tearline.files import private_dir, write_private

PRIVATE = "node.key"
PUBLIC = "node.pub"


@dataclass(frozen=True, slots=True)
class NodeKey:
    """The node's key pair and its name (the origin of its log)."""

    name: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def verifier_key(self) -> str:
        return format_verifier_key(self.name, self.public_key)

    def key_id(self) -> str:
        return key_id(self.name, self.public_key).hex()

    def __repr__(self) -> str:  # never show key material
        return f"NodeKey({self.name!r}, key id {self.key_id()})"


def default_origin() -> str:
    """``<host name>/tearline``, with anything a key name cannot hold replaced."""
    host = re.sub(r"[^A-Za-z0-9._-]", "-", socket.gethostname()) or "node"
    return f"{host}/tearline"


def create_node_key(keys_dir: Path, origin: str | None = None) -> tuple[NodeKey, bool]:
    """The node's key, created if absent; returns it and whether it was created now."""
    if (keys_dir / PRIVATE).exists():
        return load_node_key(keys_dir), False
    try:
        name = check_key_name(origin or default_origin())
    except ProofError as exc:
        raise ConfigError(exc.message) from exc
    private_dir(keys_dir, tighten=True)
    key = NodeKey(name, Ed25519PrivateKey.generate())
    pem = key.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    # exclusive: two concurrent inits cannot both write; 0600 from the first byte on.
    write_private(keys_dir / PRIVATE, pem, exclusive=True, sync=True)
    write_private(keys_dir / PUBLIC, (key.verifier_key() + "\n").encode("ascii"))
    return key, True


def rename_node_key(keys_dir: Path, name: str) -> NodeKey:
    """The node's key under another name (the key itself is unchanged; its C2SP key id,
    which covers the name, changes). Only for a key nothing was signed with yet: a
    checkpoint signed under the old name would no longer verify with the new one."""
    key = load_node_key(keys_dir)
    try:
        renamed = NodeKey(check_key_name(name), key.private_key)
    except ProofError as exc:
        raise ConfigError(exc.message) from exc
    write_private(keys_dir / PUBLIC, (renamed.verifier_key() + "\n").encode("ascii"))
    return renamed


def load_node_key(keys_dir: Path) -> NodeKey:
    """The node's private key and name; :class:`ConfigError` if absent or unusable."""
    path = keys_dir / PRIVATE
    if not path.exists():
        raise ConfigError(f"no node key at {path}: run `tearline init` first")
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} is readable by others: chmod 600 it")
    name, _public = load_verifier_key(keys_dir)
    try:
        private = load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise ConfigError(f"{path} is not a PEM private key") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ConfigError(f"{path} is not an Ed25519 key")
    key = NodeKey(name, private)
    if key.verifier_key() != (keys_dir / PUBLIC).read_text(encoding="ascii").strip():
        raise ConfigError(f"{keys_dir / PUBLIC} does not belong to {path}")
    return key


def load_verifier_key(keys_dir: Path) -> tuple[str, Ed25519PublicKey]:
    """(name, public key) from ``node.pub``."""
    path = keys_dir / PUBLIC
    if not path.exists():
        raise ConfigError(f"no verifier key at {path}: run `tearline init` first")
    try:
        return parse_verifier_key(path.read_text(encoding="ascii"))
    except ProofError as exc:
        raise ConfigError(f"{path}: {exc.message}") from exc
