"""`threadline user/token/group/grant/grants/mark/clear` and acting with `--token`."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tests.cli.conftest import SECRET_NAME, add_user
from tests.cli.runner import cli, ok
from threadline.cli.app import app
from threadline.ingest.namespace import DatasetNamespace


def hit_ids(data: Path, query: str, token: str | None = None) -> set[str]:
    done = ok(data, "search", query, "--json", "--limit", "50", token=token)
    return {str(line["id"]) for line in done.lines() if "id" in line}


def test_every_command_and_group_has_help(tmp_path: Path) -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    for name, sub in command.commands.items():
        assert "Usage" in ok(tmp_path, name, "--help").stdout, name
        for verb in getattr(sub, "commands", {}):
            assert "Usage" in ok(tmp_path, name, verb, "--help").stdout, (name, verb)


def test_user_add_prints_a_token_that_acts_as_that_user(data: Path) -> None:
    done = ok(data, "user", "add", "alice")
    token = done.stdout.strip()
    assert token.startswith("tl_") and len(done.stdout.splitlines()) == 1
    assert "shown once" in done.stderr
    ok(data, "grant", "alice", "--dataset", "people", "--read")
    assert hit_ids(data, "", token) == {"p1", "c1", "o1"}
    assert hit_ids(data, "Zebediah", token) == set()
    assert hit_ids(data, "Zebediah") == {"x1"}  # the local admin sees everything
    refused = cli(data, "entity", "x1", token=token)
    assert refused.code == 1 and "No entity with id 'x1'" in refused.stderr
    names = [str(d["name"]) for d in ok(data, "datasets", "--json", token=token).lines()]
    assert names == ["people"]
    # The token may come from the environment as well.
    env = {"THREADLINE_TOKEN": token}
    found = ok(data, "search", "Zebediah", "--json", env=env).lines()
    assert found[-1]["total"] == 0


def test_grant_and_revoke_take_effect_on_the_next_command(data: Path) -> None:
    token = add_user(data, "alice")
    assert hit_ids(data, "", token) == set()
    ok(data, "grant", "alice", "--dataset", "leaks", "--read")
    assert hit_ids(data, "", token) == {"x1"}
    grants = ok(data, "grants", "--json").lines()
    assert grants == [{"holder": "alice", "dataset": "leaks", "level": "read"}]
    ok(data, "grant", "alice", "--dataset", "leaks", "--revoke")
    assert hit_ids(data, "", token) == set()
    assert ok(data, "grants", "--json").stdout == ""


def test_viewer_cannot_write(data: Path, tmp_path: Path) -> None:
    token = add_user(data, "vera", "viewer")
    ok(data, "grant", "vera", "--dataset", "people", "--write")
    more = tmp_path / "more.ijson"
    more.write_text('{"id": "p9", "schema": "Person", "properties": {"name": ["Ann"]}}\n')
    refused = cli(data, "ingest", str(more), "--dataset", "people", token=token)
    assert refused.code == 1
    assert "lacks write on collection 'people' (viewers may only read)" in refused.stderr
    assert hit_ids(data, "", token) == {"p1", "c1", "o1"}  # reading is still allowed


def test_investigator_writes_where_granted(data: Path, tmp_path: Path) -> None:
    token = add_user(data, "ivan")
    ok(data, "grant", "ivan", "--dataset", "people", "--write")
    more = tmp_path / "more.ijson"
    more.write_text('{"id": "p9", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n')
    ok(data, "ingest", str(more), "--dataset", "people", token=token)
    # Ids written by anyone but the local admin are signed with their dataset.
    assert DatasetNamespace("people").sign("p9") in hit_ids(data, "Ann Lee", token)


def test_marking_hides_a_dataset_until_the_user_is_cleared(data: Path) -> None:
    token = add_user(data, "bob")
    ok(data, "grant", "bob", "--dataset", "leaks", "--read")
    assert hit_ids(data, "Zebediah", token) == {"x1"}
    ok(data, "mark", "confidential", "--dataset", "leaks")
    assert hit_ids(data, "Zebediah", token) == set()
    assert cli(data, "entity", "x1", token=token).code == 1
    ok(data, "clear", "bob", "confidential")
    assert hit_ids(data, "Zebediah", token) == {"x1"}
    ok(data, "clear", "bob", "confidential", "--revoke")
    assert hit_ids(data, "Zebediah", token) == set()
    ok(data, "mark", "confidential", "--dataset", "leaks", "--remove")
    assert hit_ids(data, "Zebediah", token) == {"x1"}


def test_groups_carry_grants(data: Path) -> None:
    alice, bob = add_user(data, "alice"), add_user(data, "bob")
    ok(data, "group", "add", "desk", "--members", "alice,bob")
    ok(data, "grant", "desk", "--dataset", "leaks", "--read")
    assert hit_ids(data, "Zebediah", alice) == hit_ids(data, "Zebediah", bob) == {"x1"}
    ok(data, "group", "member", "desk", "bob", "--remove")
    assert hit_ids(data, "Zebediah", bob) == set()
    groups = ok(data, "group", "list", "--json").lines()
    assert groups == [{"name": "desk", "members": ["alice"]}]
    assert "alice" in ok(data, "group", "list").stdout


def test_user_list_update_disable_and_tokens(data: Path) -> None:
    first = add_user(data, "carol")
    users = ok(data, "user", "list", "--json").lines()
    assert [(u["name"], u["role"], u["disabled"]) for u in users] == [
        ("carol", "investigator", False)
    ]
    assert set(users[0]) == {"name", "role", "created", "disabled"}
    assert "carol" in ok(data, "user", "list").stdout
    changed = ok(data, "user", "update", "carol", "--role", "viewer", "--json").json()
    assert changed == {**users[0], "role": "viewer"}
    ok(data, "user", "update", "carol", "--disable")
    refused = cli(data, "search", "x", token=first)
    assert refused.code == 1 and "access denied" in refused.stderr
    ok(data, "user", "update", "carol", "--enable")
    # Disabling revoked the old token; a new one works, and revoking it ends it.
    assert cli(data, "search", "x", token=first).code == 1
    second = ok(data, "token", "issue", "carol").stdout.strip()
    ok(data, "search", "x", token=second)
    assert "revoked 1 token(s)" in ok(data, "token", "revoke", "carol").stderr
    refused = cli(data, "search", "x", token=second)
    assert "unknown or revoked" in refused.stderr


def test_user_add_json(data: Path) -> None:
    made = ok(data, "user", "add", "dave", "--role", "admin", "--json").json()
    assert isinstance(made, dict)
    assert set(made) == {"name", "role", "created", "disabled", "token"}
    assert (made["name"], made["role"]) == ("dave", "admin")
    # An admin's token administers.
    ok(data, "user", "add", "erin", token=str(made["token"]))


def test_only_admins_administer(data: Path) -> None:
    token = add_user(data, "ivan")
    for args in (("user", "add", "mallory"), ("user", "list"), ("grants",), ("group", "list")):
        refused = cli(data, *args, token=token)
        assert refused.code == 1, args
        assert "access denied: user 'ivan' lacks role admin" in refused.stderr
    refused = cli(data, "grant", "ivan", "--dataset", "leaks", "--manage", token=token)
    assert "lacks manage on collection 'leaks'" in refused.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("grant", "nobody", "--dataset", "people", "--read"), "unknown user or group 'nobody'"),
        (("grant", "alice", "--dataset", "nope", "--read"), "No dataset named 'nope'"),
        (("user", "update", "nobody", "--role", "viewer"), "unknown user 'nobody'"),
        (("user", "add", "alice", "--role", "boss"), "invalid role 'boss'"),
        (("user", "add", "local"), "reserved for the local admin"),
        (("token", "issue", "nobody"), "unknown user 'nobody'"),
        (("clear", "nobody", "confidential"), "unknown user 'nobody'"),
        (("mark", "confidential", "--dataset", "nope"), "No dataset named 'nope'"),
        (("mark", "Not A Label", "--dataset", "people"), "invalid marking"),
        (("group", "add", "desk", "--members", "nobody"), "unknown user 'nobody'"),
    ],
)
def test_bad_input_is_a_clear_error(data: Path, args: tuple[str, ...], message: str) -> None:
    add_user(data, "alice")
    done = cli(data, *args)
    assert done.code == 1, done
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("grant", "alice", "--dataset", "people"),
        ("grant", "alice", "--dataset", "people", "--read", "--revoke"),
        ("user", "update", "alice"),
    ],
)
def test_usage_errors(data: Path, args: tuple[str, ...]) -> None:
    done = cli(data, *args)
    assert done.code == 2
    assert "exactly one of" in done.stderr or "give --role" in done.stderr


def test_bad_token_is_refused(data: Path) -> None:
    done = cli(data, "search", "x", token="tl_not-a-token")
    assert done.code == 1
    assert "a valid token" in done.stderr and "unknown or revoked" in done.stderr
    assert SECRET_NAME not in done.stdout
