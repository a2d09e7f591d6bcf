"""`threadline tip list|show|reject|case|submit`: the triage verbs with flags, in-process,
against a real data directory (tips sent through the library, as the server does)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import cli, ok
from tests.tips.conftest import tip_settings
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.tips.records import ANONYMOUS


def _tips(data: Path, *texts: str) -> list[str]:
    with Workbench(tip_settings(data)) as bench:
        sender = bench.acting(Context(actor=ANONYMOUS))
        return [sender.tip_submit(text).id for text in texts]


def test_list_show_reject_and_open_a_case(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first, second = _tips(data, "Zeta Trading pays the harbour master.", "Aliens built the port.")
    assert [t["id"] for t in ok(data, "tip", "list", "--json").lines()] == [second, first]
    assert "Aliens built the port." in ok(data, "tip", "show", second).stdout
    ok(data, "tip", "reject", second, "--reason", "Not credible")
    (rejected,) = ok(data, "tip", "list", "--status", "rejected", "--json").lines()
    assert (rejected["id"], rejected["reason"]) == (second, "Not credible")
    case_id = ok(data, "tip", "case", first, "--name", "Harbour").stdout.strip()
    shown = ok(data, "case", "show", case_id).stdout
    assert "Harbour" in shown and "The tip as received on" in shown
    opened = ok(data, "tip", "show", first, "--json").json()
    assert isinstance(opened, dict) and (opened["status"], opened["case_id"]) == ("opened", case_id)


def test_refusals_name_the_reason(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tip_id,) = _tips(data, "hello")
    done = cli(data, "tip", "show", "nope")
    assert done.code == 1 and "No tip with id 'nope'" in done.stderr
    done = cli(data, "tip", "list", "--status", "pending")
    assert done.code == 1 and "status: 'pending' is none of new, rejected, opened" in done.stderr
    done = cli(data, "tip", "reject", tip_id, "--reason", " ")
    assert done.code == 1 and "reason: say why" in done.stderr
    with Workbench(data_dir=data) as bench:
        token = bench.user_add("vic").token
    done = cli(data, "tip", "list", token=token, env={"THREADLINE_TIPS_GROUP": "desk"})
    assert done.code == 1 and "membership of the group 'desk'" in done.stderr


def test_submit_takes_a_tip_with_files_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    letter = tmp_path / "letter.txt"
    letter.write_text("The harbour master's letter.")
    taking = {"THREADLINE_TIPS_ENABLED": "true", "THREADLINE_TIPS_MAX_FILES": "1"}
    refused = cli(data, "tip", "submit", "A tip by post.", "--file", str(letter))
    assert refused.code == 1 and "tip intake is not enabled" in refused.stderr
    tip_id = ok(data, "tip", "submit", "-", "--file", str(letter), env=taking, input="By post.")
    shown = ok(data, "tip", "show", tip_id.stdout.strip(), "--json").json()
    assert isinstance(shown, dict)
    assert shown["text"] == "By post."
    assert [f["name"] for f in shown["files"]] == ["letter.txt"]
    too_many = cli(
        data, "tip", "submit", "x", "--file", str(letter), "--file", str(letter), env=taking
    )
    assert too_many.code != 0 and "at most 1 files" in too_many.stderr


def test_a_second_case_command_and_a_resent_tip_make_nothing_new(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tip_id,) = _tips(data, "Open me from the shell.")
    first = ok(data, "tip", "case", tip_id)
    again = ok(data, "tip", "case", tip_id)
    assert again.stdout == first.stdout  # the case id, both times
    assert f"tip {tip_id} was already opened as case {first.stdout.strip()}" in again.stderr
    assert "nothing new was made" in again.stderr
    taking = {"THREADLINE_TIPS_ENABLED": "true"}
    sent = [
        ok(data, "tip", "submit", "By post.", "--idempotency-key", "letter-7", env=taking)
        for _ in range(2)
    ]
    assert sent[0].stdout == sent[1].stdout
    listed = [t["id"] for t in ok(data, "tip", "list", "--json").lines()]
    assert listed.count(sent[0].stdout.strip()) == 1 and len(listed) == 2
