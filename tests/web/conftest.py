"""A real server and a real browser for the web UI tests.

uvicorn serves the app (server mode: sign-in, CSRF, a purpose for every read) on a
free loopback port in a thread, over a data directory with the small demo, resolved
so the review queue has pairs (built once per test run, a copy for each worker).
Debian's Chromium, driven by Playwright, is shared by the whole session; each test
opens its own browser context (its own cookies).
Playwright never downloads a browser here: if /usr/bin/chromium is missing, apt
installs Debian's package.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import built_once, copy_of_full_demo
from tests.live_server import LiveServer
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
PASSWORD = "correct horse battery staple"
DEMO_DATASETS = ("registry", "procurement", "donations", "leak")
# noor walks the story journey alone (it starts with no case, whatever ran before it in
# the same session); ana and kim investigate (kim judges in the keyboard test); gus
# charts in the graph explorer; ben only reads; ada administers.
USERS = {
    "noor": (Role.INVESTIGATOR, Level.WRITE),
    "ana": (Role.INVESTIGATOR, Level.WRITE),
    "kim": (Role.INVESTIGATOR, Level.WRITE),
    "gus": (Role.INVESTIGATOR, Level.WRITE),
    "ben": (Role.INVESTIGATOR, Level.READ),
    "ada": (Role.ADMIN, Level.MANAGE),
}
TIMEOUT_MS = 15_000


def ensure_chromium() -> Path:
    """Debian's Chromium, installed with apt if it is missing (never downloaded)."""
    if CHROMIUM.exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.fail("/usr/bin/chromium is missing and apt-get is not available to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Test workers run in parallel: one installs while the others wait, then find it.
    with open(Path(tempfile.gettempdir()) / "threadline-chromium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not CHROMIUM.exists():
            subprocess.run([apt, "update"], check=True, env=env, capture_output=True)
            install = [apt, "install", "-y", "chromium"]
            subprocess.run(install, check=True, env=env, capture_output=True)
    if not CHROMIUM.exists():
        pytest.fail("apt-get installed chromium, but /usr/bin/chromium is still missing")
    return CHROMIUM


@dataclass
class Site:
    """The running server, its app (for the workbench behind it) and its users."""

    url: str
    app: FastAPI

    @property
    def bench(self) -> Workbench:
        bench: Workbench = self.app.state.server.bench
        return bench


def populate(data_dir: Path) -> None:
    """The small demo, resolved (so the review queue has pairs), and its users."""
    with Workbench(data_dir=data_dir) as bench:
        bench.demo(scale=0.02)
        bench.resolve()
        access = bench.accountability.access
        for name, (role, level) in USERS.items():
            bench.user_add(name, role)
            access.set_password(name, PASSWORD)
            for dataset in DEMO_DATASETS:
                bench.grant(name, dataset, level)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The populated data directory is built once per test run (a resolve: some 20 s)
    and each worker serves its own copy: the tests change it (cases, judgements)."""
    template = built_once(tmp_path_factory, "web-site", populate)
    data_dir = copy_of_full_demo(template, tmp_path_factory.mktemp("web") / "data")
    app = create_app(Settings(data_dir=data_dir))
    with LiveServer(app) as live:
        yield Site(live.url, app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies), failing fast on a missing element."""
    made = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    made.set_default_timeout(TIMEOUT_MS)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, site: Site, user: str, purpose: str | None = "Testing the web UI") -> None:
    """Sign in through the form; then state a purpose on the page that asks for one."""
    page.goto(f"{site.url}/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/work?**")
    if purpose is not None:
        page.get_by_label("Purpose (when not working in a case)").fill(purpose)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/search")
        expect(page.locator(".who .work")).to_contain_text(purpose)


SignIn = Callable[[Page, str], None]


@pytest.fixture
def signed_in(site: Site) -> SignIn:
    def go(page: Page, user: str) -> None:
        sign_in(page, site, user)

    return go
