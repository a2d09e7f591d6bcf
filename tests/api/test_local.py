"""Local mode: the local admin on loopback, and nothing for any other Host."""

from __future__ import annotations

import httpx

from tests.live_server import LiveServer


def test_local_mode_answers_loopback_as_the_local_admin(local_server: LiveServer) -> None:
    with httpx.Client(base_url=f"{local_server.url}/api/v1") as client:
        me = client.get("/me")
        assert me.status_code == 200
        assert me.json()["user"] == "local" and me.json()["local"] is True
        assert client.get("/search", params={"q": "x"}).status_code == 200  # no purpose needed
        # A change still needs a session and its CSRF token, even here.
        assert client.post("/cases", json={"name": "n", "purpose": "p"}).status_code == 401


def test_local_mode_refuses_a_foreign_host_header(local_server: LiveServer) -> None:
    with httpx.Client(base_url=local_server.url) as client:
        for host in ("evil.example", "192.168.1.10", f"attacker.test:{local_server.port}"):
            answer = client.get("/api/v1/me", headers={"Host": host})
            assert answer.status_code == 400, host
        assert client.get("/api/v1/me", headers={"Host": "localhost"}).status_code == 200
