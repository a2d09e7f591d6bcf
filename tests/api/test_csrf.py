"""CSRF: every API route that changes state refuses a session without the right token.

The routes are read from the running app's OpenAPI schema, so a route added later is
covered too.
"""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from tests.api.conftest import World
from threadline.api.app import API_PREFIX

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
EXEMPT = {
    f"{API_PREFIX}/login",  # nobody is signed in yet: the rate limit guards it
    # The public tip form takes no account: a forged tip is no different from any
    # anonymous one, and the same rate limit and caps guard it.
    f"{API_PREFIX}/tips",
}


def changing_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every state-changing JSON API route, from the OpenAPI schema."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith(API_PREFIX) and path not in EXEMPT:
            found += [(m.upper(), path) for m in sorted(operations) if m.upper() in UNSAFE]
    return found


def _send(client: httpx.Client, method: str, path: str, csrf: str | None) -> httpx.Response:
    url = re.sub(r"\{[^}]+\}", "x", path).removeprefix(API_PREFIX)
    if path.endswith("/ingest"):  # a form: the token may come as a field
        files = {"file": ("a.ijson", b"{}", "application/json")}
        data = {} if csrf is None else {"csrf_token": csrf}
        return client.request(method, url, files=files, data=data)
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    return client.request(method, url, json={}, headers=headers)


def test_every_route_family_is_covered(world: World) -> None:
    families = {path.split("/")[3] for _, path in changing_routes(world.app)}
    assert {"cases", "judgements", "ingest", "users", "grants", "me", "logout"} <= families


def test_a_session_without_the_right_csrf_token_is_refused(world: World) -> None:
    wrong = []
    with world.browser("bob") as (client, _):
        for method, path in changing_routes(world.app):
            for sent in (None, "wrong-token"):
                answer = _send(client, method, path, sent)
                refused = answer.status_code == 403 and "CSRF" in answer.json()["detail"]
                if not refused:
                    wrong.append(f"{method} {path} csrf={sent}: {answer.status_code}")
    assert wrong == []


def test_the_right_csrf_token_in_a_header_or_a_form_field_passes(world: World) -> None:
    with world.browser("bob") as (client, csrf):
        made = client.post(
            "/cases",
            json={"name": "by session", "purpose": "csrf test"},
            headers={"X-CSRF-Token": csrf},
        )
        assert made.status_code == 201, made.text
        files = {"file": ("a.txt", b"nothing", "text/plain")}
        upload = client.post("/ingest", files=files, data={"csrf_token": csrf, "dataset": "x"})
        assert upload.status_code == 202, upload.text
