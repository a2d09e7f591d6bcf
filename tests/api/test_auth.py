"""Signing in: the session cookie, the sign-in rate limit, and API tokens."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import PASSWORD, World
from threadline.api.limiter import LoginLimiter
from threadline.api.state import Server


def test_login_sets_an_httponly_samesite_lax_cookie(world: World) -> None:
    with httpx.Client(base_url=f"{world.url}/api/v1") as client:
        answer = client.post("/login", json={"username": "bob", "password": PASSWORD})
        assert answer.status_code == 200
        assert answer.json()["user"] == "bob"
        assert answer.json()["csrf"]
        cookie = answer.headers["set-cookie"]
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert cookie.startswith("threadline_session=")
        assert "httponly" in flags
        assert "samesite=lax" in flags
        assert "secure" not in flags  # plain http; Secure is set under https
        me = client.get("/me")
        assert me.status_code == 200
        assert me.json()["user"] == "bob"


def test_wrong_password_and_unknown_user_look_alike(world: World) -> None:
    with httpx.Client(base_url=f"{world.url}/api/v1") as client:
        wrong = client.post("/login", json={"username": "bob", "password": "not the password"})
        nobody = client.post("/login", json={"username": "zed", "password": "not the password"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()
    assert "set-cookie" not in wrong.headers


@pytest.fixture
def fresh_limiter(world: World) -> Iterator[None]:
    """Every client of the test server is 127.0.0.1: reset the limit around the test,
    with a clock that stands still so no back-off runs out during it."""
    state: Server = world.app.state.server
    state.limiter = LoginLimiter(clock=lambda: 1000.0)
    yield
    state.limiter = LoginLimiter()


def test_login_is_rate_limited(world: World, fresh_limiter: None) -> None:
    with httpx.Client(base_url=f"{world.url}/api/v1") as client:
        statuses = [
            client.post(
                "/login", json={"username": "cat", "password": "guess number x"}
            ).status_code
            for _ in range(5)
        ]
        assert statuses == [401] * 5
        limited = client.post("/login", json={"username": "cat", "password": PASSWORD})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0


def test_a_token_works_without_csrf_and_a_bad_token_is_refused(world: World) -> None:
    with world.client("bob") as client:
        made = client.post("/cases", json={"name": "by token", "purpose": "scripts"})
        assert made.status_code == 201, made.text
    with world.client() as client:
        client.headers["Authorization"] = "Bearer tl_not-a-real-token"
        assert client.get("/datasets").status_code == 401
    with world.client() as anonymous:
        assert anonymous.get("/datasets").status_code == 401


def test_logout_ends_the_session(world: World) -> None:
    with world.browser("cat") as (client, csrf):
        cookie = client.cookies["threadline_session"]
        assert client.post("/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    with world.client() as replay:
        replay.cookies.set("threadline_session", cookie)
        assert replay.get("/me").status_code == 401
