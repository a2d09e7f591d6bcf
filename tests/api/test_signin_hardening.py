"""Sign-in against a real server: the back-off cannot lock a user out from elsewhere,
X-Forwarded-For is believed from trusted proxies only, sign-ins and bad tokens are
audited without their secrets, and a 422 never echoes a password."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.api.accounts import PASSWORD, Accounts, serve_accounts
from threadline.api.authlog import ANONYMOUS, SIGN_IN, TOKEN

PROXY = "127.0.0.2"  # the one trusted proxy of this server
SECRET = "hunter2-do-not-echo-me"


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Accounts]:
    with serve_accounts(tmp_path_factory.mktemp("signin"), trusted_proxies=[PROXY]) as live:
        yield live


def test_a_client_backing_off_does_not_lock_the_user_out_elsewhere(accounts: Accounts) -> None:
    accounts.freeze_limiter()
    with accounts.client("127.0.0.3") as attacker:
        tried = [accounts.sign_in(attacker, "bob", f"guess {n}").status_code for n in range(5)]
        assert tried == [401] * 5
        # Now even the right password from this client waits (and says how long).
        held = accounts.sign_in(attacker, "bob")
        assert held.status_code == 429
        assert int(held.headers["retry-after"]) >= 30
        assert SECRET not in held.text
    with accounts.client("127.0.0.1") as owner:
        assert accounts.sign_in(owner, "bob").status_code == 200
        assert owner.get("/me").json()["user"] == "bob"


def test_a_client_trying_many_names_is_capped(accounts: Accounts) -> None:
    accounts.freeze_limiter(per_client=4)
    with accounts.client("127.0.0.4") as sprayer:
        tried = [accounts.sign_in(sprayer, name, "wrong one").status_code for name in "wxyz"]
        assert tried == [401] * 4
        assert accounts.sign_in(sprayer, "cat").status_code == 429
    with accounts.client("127.0.0.5") as other:
        assert accounts.sign_in(other, "cat").status_code == 200


def test_a_good_sign_in_does_not_count_against_its_client(accounts: Accounts) -> None:
    accounts.freeze_limiter(per_client=2)
    with accounts.client("127.0.0.6") as office:
        for _ in range(4):  # colleagues behind one address, all signing in well
            assert accounts.sign_in(office, "cat").status_code == 200


def _sign_in_clients(accounts: Accounts, name: str) -> list[str]:
    return [
        e.detail
        for e in accounts.events(SIGN_IN)
        if e.object_ids == (f"user:{name}",) and e.outcome != "ok"
    ]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(accounts: Accounts) -> None:
    accounts.freeze_limiter()
    spoofed = {"X-Forwarded-For": "203.0.113.9"}
    with accounts.client("127.0.0.1", **spoofed) as direct:
        accounts.sign_in(direct, "nobody-direct", "wrong one")
    # Through the proxy: the address it appended, not what the client wrote before it.
    chain = {"X-Forwarded-For": "6.6.6.6, 198.51.100.7"}
    with accounts.client(PROXY, **chain) as proxied:
        accounts.sign_in(proxied, "nobody-proxied", "wrong one")
    assert _sign_in_clients(accounts, "nobody-direct") == ["client=127.0.0.1"]
    assert _sign_in_clients(accounts, "nobody-proxied") == ["client=198.51.100.7"]


def test_the_back_off_follows_the_forwarded_client(accounts: Accounts) -> None:
    accounts.freeze_limiter()
    with accounts.client(PROXY, **{"X-Forwarded-For": "198.51.100.20"}) as one:
        for n in range(5):
            accounts.sign_in(one, "cat", f"guess {n}")
        assert accounts.sign_in(one, "cat").status_code == 429
    with accounts.client(PROXY, **{"X-Forwarded-For": "198.51.100.21"}) as other:
        assert accounts.sign_in(other, "cat").status_code == 200


def test_sign_ins_are_audited_without_the_password(accounts: Accounts) -> None:
    accounts.freeze_limiter()
    with accounts.client("127.0.0.7") as client:
        assert accounts.sign_in(client, "ada").status_code == 200
        assert accounts.sign_in(client, "ada", SECRET).status_code == 401
        assert accounts.sign_in(client, "zed-unknown", SECRET).status_code == 401
    events = [e for e in accounts.events(SIGN_IN) if e.detail == "client=127.0.0.7"]
    assert [(e.actor, e.object_ids, e.outcome) for e in events] == [
        ("ada", ("user:ada",), "ok"),
        (ANONYMOUS, ("user:ada",), "denied: wrong user name or password"),
        (ANONYMOUS, ("user:zed-unknown",), "denied: wrong user name or password"),
    ]
    # Neither password is anywhere in the data directory: log, store or sessions.
    for path in accounts.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert PASSWORD.encode() not in data, path


def test_an_unknown_token_is_audited_by_a_short_salted_hash(accounts: Accounts) -> None:
    accounts.freeze_limiter()
    token = "tl_" + "x" * 43
    for _ in range(2):
        with accounts.client("127.0.0.8", Authorization=f"Bearer {token}") as client:
            answer = client.get("/me")
            assert answer.status_code == 401
            assert token not in answer.text
    events = [e for e in accounts.events(TOKEN) if "client=127.0.0.8" in e.detail]
    assert len(events) == 2
    assert events[0].detail == events[1].detail  # the same token: the same hash
    assert re.fullmatch(r"client=127\.0\.0\.8 token=sha256:[0-9a-f]{12}", events[0].detail)
    assert events[0].actor == "(token)"
    assert events[0].outcome == "denied: invalid or revoked API token"
    log = b"".join(e.to_bytes() for e in accounts.events())
    assert token.encode() not in log


def test_unknown_tokens_from_one_client_are_capped(accounts: Accounts) -> None:
    accounts.freeze_limiter(per_client=3)
    before = len(accounts.events(TOKEN))
    with accounts.client("127.0.0.9", Authorization="Bearer tl_guess") as client:
        statuses = [client.get("/me").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    assert len(accounts.events(TOKEN)) == before + 3  # no flood of events
    with accounts.client("127.0.0.9", Authorization=f"Bearer {accounts.tokens['cat']}") as ok:
        assert ok.get("/me").status_code == 200  # a good token from there still works


@pytest.mark.parametrize(
    "body",
    [
        {"username": "", "password": SECRET},  # a bad field beside the password
        {"password": SECRET},  # a missing field: pydantic's input is the whole body
        {"username": "bob", "password": SECRET * 100},  # the password itself too long
        {"username": ["bob"], "password": SECRET},
    ],
)
def test_a_422_never_echoes_the_password(accounts: Accounts, body: dict[str, object]) -> None:
    with accounts.client() as client:
        answer = client.post("/login", json=body)
    assert answer.status_code == 422
    assert SECRET not in answer.text
    for problem in answer.json()["detail"]:
        assert set(problem) <= {"type", "loc", "msg"}
        assert problem["loc"][0] == "body"  # still names the field at fault


def test_a_422_on_adding_a_user_does_not_echo_the_password(accounts: Accounts) -> None:
    admin = {"Authorization": f"Bearer {accounts.tokens['ada']}"}
    with accounts.client(**admin) as client:
        answer = client.post("/users", json={"name": "", "password": SECRET})
    assert answer.status_code == 422
    assert SECRET not in answer.text
