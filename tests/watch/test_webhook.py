"""Signed webhooks to a local receiver the operator allowed: the signature verifies,
redirects are not followed, and without the allowance loopback is refused."""

from __future__ import annotations

import ipaddress
import time
from pathlib import Path

import orjson
import pytest

from tests.watch.conftest import add, owns, settings_for
from tests.watch.servers import Hooks
from threadline.app.workbench import Workbench
from threadline.watch import DeliveryStatus, UnsafeTarget
from threadline.watch.errors import DeliveryFailed
from threadline.watch.webhook import SIGNATURE, TIMESTAMP, post, sign, verify


def test_a_signature_verifies_only_with_its_secret_body_and_a_fresh_time() -> None:
    body, now = b'{"a": 1}', int(time.time())
    signature = sign("s3cret", now, body)
    assert signature.startswith("sha256=") and verify("s3cret", str(now), body, signature)
    assert not verify("other", str(now), body, signature)
    assert not verify("s3cret", str(now), body + b" ", signature)
    assert not verify("s3cret", str(now - 3600), body, sign("s3cret", now - 3600, body))
    assert not verify("s3cret", "yesterday", body, signature)


def test_a_pair_alert_reaches_the_allowed_receiver_signed(
    watched: Workbench, tmp_path: Path, hooks: Hooks
) -> None:
    watch = watched.watch_pair("p1", "c9", max_hops=2, webhook=hooks.url)
    assert watch.secret
    add(watched, tmp_path, "beta", owns("o1", "p1", "b1"), owns("o2", "b1", "c9"))
    ((headers, body),) = hooks.received
    assert verify(watch.secret, headers[TIMESTAMP.lower()], body, headers[SIGNATURE.lower()])
    sent = orjson.loads(body)
    assert sent["watch"]["id"] == watch.id and sent["alert"]["entity_ids"] == ["p1", "b1", "c9"]
    (view,) = watched.alerts()
    assert view.deliveries[0].status is DeliveryStatus.SENT
    # The audit names the receiver, without the URL's query (it may hold a token).
    send = [e for e in watched.accountability.events() if e.action == "alert.send"][-1]
    assert "recipient=http://127.0.0.1:" in send.detail and "t0p" not in send.detail


def test_a_redirect_is_not_followed(hooks: Hooks) -> None:
    hooks.status, hooks.location = 302, "http://169.254.169.254/"
    allowed = [ipaddress.ip_network("127.0.0.0/8")]
    with pytest.raises(DeliveryFailed, match="redirects are not followed"):
        post(hooks.url, "k", b"{}", allowed=allowed)
    assert len(hooks.received) == 1


def test_loopback_is_refused_unless_the_operator_allows_it(tmp_path: Path, hooks: Hooks) -> None:
    with Workbench(settings_for(tmp_path, webhook_allow=[])) as bench:
        with pytest.raises(UnsafeTarget, match="loopback"):
            bench.watch_search("Acme", webhook=hooks.url)
        assert bench.watches() == []
    assert hooks.received == []
