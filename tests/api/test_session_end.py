"""A password change, a token revocation or disabling a user ends that user's web
sessions at once, even when another process (the CLI) makes the change."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.api.accounts import NEW_PASSWORD, PASSWORD, Accounts, serve_accounts
from threadline.access import Role
from threadline.api.sessions import STALE_EPOCH, SessionStore
from threadline.app.workbench import Workbench

Change = Callable[[Workbench, str], object]
CHANGES: dict[str, Change] = {
    "password change": lambda bench, name: bench.user_password(name, NEW_PASSWORD),
    "token revocation": lambda bench, name: bench.token_revoke(name),
    "disabling": lambda bench, name: bench.user_update(name, disabled=True),
}


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Accounts]:
    with serve_accounts(tmp_path_factory.mktemp("sessions")) as live:
        yield live


def _signed_in(accounts: Accounts, name: str) -> tuple[httpx.Client, str]:
    client = accounts.client()
    answer = accounts.sign_in(client, name)
    assert answer.status_code == 200, answer.text
    return client, str(answer.json()["csrf"])


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_ends_every_session_of_that_user(accounts: Accounts, change: str) -> None:
    accounts.freeze_limiter()
    name = f"u{sorted(CHANGES).index(change)}"
    with Workbench(data_dir=accounts.data_dir) as cli:  # as another process would
        cli.user_add(name, Role.INVESTIGATOR)
        cli.user_password(name, PASSWORD)
    first, csrf = _signed_in(accounts, name)
    second, _ = _signed_in(accounts, name)
    bystander, _ = _signed_in(accounts, "cat")
    with closing(first), closing(second), closing(bystander):
        assert first.get("/me").status_code == 200
        with Workbench(data_dir=accounts.data_dir) as cli:
            CHANGES[change](cli, name)
        assert first.get("/me").status_code == 401
        assert second.get("/me").status_code == 401
        # A change with the old cookie and CSRF token is refused as well.
        work = first.put("/me/work", json={"purpose": "x"}, headers={"X-CSRF-Token": csrf})
        assert work.status_code == 401
        assert bystander.get("/me").status_code == 200  # other users keep theirs
    with accounts.client() as again:
        if change == "disabling":
            assert accounts.sign_in(again, name).status_code == 401
        else:
            password = NEW_PASSWORD if change == "password change" else PASSWORD
            assert accounts.sign_in(again, name, password).status_code == 200
            assert again.get("/me").json()["user"] == name


def test_a_session_made_from_an_epoch_read_before_a_change_is_over(accounts: Accounts) -> None:
    state = accounts.state
    access = state.bench.accountability.access
    epoch = access.session_epoch("bob")  # read, then the password checked...
    access.set_password("bob", NEW_PASSWORD)  # ...while it changes
    cookie, _ = state.sessions.create("bob", epoch)
    with accounts.client() as client:
        client.cookies.set("threadline_session", cookie)
        assert client.get("/me").status_code == 401
    assert state.sessions.get(cookie) is None  # and the stale row is gone


def test_sessions_of_a_table_from_before_epochs_are_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    cookie = "an-old-session"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    engine = create_engine(url)
    with engine.begin() as conn:  # the table as it was before epochs, with a session
        conn.execute(
            text(
                "CREATE TABLE web_sessions (digest VARCHAR(64) PRIMARY KEY, "
                "user_name VARCHAR(64) NOT NULL, csrf VARCHAR(64) NOT NULL, "
                "expires VARCHAR(32) NOT NULL, case_id VARCHAR(64), purpose VARCHAR(1000))"
            )
        )
        conn.execute(
            text("INSERT INTO web_sessions VALUES (:d, 'bob', 'csrf', :e, NULL, NULL)"),
            {"d": hashlib.sha256(cookie.encode()).hexdigest(), "e": tomorrow},
        )
    engine.dispose()
    for _ in range(2):  # the second opening finds the column and changes nothing
        store = SessionStore(url)
        found = store.get(cookie)
        assert found is not None and found.user == "bob"
        assert found.epoch == STALE_EPOCH  # which no user's epoch ever is
        store.close()
