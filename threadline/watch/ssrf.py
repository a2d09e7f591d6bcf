"""Where a webhook may go: SSRF protection for alert delivery.

A target is an http(s) URL without credentials. Its host is resolved (literal
addresses in any encoding the C resolver accepts: `2130706433`, `0177.1`, `0x7f.1`,
`0`, `[::ffff:127.0.0.1]`...), and every address it resolves to must be public:
not loopback, private, shared, link-local, multicast, reserved or unspecified, in IPv4
or IPv6, with IPv4 inside IPv6 (mapped, NAT64, 6to4) unwrapped first. The operator may
allow networks (`webhook_allow`), e.g. a local receiver. The caller connects to the
address checked here, never resolving the name again (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from threadline.watch.errors import UnsafeTarget

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """A checked webhook target: the URL's parts and the address to connect to."""

    scheme: str
    host: str  # as written (the Host header and the TLS server name)
    port: int
    path: str  # with its query
    address: str


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives for `host`."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeTarget(f"webhook: cannot resolve {host!r} ({error})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def literal(host: str) -> Address | None:
    """The address a host names literally, in any form inet_aton accepts, or None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def unwrap(address: Address) -> Address:
    """The IPv4 address inside an IPv6 one (mapped, NAT64, 6to4), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def unsafe(address: Address) -> str | None:
    """Why an address must not be a webhook target, or None if it is public."""
    inner = unwrap(address)
    for why, bad in (
        ("unspecified", inner.is_unspecified),
        ("loopback", inner.is_loopback),
        ("link-local", inner.is_link_local),
        ("multicast", inner.is_multicast),
        ("private", inner.is_private),
        ("reserved", inner.is_reserved),
        ("not globally routable", not inner.is_global),
    ):
        if bad:
            return why
    if inner is not address and not address.is_global and address not in NAT64:
        return "not globally routable"
    return None


def check_target(
    url: str, allowed: Sequence[Network] = (), resolver: Resolver = system_resolver
) -> Target:
    """The target to connect to, or `UnsafeTarget` naming what is wrong with `url`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(f"webhook: {url!r} is not a URL ({error})") from None
    if parts.scheme not in PORTS:
        raise UnsafeTarget(f"webhook: {url!r} must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("webhook: a URL with a user name or password is not allowed")
    host = parts.hostname or ""
    if not host:
        raise UnsafeTarget(f"webhook: {url!r} names no host")
    port = port or PORTS[parts.scheme]
    named = literal(host)
    addresses = [str(named)] if named is not None else resolver(host, port)
    if not addresses:
        raise UnsafeTarget(f"webhook: {host!r} resolves to no address")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        why = unsafe(address)
        if why is not None and not any(
            a in net for a in {address, unwrap(address)} for net in allowed
        ):
            raise UnsafeTarget(
                f"webhook: {host!r} resolves to {address}, which is {why}; "
                "an operator may allow it in THREADLINE_WEBHOOK_ALLOW"
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0].split("%")[0])
