"""Which address a request comes from: X-Forwarded-For only through trusted proxies."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from threadline.api.client import Network, forwarded_client
from threadline.settings import Settings

PROXIES: list[Network] = [ip_network("10.0.0.0/24"), ip_network("::1/128")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        # No proxies configured (the default): the header is never believed.
        ("127.0.0.1", ["203.0.113.9"], [], "127.0.0.1"),
        # A peer that is not a trusted proxy: ignored, whatever it says.
        ("192.0.2.1", ["203.0.113.9"], PROXIES, "192.0.2.1"),
        # A trusted proxy: the address it appended (the rightmost), not earlier ones
        # the client may have written itself.
        ("10.0.0.5", ["6.6.6.6, 203.0.113.9"], PROXIES, "203.0.113.9"),
        # Chains of trusted proxies are skipped from the right.
        ("10.0.0.5", ["203.0.113.9, 10.0.0.7"], PROXIES, "203.0.113.9"),
        ("10.0.0.5", ["6.6.6.6", "203.0.113.9", "10.0.0.7"], PROXIES, "203.0.113.9"),
        ("::1", ["2001:db8::1"], PROXIES, "2001:db8::1"),
        # A trusted proxy without the header is the client itself.
        ("10.0.0.5", [], PROXIES, "10.0.0.5"),
        # Every hop trusted: the first of them.
        ("10.0.0.5", ["10.0.0.9, 10.0.0.7"], PROXIES, "10.0.0.9"),
        # Garbage where the client's address should be is not believed.
        ("10.0.0.5", ["203.0.113.9, not-an-address"], PROXIES, "10.0.0.5"),
    ],
)
def test_forwarded_client(
    peer: str, forwarded: list[str], proxies: list[Network], client: str
) -> None:
    assert forwarded_client(peer, forwarded, proxies) == client


def test_trusted_proxies_setting_takes_addresses_and_networks() -> None:
    settings = Settings.model_validate({"trusted_proxies": ["10.0.0.5", "10.1.0.0/16", "::1"]})
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.5/32", "10.1.0.0/16", "::1/128"]
    assert Settings().trusted_proxies == []
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings.model_validate({"trusted_proxies": ["not an address"]})
