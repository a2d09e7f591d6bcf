"""A small real server for the sign-in tests: accounts only, no data, so it starts fast.

Clients can come from different loopback addresses (127.0.0.x), so the tests see
distinct clients without any proxy header.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from tests.live_server import LiveServer
from threadline.access import Role
from threadline.api.app import create_app
from threadline.api.limiter import LoginLimiter
from threadline.api.state import Server
from threadline.app.workbench import Workbench
from threadline.audit import AuditEvent
from threadline.settings import Settings

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase"
# Users with a password, by role; `nopass` has only an API token.
USERS = {"ada": Role.ADMIN, "bob": Role.INVESTIGATOR, "cat": Role.INVESTIGATOR}


@dataclass
class Accounts:
    """The running server, its data directory and each user's API token."""

    url: str
    app: FastAPI
    data_dir: Path
    tokens: dict[str, str]

    @property
    def state(self) -> Server:
        state: Server = self.app.state.server
        return state

    def client(self, source: str = "127.0.0.1", **headers: str) -> httpx.Client:
        """A client of /api/v1 connecting from the loopback address `source`."""
        transport = httpx.HTTPTransport(local_address=source)
        return httpx.Client(
            base_url=f"{self.url}/api/v1", headers=headers, transport=transport, timeout=60
        )

    def sign_in(self, client: httpx.Client, user: str, password: str = PASSWORD) -> httpx.Response:
        return client.post("/login", json={"username": user, "password": password})

    def events(self, action: str | None = None) -> list[AuditEvent]:
        """The audit log's events (of one action), oldest first."""
        found = self.state.bench.accountability.events()
        return [e for e in found if action is None or e.action == action]

    def freeze_limiter(self, **limits: Any) -> LoginLimiter:
        """A fresh sign-in limiter whose clock stands still, so no back-off runs out."""
        limiter = LoginLimiter(clock=lambda: 1000.0, **limits)
        self.state.limiter = limiter
        return limiter


def make_accounts(data_dir: Path) -> dict[str, str]:
    """The users of `USERS` with passwords, and `nopass` without; their tokens."""
    tokens: dict[str, str] = {}
    with Workbench(data_dir=data_dir) as bench:
        for name, role in USERS.items():
            tokens[name] = bench.user_add(name, role).token
            bench.user_password(name, PASSWORD)
        tokens["nopass"] = bench.user_add("nopass", Role.VIEWER).token
    return tokens


@contextmanager
def serve_accounts(root: Path, **settings: Any) -> Iterator[Accounts]:
    """A server (server mode) over a fresh data directory with the accounts."""
    data_dir = root / "data"
    tokens = make_accounts(data_dir)
    app = create_app(Settings(data_dir=data_dir, **settings))
    with LiveServer(app) as live:
        yield Accounts(live.url, app, data_dir, tokens)
