"""The address a request comes from, as the sign-in limit and the audit log name it.

`X-Forwarded-For` is believed only when the direct peer is a configured trusted proxy
(`Settings.trusted_proxies`, none by default): anyone else could write any address
there and so dodge the limit or blame someone. The header is read from the right,
skipping trusted proxies; the first other address is the client. uvicorn must not
rewrite the peer itself (`threadline serve` runs it with `proxy_headers=False`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

from threadline.api.state import server

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(text: str, proxies: Sequence[Network]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in proxies)


def forwarded_client(peer: str, forwarded: Sequence[str], proxies: Sequence[Network]) -> str:
    """The client behind `peer`, given the `X-Forwarded-For` header values."""
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _trusted(hop, proxies):
            continue
        address = _address(hop)
        # A trusted proxy writes a real address; anything else is not believed.
        return str(address) if address is not None else peer
    return str(_address(hops[0])) if hops else peer


def client_address(request: Request) -> str:
    """The address of the client of this request."""
    peer = request.client.host if request.client else UNKNOWN
    proxies = server(request).bench.settings.trusted_proxies
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), proxies)
