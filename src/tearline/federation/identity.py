"""A node's public identity: who it is, which unit it speaks for, how to reach and check it.

``tearline node init`` gives a node three things in ``keys/``: the Ed25519 signing key
(:mod:`tearline.keys`, whose verifier key checks every response and receipt the node
signs), a TLS key (ECDSA P-256, ``tls.key``, 0600) with a self-signed certificate
(``tls.crt``) for the mutual-TLS listener, and ``node.json`` with the node's name, agency,
unit and TAXII URL. Nodes trust each other by exchanging their identity documents out of
band (``tearline node identity > me.json``, ``tearline peer add me.json``): there is no
certificate authority, a peer's certificate is pinned by its SHA-256.

Self-signed certificates pinned by fingerprint were chosen over a shared CA because the
agencies do not share an authority they all trust, and a pin cannot be widened by anyone
issuing a second certificate for the same name.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from cryptography.x509.oid import NameOID

from tearline.errors import ConfigError, MarkingError, Problem, ValidationError, tr
from tearline.files import write_private
from tearline.keys import (
    NodeKey,
    cert_sha256,
    check_node_name,
    check_url,
    create_node_key,
    identity_problems,
    load_node_key,
    rename_node_key,
)
from tearline.model.marking import check_party_id

TLS_KEY = "tls.key"
TLS_CERT = "tls.crt"
NODE_FILE = "node.json"
DOCUMENT_TYPE = "tearline-node-identity"
DOCUMENT_VERSION = 1
#: How long a node certificate is valid; a peer re-adds the identity after renewal.
CERT_VALIDITY = timedelta(days=730)
DEFAULT_URL = "https://127.0.0.1:9443/taxii2/"

@dataclass(frozen=True, slots=True)
class NodeIdentity:
    """What a partner needs to know about a node; nothing in it is secret."""

    name: str
    agency: str
    unit: str
    verifier_key: str  # C2SP ``<key name>+<key id>+<base64 key>``
    tls_certificate: str  # PEM
    url: str  # TAXII base URL, ending in ``/``

    def identity_document(self) -> dict[str, Any]:
        return {
            "type": DOCUMENT_TYPE,
            "version": DOCUMENT_VERSION,
            "name": self.name,
            "agency": self.agency,
            "unit": self.unit,
            "verifier_key": self.verifier_key,
            "tls_certificate": self.tls_certificate,
            "url": self.url,
        }

    @property
    def cert_sha256(self) -> str:
        return cert_sha256(self.tls_certificate)

    @classmethod
    def from_document(cls, doc: object) -> NodeIdentity:
        """Parse and check an identity document; :class:`ValidationError` lists every problem."""
        if not isinstance(doc, dict):
            raise ValidationError(tr("an identity document is a JSON object"))
        problems: list[Problem] = []
        if doc.get("type") != DOCUMENT_TYPE:
            problems.append(Problem(tr(
                "expected {DOCUMENT_TYPE!r}", DOCUMENT_TYPE=DOCUMENT_TYPE), column="type"))
        if doc.get("version") != DOCUMENT_VERSION:
            problems.append(Problem(tr(
                "unsupported version (expected {DOCUMENT_VERSION})",
                DOCUMENT_VERSION=DOCUMENT_VERSION),
                                    column="version"))
        fields = ("name", "agency", "unit", "verifier_key", "tls_certificate", "url")
        values: dict[str, str] = {}
        for name in fields:
            value = doc.get(name)
            if not isinstance(value, str) or not value:
                problems.append(Problem(tr("missing or not a string"), column=name))
            else:
                values[name] = value
        extra = sorted(set(doc) - set(fields) - {"type", "version"})
        if extra:
            problems.append(Problem(tr("unknown members {extra}", extra=', '.join(extra))))
        if len(values) == len(fields):
            problems.extend(identity_problems(values))
        if problems:
            raise ValidationError(tr("invalid node identity document"), problems)
        return cls(**values)


# -- the node's own files ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeFiles:
    """Where a node keeps its identity (all in the workspace's ``keys/``)."""

    keys_dir: Path

    @property
    def tls_key(self) -> Path:
        return self.keys_dir / TLS_KEY

    @property
    def tls_cert(self) -> Path:
        return self.keys_dir / TLS_CERT

    @property
    def node_file(self) -> Path:
        return self.keys_dir / NODE_FILE


def _self_signed(name: str, key: ec.EllipticCurvePrivateKey, hosts: tuple[str, ...],
                 now: datetime) -> x509.Certificate:
    sans: list[x509.GeneralName] = [x509.DNSName("localhost"),
                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    for host in hosts:
        try:
            entry: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
        except ValueError:
            entry = x509.DNSName(host)
        if entry not in sans:
            sans.append(entry)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CERT_VALIDITY)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH,
                                   x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )


