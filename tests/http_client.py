"""Clients of a test server's JSON API, shared by the API and tip tests: one with a
user's token and a purpose, and one signed in with a session cookie."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

API = "/api/v1"


def api_client(
    url: str, token: str | None = None, purpose: str | None = None, **headers: str
) -> httpx.Client:
    """A client of `url`/api/v1 sending a bearer `token` and an `X-Purpose`, if given."""
    sent = dict(headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if purpose is not None:
        sent["X-Purpose"] = purpose
    return httpx.Client(base_url=f"{url}{API}", headers=sent, timeout=60)


@contextmanager
def signed_in(base_url: str, user: str, password: str) -> Iterator[tuple[httpx.Client, str]]:
    """A client of `base_url` signed in with a session cookie (through /api/v1/login,
    whatever the base), and its CSRF token."""
    login = "/login" if base_url.endswith(API) else f"{API}/login"
    with httpx.Client(base_url=base_url, timeout=60) as client:
        answer = client.post(login, json={"username": user, "password": password})
        answer.raise_for_status()
        yield client, str(answer.json()["csrf"])
