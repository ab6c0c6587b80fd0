"""Node identity: keys and a self-signed certificate on disk, the document and its checks."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from filemodes import mode_of
from tearline.errors import ConfigError, ValidationError
from tearline.federation.identity import NodeIdentity, init_node, load_identity, load_tls_key
from tearline.keys import cert_sha256, load_certificate


def test_init_creates_keys_certificate_and_identity(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    now = datetime(2026, 1, 1, tzinfo=UTC)
    made = init_node(keys, "mx.semar", "mx.semar.uie", hosts=("node.semar.example", "10.0.0.7"),
                     url="https://10.0.0.7:9443/taxii2/", now=now)
    assert made.created_key and made.created_tls
    assert stat.S_IMODE(os.stat(keys / "tls.key").st_mode) == 0o600
    ident = made.identity
    assert (ident.name, ident.agency, ident.unit) == ("mx.semar.uie", "mx.semar", "mx.semar.uie")
    cert = load_certificate(ident.tls_certificate)
    assert cert.subject.rfc4514_string() == "CN=mx.semar.uie"
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(sans.get_values_for_type(x509.DNSName)) == {"localhost", "node.semar.example"}
    assert {str(ip) for ip in sans.get_values_for_type(x509.IPAddress)} == {"127.0.0.1",
                                                                           "10.0.0.7"}
    assert cert.not_valid_after_utc - now == timedelta(days=730)
    assert load_tls_key(keys).public_key() == cert.public_key()
    assert ident.cert_sha256 == cert_sha256(cert.public_bytes(Encoding.DER))
    assert ident.verifier_key == made.key.verifier_key()


def test_init_again_keeps_the_keys_and_updates_the_settings(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    first = init_node(keys, "us.dea", "us.dea.sod").identity
    again = init_node(keys, "us.dea", "us.dea.sod", name="dea-node",
                      url="https://dea.example:443/taxii2/")
    assert not again.created_key and not again.created_tls
    assert again.identity.tls_certificate == first.tls_certificate
    assert again.identity.verifier_key == first.verifier_key
    assert (again.identity.name, again.identity.url) == ("dea-node", "https://dea.example:443/taxii2/")
    assert load_identity(keys) == again.identity


def test_document_round_trip_through_json(tmp_path: Path) -> None:
    ident = init_node(tmp_path / "k", "mx.fgr", "mx.fgr.aic").identity
    doc = json.loads(json.dumps(ident.identity_document()))
    assert NodeIdentity.from_document(doc) == ident


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"type": "something-else"}, "type"),
        ({"version": 2}, "version"),
        ({"name": "Not A Name"}, "name"),
        ({"agency": "US DEA"}, "agency"),
        ({"unit": "mx.semar.uie"}, "unit"),  # not a unit of us.dea
        ({"verifier_key": "x+00000000+AAAA"}, "verifier_key"),
        ({"tls_certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
         "tls_certificate"),
        ({"url": "ftp://host/taxii2/"}, "url"),
        ({"url": "https://user:pw@host/taxii2/"}, "url"),
        ({"url": "https://host/taxii2"}, "url"),
        ({"name": 7}, "name"),
        ({"extra": "x"}, "unknown members"),
    ],
)
def test_bad_documents_are_typed_errors(tmp_path: Path, change: dict[str, object],
                                        where: str) -> None:
    doc = init_node(tmp_path / "k", "us.dea", "us.dea.sod").identity.identity_document()
    doc.update(change)
    with pytest.raises(ValidationError) as info:
        NodeIdentity.from_document(doc)
    assert where in str(info.value)


def test_a_verifier_key_whose_id_does_not_match_is_refused(tmp_path: Path) -> None:
    doc = init_node(tmp_path / "k", "us.dea", "us.dea.sod").identity.identity_document()
    name, kid, material = doc["verifier_key"].split("+", 2)  # base64 may hold "+"
    doc["verifier_key"] = f"{name}x+{kid}+{material}"  # another name, same id: forged
    with pytest.raises(ValidationError, match="verifier_key"):
        NodeIdentity.from_document(doc)


def test_not_a_document() -> None:
    with pytest.raises(ValidationError):
        NodeIdentity.from_document(["not", "a", "dict"])


def test_uninitialized_or_exposed_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="node init"):
        load_identity(tmp_path / "none")
    keys = tmp_path / "keys"
    init_node(keys, "us.dea", "us.dea.sod")
    os.chmod(keys / "tls.key", 0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_tls_key(keys)


def test_bad_init_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not a unit of"):
        init_node(tmp_path / "k", "us.dea", "mx.semar.uie")
    with pytest.raises(ValidationError, match="node name"):
        init_node(tmp_path / "k", "us.dea", "us.dea.sod", name="Bad Name")
    assert not (tmp_path / "k").exists()


@pytest.mark.usefixtures("permissive_umask")
def test_the_identity_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    keys = tmp_path / "workspace" / "keys"
    init_node(keys, "mx.semar", "mx.semar.uie")
    assert (mode_of(keys.parent), mode_of(keys)) == (0o700, 0o700)
    modes = {p.name: mode_of(p) for p in keys.iterdir()}
    assert set(modes) == {"node.key", "node.pub", "tls.key", "tls.crt", "node.json"}
    assert set(modes.values()) == {0o600}
    os.chmod(keys / "node.json", 0o644)
    init_node(keys, "mx.semar", "mx.semar.uie", name="semar-node")  # rewrites node.json
    assert mode_of(keys / "node.json") == 0o600
