"""`threadline case ...`: a case's life from the command line, down to its bundle."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.conftest import add_user
from tests.cli.runner import cli, ok
from threadline.cases.bundle import anchor


def statement_id(data: Path, entity_id: str, prop: str) -> str:
    facts = ok(data, "entity", entity_id, "--json").json()
    assert isinstance(facts, dict)
    return next(str(f["statement_id"]) for f in facts["facts"] if f["prop"] == prop)


def create(data: Path, *extra: str, token: str | None = None) -> str:
    done = ok(data, "case", "create", "Daimler", "--purpose", "who owns it", *extra, token=token)
    case_id = done.stdout.strip()
    assert len(case_id) == 12 and "--case" in done.stderr
    return case_id


def test_case_pin_note_task_show_and_export(data: Path, tmp_path: Path) -> None:
    case_id = create(data, "--sources", "people")
    ok(data, "case", "pin", case_id, "p1", "--comment", "the owner")
    name = statement_id(data, "p1", "name")
    note = ok(
        data,
        "case",
        "note",
        case_id,
        f"Jane is named [[stmt:{name}]]; see [[entity:c1]].",
        "--json",
    ).json()
    assert isinstance(note, dict)
    assert (note["statements"], note["entities"]) == ([name], ["c1"])
    task_id = ok(
        data,
        "case",
        "task",
        case_id,
        "Check the registry",
        "--assignee",
        "local",
        "--due",
        "2026-12-01",
    ).stdout.strip()
    changed = ok(data, "case", "task-update", case_id, task_id, "--status", "doing", "--json")
    task = changed.json()
    assert isinstance(task, dict)
    assert set(task) == {"id", "title", "status", "assignee", "due", "created_by", "created_at"}
    assert (task["id"], task["status"], task["assignee"], task["due"]) == (
        task_id,
        "doing",
        "local",
        "2026-12-01",
    )

    shown = ok(data, "case", "show", case_id, "--json").json()
    assert isinstance(shown, dict)
    assert set(shown) == {"case", "pins", "notes", "tasks", "timeline"}
    assert shown["case"]["sources"] == ["people"]
    assert shown["case"]["members"] == [{"user": "local", "role": "owner"}]
    assert [p["entity_id"] for p in shown["pins"]] == ["p1"]
    assert shown["notes"][0]["statements"] == [name]
    assert [(t["title"], t["status"]) for t in shown["tasks"]] == [("Check the registry", "doing")]
    # Jane's own dated facts, and those of the link touching her (her ownership).
    assert [(i["date"], i["prop"]) for i in shown["timeline"]] == [
        ("1970-01-02", "birthDate"),
        ("2001", "startDate"),
    ]
    human = ok(data, "case", "show", case_id).stdout
    for text in ("who owns it", "the owner", f"[[stmt:{name}]]", "Check the registry"):
        assert text in human
    assert case_id in ok(data, "case", "list").stdout
    assert [c["id"] for c in ok(data, "case", "list", "--json").lines()] == [case_id]

    out = tmp_path / "bundle"
    paths = ok(data, "case", "export", case_id, "--out", str(out)).stdout.splitlines()
    assert paths == [str(out / f"case-{case_id}.json"), str(out / f"case-{case_id}.html")]
    bundle = orjson.loads(Path(paths[0]).read_bytes())
    cited = next(s for s in bundle["statements"] if s["id"] == name)
    assert (cited["value"], cited["dataset"]) == ("Jane Müller", "people")
    assert bundle["notes"][0]["statements"] == [name]
    html = Path(paths[1]).read_text(encoding="utf-8")
    target = anchor("stmt", name)
    assert f'href="#{target}"' in html and f'id="{target}"' in html
    assert "Jane Müller" in html


def test_export_defaults_to_the_data_dir(data: Path) -> None:
    case_id = create(data)
    paths = ok(data, "case", "export", case_id).stdout.splitlines()
    assert [Path(p).parent for p in paths] == [data.resolve() / "exports"] * 2
    assert all(Path(p).exists() for p in paths)


def test_working_inside_a_case_limits_sources_and_records_its_purpose(data: Path) -> None:
    case_id = create(data, "--sources", "people")
    inside = ok(data, "--case", case_id, "search", "Zebediah", "--json").lines()
    assert inside[-1]["total"] == 0
    assert ok(data, "search", "Zebediah", "--json").lines()[-1]["total"] == 1
    events = ok(data, "audit", "log", "--json").lines()
    searches = [(e["case_id"], e["purpose"]) for e in events if e["action"] == "search"]
    assert searches == [(case_id, "who owns it"), (None, None)]
    # The case verbs are on record under their case and its purpose.
    ok(data, "case", "show", case_id)
    events = ok(data, "audit", "log", "--json").lines()
    views = [(e["case_id"], e["purpose"]) for e in events if e["action"] == "case.view"]
    assert views == [(case_id, "who owns it")]


def test_members_and_roles(data: Path) -> None:
    token = add_user(data, "rita")
    ok(data, "grant", "rita", "--dataset", "people", "--read")
    case_id = create(data)
    refused = cli(data, "case", "show", case_id, token=token)
    assert refused.code == 1 and "not a member" in refused.stderr
    ok(data, "case", "member", case_id, "rita", "--role", "reader")
    assert [c["id"] for c in ok(data, "case", "list", "--json", token=token).lines()] == [case_id]
    ok(data, "case", "show", case_id, token=token)
    refused = cli(data, "case", "pin", case_id, "p1", token=token)
    assert refused.code == 1 and "case role editor" in refused.stderr
    ok(data, "case", "member", case_id, "rita", "--role", "editor")
    ok(data, "case", "pin", case_id, "p1", token=token)
    assert "unpinned p1" in ok(data, "case", "unpin", case_id, "p1", token=token).stderr
    ok(data, "case", "member", case_id, "rita", "--remove")
    assert cli(data, "case", "show", case_id, token=token).code == 1


def test_an_assignee_may_report_progress(data: Path) -> None:
    token = add_user(data, "rita")
    case_id = create(data)
    ok(data, "case", "member", case_id, "rita", "--role", "reader")
    task_id = ok(data, "case", "task", case_id, "Call", "--assignee", "rita").stdout.strip()
    done = ok(data, "case", "task-update", case_id, task_id, "--status", "done", token=token)
    assert "done" in done.stderr
    unassigned = ok(data, "case", "task-update", case_id, task_id, "--unassign", "--json").json()
    assert isinstance(unassigned, dict) and unassigned["assignee"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("case", "show", "0123456789ab"), "there is no such case, or you are not a member"),
        (("case", "pin", "0123456789ab", "p1"), "there is no such case"),
        (
            ("case", "pin", "{case}", "nope"),
            "cannot pin 1 unknown entity id(s): nope (not found, or out of",
        ),
        (("case", "note", "{case}", "see [[stmt:nope]]"), "unknown statement id(s): nope"),
        (
            ("case", "note", "{case}", "see [[entity:x1]]"),
            "the note cites 1 unknown entity id(s): x1",
        ),
        (("case", "task", "{case}", "t", "--due", "soon"), "invalid due date 'soon'"),
        (("case", "task", "{case}", "t", "--assignee", "nobody"), "'nobody' is not a member"),
        (("case", "task-update", "{case}", "nope", "--status", "done"), "has no task 'nope'"),
        (("case", "member", "{case}", "nobody", "--role", "reader"), "unknown user 'nobody'"),
        (("case", "member", "{case}", "local", "--role", "boss"), "invalid case role 'boss'"),
        (("case", "member", "{case}", "local", "--remove"), "would have no owner"),
        (("case", "create", "x", "--purpose", "p", "--sources", "nope"), "No dataset named"),
        (("case", "create", "x", "--purpose", " "), "a case needs a purpose"),
    ],
)
def test_bad_input_is_a_clear_error(data: Path, args: tuple[str, ...], message: str) -> None:
    case_id = create(data, "--sources", "people")
    done = cli(data, *(a.replace("{case}", case_id) for a in args))
    assert done.code == 1, done
    assert done.stderr.startswith("error: ") and message in done.stderr


def test_bad_task_status_names_the_valid_ones(data: Path) -> None:
    case_id = create(data)
    task_id = ok(data, "case", "task", case_id, "Call").stdout.strip()
    done = cli(data, "case", "task-update", case_id, task_id, "--status", "later")
    assert done.code == 1 and "use open, doing or done" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("case", "create", "x"),
        ("case", "member", "{case}", "local"),
        ("case", "member", "{case}", "local", "--role", "owner", "--remove"),
        ("case", "task-update", "{case}", "t"),
        ("case", "task-update", "{case}", "t", "--assignee", "local", "--unassign"),
    ],
)
def test_usage_errors(data: Path, args: tuple[str, ...]) -> None:
    case_id = create(data)
    assert cli(data, *(a.replace("{case}", case_id) for a in args)).code == 2


def test_a_users_case_may_take_the_local_admin_in(data: Path) -> None:
    token = add_user(data, "rita")
    case_id = create(data, token=token)
    assert ok(data, "case", "list", "--json").stdout == ""
    ok(data, "case", "member", case_id, "local", "--role", "reader", token=token)
    assert [c["id"] for c in ok(data, "case", "list", "--json").lines()] == [case_id]
