"""The node key on disk: created once with 0600, reloaded, refused when exposed or mismatched."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tearline.audit.note import parse_verifier_key
from tearline.errors import ConfigError
from tearline.keys import create_node_key, load_node_key


def test_created_once_private_and_reloaded(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    key, created = create_node_key(keys, "node.example/log")
    assert created
    assert stat.S_IMODE(os.stat(keys / "node.key").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(keys).st_mode) == 0o700
    again, created_again = create_node_key(keys, "other.example/log")
    assert not created_again and again.verifier_key() == key.verifier_key()
    name, public = parse_verifier_key((keys / "node.pub").read_text())
    assert name == "node.example/log" and public == key.public_key
    assert "PRIVATE" not in repr(key) and key.key_id() in repr(key)


def test_exposed_or_mismatched_keys_are_refused(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    create_node_key(keys, "node.example/log")
    os.chmod(keys / "node.key", 0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_node_key(keys)
    os.chmod(keys / "node.key", 0o600)
    other = tmp_path / "other"
    create_node_key(other, "node.example/log")
    (keys / "node.pub").write_text((other / "node.pub").read_text())
    with pytest.raises(ConfigError, match="does not belong"):
        load_node_key(keys)
    with pytest.raises(ConfigError, match="tearline init"):
        load_node_key(tmp_path / "none")
    with pytest.raises(ConfigError):
        create_node_key(tmp_path / "bad", "has space")
