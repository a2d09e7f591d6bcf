"""Signed webhooks: an alert POSTed as JSON to a checked address, HMAC-SHA256 signed.

The receiver checks `X-Threadline-Signature: sha256=HEX`, the HMAC-SHA256 under the
watch's secret of `TIMESTAMP.BODY` (the `X-Threadline-Timestamp` header, a dot, the raw
body), and refuses old timestamps (replay). The connection goes to the address
`ssrf.check_target` checked, never to a second resolution of the name; redirects are
not followed (a 3xx is a failed delivery), so a target cannot bounce us inwards.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import socket
import ssl
import time
from collections.abc import Sequence

from threadline.watch.errors import DeliveryFailed
from threadline.watch.ssrf import Network, Resolver, Target, check_target, system_resolver

SIGNATURE = "X-Threadline-Signature"
TIMESTAMP = "X-Threadline-Timestamp"
TOLERANCE = 300  # seconds a receiver should accept a timestamp off its clock


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for a body sent at `timestamp` (Unix seconds)."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > TOLERANCE:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a fixed address, with the certificate checked for the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    """Plain HTTP to a fixed address, with the host name in the Host header."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(
    url: str,
    secret: str,
    body: bytes,
    *,
    allowed: Sequence[Network] = (),
    timeout: float = 10.0,
    resolver: Resolver = system_resolver,
) -> int:
    """POST a signed body to `url` once; its status, or `DeliveryFailed` (or
    `UnsafeTarget`, before anything is sent)."""
    target = check_target(url, allowed, resolver)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "threadline-alerts",
        TIMESTAMP: str(timestamp),
        SIGNATURE: sign(secret, timestamp, body),
    }
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1 << 16)
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(f"webhook {target.host}: {error}") from None
    finally:
        connection.close()
    if 300 <= status < 400:
        raise DeliveryFailed(
            f"webhook {target.host}: answered {status}; redirects are not followed"
        )
    if status >= 400:
        raise DeliveryFailed(f"webhook {target.host}: answered {status}")
    return status
