"""The node's signing key on disk: ``keys/node.key`` (private, 0600) and ``keys/node.pub``;
and the checks of what a node shows others: its certificate and identity values.

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

The certificate helpers and :func:`identity_problems` sit here, below both the store
(which checks a peer before trusting it) and the federation (which reads identity
documents, ``federation/identity.py``), so that neither leans on the other.
"""

from __future__ import annotations

import hashlib
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from tearline.audit.note import check_key_name, format_verifier_key, key_id, parse_verifier_key
from tearline.errors import ConfigError, MarkingError, Problem, ProofError, ValidationError, tr
from tearline.files import private_dir, write_private
from tearline.model.marking import check_party_id

PRIVATE = "node.key"
PUBLIC = "node.pub"

#: Node names are dotted lowercase ids, so that ``node:<name>`` is an audit party.
_NAME = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*")


@dataclass(frozen=True, slots=True)
class NodeKey:
    """The node's key pair and its name (the origin of its log)."""

    name: str
    private_key: Ed25519PrivateKey
    #: a digest of the public key, computed once: every signature names it
    _key_id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key_id", key_id(self.name, self.public_key).hex())

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def verifier_key(self) -> str:
        return format_verifier_key(self.name, self.public_key)

    def key_id(self) -> str:
        return self._key_id

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
        raise ConfigError(tr("no node key at {path}: run `tearline init` first", path=path))
    if path.stat().st_mode & 0o077:
        raise ConfigError(tr("{path} is readable by others: chmod 600 it", path=path))
    name, _public = load_verifier_key(keys_dir)
    try:
        private = load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise ConfigError(tr("{path} is not a PEM private key", path=path)) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ConfigError(tr("{path} is not an Ed25519 key", path=path))
    key = NodeKey(name, private)
    if key.verifier_key() != (keys_dir / PUBLIC).read_text(encoding="ascii").strip():
        raise ConfigError(tr(
            "{value} does not belong to {path}", value=keys_dir / PUBLIC, path=path))
    return key


def load_verifier_key(keys_dir: Path) -> tuple[str, Ed25519PublicKey]:
    """(name, public key) from ``node.pub``."""
    path = keys_dir / PUBLIC
    if not path.exists():
        raise ConfigError(tr("no verifier key at {path}: run `tearline init` first", path=path))
    try:
        return parse_verifier_key(path.read_text(encoding="ascii"))
    except ProofError as exc:
        raise ConfigError(tr("{path}: {message}", path=path, message=exc.message)) from exc


# -- what a node shows others: its certificate and identity values -------------------------


def identity_problems(values: dict[str, str]) -> list[Problem]:
    """Every problem with the values of a node identity document (name, agency, unit,
    verifier key, TLS certificate, URL), each naming its member."""
    problems: list[Problem] = []
    try:
        check_node_name(values["name"])
    except ValidationError as exc:
        problems.append(Problem(exc.message, column="name"))
    for what in ("agency", "unit"):
        try:
            check_party_id(values[what], f"{what} id")
        except MarkingError as exc:
            problems.append(Problem(exc.message, column=what))
    if not values["unit"].startswith(values["agency"] + "."):
        problems.append(Problem(tr("the unit must belong to the agency"), column="unit"))
    try:
        parse_verifier_key(values["verifier_key"])
    except ProofError as exc:
        problems.append(Problem(exc.message, column="verifier_key"))
    try:
        load_certificate(values["tls_certificate"])
    except ValidationError as exc:
        problems.append(Problem(exc.message, column="tls_certificate"))
    try:
        check_url(values["url"])
    except ValidationError as exc:
        problems.append(Problem(exc.message, column="url"))
    return problems


def check_node_name(name: str) -> str:
    if not _NAME.fullmatch(name) or len(name) > 128:
        raise ValidationError(tr(
            "invalid node name {name!r}: expected a dotted lowercase name", name=name))
    return name


def check_url(url: str) -> str:
    """A TAXII base URL: ``https://host[:port]/path/``, no query, no credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(tr(
            "invalid TAXII URL {url!r}: expected https://host:port/taxii2/", url=url))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError(tr(
            "invalid TAXII URL {url!r}: no credentials, query or fragment", url=url))
    if not parts.path.endswith("/"):
        raise ValidationError(tr("invalid TAXII URL {url!r}: it must end with '/'", url=url))
    return url


def load_certificate(pem: str) -> x509.Certificate:
    """One PEM certificate; :class:`ValidationError` if it is not."""
    try:
        certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValidationError(tr("not a PEM X.509 certificate")) from exc
    if len(certs) != 1:
        raise ValidationError(tr("expected exactly one certificate"))
    return certs[0]


def cert_sha256(certificate: str | bytes) -> str:
    """Hex SHA-256 of a certificate's DER bytes (PEM text or DER bytes given)."""
    der = (
        load_certificate(certificate).public_bytes(Encoding.DER)
        if isinstance(certificate, str)
        else certificate
    )
    return hashlib.sha256(der).hexdigest()
