"""Fixtures of the tip tests: a workbench taking tips, with a triage group `desk`
(uma), an investigator outside it (vic) and an admin outside it (ada), and the same
behind a real HTTP server; the store tests' backends come from `tests.store_urls`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.http_client import api_client, signed_in
from tests.live_server import LiveServer
from tests.store_urls import store_url  # noqa: F401 (a fixture, for the store tests)
from threadline.access import Role
from threadline.api.app import create_app
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.settings import Settings

PASSWORD = "correct horse battery staple"
PURPOSE = "Tip triage"
GROUP = "desk"


def tip_settings(data_dir: Path, **more: Any) -> Settings:
    """Settings taking tips: two files of at most 64 KiB each, 2,000 characters."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "tips_enabled": True,
        "tips_group": GROUP,
        "tips_max_files": 2,
        "tips_max_file_bytes": 64 << 10,
        "tips_max_text_chars": 2000,
    }
    return Settings(**(values | more))


def people(bench: Workbench) -> dict[str, str]:
    """uma (in the triage group), vic (investigator) and ada (admin): their tokens."""
    tokens = {}
    for name, role in (("uma", Role.INVESTIGATOR), ("vic", Role.INVESTIGATOR), ("ada", Role.ADMIN)):
        tokens[name] = bench.user_add(name, role).token
        bench.accountability.access.set_password(name, PASSWORD)
    bench.group_add(GROUP, ["uma"])
    return tokens


def as_user(bench: Workbench, name: str, purpose: str | None = PURPOSE) -> Workbench:
    """The workbench acting for a user, with a purpose unless told otherwise."""
    return bench.acting(Context(actor=name, purpose=purpose))


@pytest.fixture
def tipped(tmp_path: Path) -> Iterator[Workbench]:
    """A workbench taking tips, with uma, vic and ada."""
    with Workbench(tip_settings(tmp_path / "data")) as bench:
        people(bench)
        yield bench


@dataclass
class Desk:
    """A running server taking tips, and who can use it."""

    url: str
    app: FastAPI
    tokens: dict[str, str]

    def api(
        self, user: str | None = None, purpose: str | None = PURPOSE, **headers: str
    ) -> httpx.Client:
        """A client of /api/v1, with a user's token and a purpose unless told otherwise."""
        token = self.tokens[user] if user is not None else None
        return api_client(self.url, token, purpose, **headers)

    def web(self) -> httpx.Client:
        """An anonymous browser of the pages."""
        return httpx.Client(base_url=self.url, timeout=60, headers={"Accept": "text/html"})

    def signed_in(self, user: str) -> AbstractContextManager[tuple[httpx.Client, str]]:
        """A browser signed in with a session cookie, and its CSRF token."""
        return signed_in(self.url, user, PASSWORD)


@contextmanager
def desk_server(root: Path, **more: Any) -> Iterator[Desk]:
    """A server over a fresh data directory taking tips; `more` changes the settings.
    The loopback peer is a trusted proxy, so each test names its own client address
    with X-Forwarded-For and has a rate limit of its own."""
    data_dir = root / "data"
    with Workbench(data_dir=data_dir) as bench:
        tokens = people(bench)
    settings = tip_settings(data_dir, trusted_proxies=["127.0.0.1/32"], **more)
    app = create_app(settings)
    with LiveServer(app) as live:
        yield Desk(live.url, app, tokens)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with desk_server(tmp_path_factory.mktemp("desk"), tips_rate_limit=3) as running:
        yield running
