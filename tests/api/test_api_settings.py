"""API settings from TEARLINE_API_* variables: trusted proxies are named, never guessed."""

from __future__ import annotations

import pytest

from tearline.api.settings import ApiSettings
from tearline.errors import ConfigError


def test_no_proxy_is_trusted_unless_named() -> None:
    assert ApiSettings.from_env({}).trusted_proxies == ()
    named = ApiSettings.from_env({"TEARLINE_API_TRUSTED_PROXIES": " 10.0.0.5, 10.1.0.0/16,,::1 "})
    assert named.trusted_proxies == ("10.0.0.5", "10.1.0.0/16", "::1")


@pytest.mark.parametrize("value", ["*", "proxy.example", "10.1.0.5/16", "10.0.0.300"])
def test_anything_but_addresses_and_networks_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        ApiSettings.from_env({"TEARLINE_API_TRUSTED_PROXIES": value})