@dataclass(frozen=True, slots=True)
class InitResult:
    identity: NodeIdentity
    key: NodeKey
    created_key: bool
    created_tls: bool
    renamed_from: str | None = None  # the signing key's former name, if renamed now


def init_node(keys_dir: Path, agency: str, unit: str, name: str | None = None,
              hosts: tuple[str, ...] = (), url: str = DEFAULT_URL,
              now: datetime | None = None, key_signed: bool = True) -> InitResult:
    """Create what is missing of the node's identity and return it.

    Existing keys are kept (a node's keys are its identity; replacing them is a
    deliberate act: delete the files first). ``node.json`` is rewritten, so the name,
    unit and URL can be corrected by running init again.

    The signing key is named after the node. A key made earlier under another name
    (``tearline init`` names it after the host) is renamed by the *first* node init if
    ``key_signed`` is false — nothing was signed with it yet, and without an identity
    document no partner holds it; later, renaming would break partners' pins and the
    stored checkpoints, so the key keeps its name.
    """
    name = check_node_name(name or unit)
    try:
        check_party_id(agency, "agency id")
        check_party_id(unit, "unit id")
    except MarkingError as exc:
        raise ValidationError(exc.message) from None
    if not unit.startswith(agency + "."):
        raise ValidationError(tr(
            "unit {unit!r} is not a unit of agency {agency!r}", unit=unit, agency=agency))
    check_url(url)
    files = NodeFiles(keys_dir)
    first = not files.node_file.exists()
    key, created_key = create_node_key(keys_dir, name)
    renamed_from = None
    if first and not key_signed and key.name != name:
        renamed_from, key = key.name, rename_node_key(keys_dir, name)
    created_tls = False
    if not files.tls_key.exists():
        tls_key = ec.generate_private_key(ec.SECP256R1())
        cert = _self_signed(name, tls_key, hosts, now or datetime.now(UTC))
        write_private(
            files.tls_key,
            tls_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()),
            exclusive=True, sync=True,
        )
        # The certificate goes to partners inside the identity document (`tearline node
        # identity`), not as this file: it is private like the rest of the folder.
        write_private(files.tls_cert, cert.public_bytes(Encoding.PEM))
        created_tls = True
    config = {"name": name, "agency": agency, "unit": unit, "url": url}
    write_private(files.node_file,
                  (json.dumps(config, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return InitResult(load_identity(keys_dir), key, created_key, created_tls, renamed_from)


def load_identity(keys_dir: Path) -> NodeIdentity:
    """The node's identity from ``keys/``; :class:`ConfigError` if it was never initialized."""
    files = NodeFiles(keys_dir)
    if not files.node_file.exists():
        raise ConfigError(tr(
            "no node identity at {node_file}: run `tearline node init`", node_file=files.node_file))
    try:
        config = json.loads(files.node_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(tr(
            "{node_file} is not readable JSON", node_file=files.node_file)) from exc
    key = load_node_key(keys_dir)
    if not files.tls_cert.exists():
        raise ConfigError(tr(
            "no TLS certificate at {tls_cert}: run `tearline node init`", tls_cert=files.tls_cert))
    doc = {
        "type": DOCUMENT_TYPE,
        "version": DOCUMENT_VERSION,
        "name": config.get("name"),
        "agency": config.get("agency"),
        "unit": config.get("unit"),
        "verifier_key": key.verifier_key(),
        "tls_certificate": files.tls_cert.read_text(encoding="ascii"),
        "url": config.get("url"),
    }
    try:
        return NodeIdentity.from_document(doc)
    except ValidationError as exc:
        raise ConfigError(tr(
            "{node_file}: {message}", node_file=files.node_file, message=exc.message)) from exc


def load_tls_key(keys_dir: Path) -> ec.EllipticCurvePrivateKey:
    """The node's TLS private key (checked for 0600, like the signing key)."""
    path = NodeFiles(keys_dir).tls_key
    if not path.exists():
        raise ConfigError(tr("no TLS key at {path}: run `tearline node init`", path=path))
    if path.stat().st_mode & 0o077:
        raise ConfigError(tr("{path} is readable by others: chmod 600 it", path=path))
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise ConfigError(tr("{path} is not a PEM private key", path=path)) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ConfigError(tr("{path} is not an ECDSA key", path=path))
    return key
