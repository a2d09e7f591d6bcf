"""`threadline jobs`, `job show`, `job cancel` and `worker --once`: everyone sees their
own jobs; the local admin sees anyone's (`--everyone`), on record; a user with a token
sees only theirs."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from threadline.access import Role
from threadline.app.context import Context
from threadline.app.jobs import JobStore, jobs_url
from threadline.app.workbench import Workbench
from threadline.cli.app import app
from threadline.settings import Settings


def _cli(data_dir: Path, *args: str, token: str | None = None) -> list[dict[str, object]]:
    env = {"THREADLINE_TOKEN": token} if token else {}
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args], env=env)
    assert result.exit_code == 0, result.output
    return [orjson.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_list_show_cancel_and_run(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Workbench(data_dir=data_dir) as bench:
        token = bench.user_add("bob", Role.INVESTIGATOR).token
        bench.user_add("cat", Role.INVESTIGATOR)
    queue = JobStore(jobs_url(Settings(data_dir=data_dir)))
    try:
        bobs = queue.submit("reindex", Context(actor="bob"), {})
        cats = queue.submit("reindex", Context(actor="cat"), {})
        assert _cli(data_dir, "jobs", "--json") == []  # the local admin's own: none
        listed = _cli(data_dir, "jobs", "--everyone", "--json")
        assert [j["id"] for j in listed] == [cats.id, bobs.id]
        assert [j["id"] for j in _cli(data_dir, "jobs", "--json", token=token)] == [bobs.id]
        everyone = CliRunner().invoke(
            app,
            ["--data-dir", str(data_dir), "jobs", "--everyone"],
            env={"THREADLINE_TOKEN": token},
        )
        assert everyone.exit_code != 0  # not for bob
        assert "lacks role admin" in str(everyone.exception)
        (shown,) = _cli(data_dir, "job", "show", bobs.id, "--json", token=token)
        assert (shown["status"], shown["actor"]) == ("queued", "bob")
        (looked,) = _cli(data_dir, "job", "show", cats.id, "--json")  # the admin: anyone's
        assert looked["actor"] == "cat"
        with Workbench(data_dir=data_dir) as bench:
            actions = [e.action for e in bench.accountability.events()]
            assert actions.count("jobs.list") == 2 and actions.count("job.show") == 1
            assert [j.id for j in bench.jobs(everyone=True)] == [cats.id, bobs.id]
            assert bench.job_show(bobs.id).actor == "bob"
        refused = CliRunner().invoke(
            app,
            ["--data-dir", str(data_dir), "job", "show", cats.id],
            env={"THREADLINE_TOKEN": token},
        )
        assert refused.exit_code != 0  # cat's job does not exist for bob
        (cancelled,) = _cli(data_dir, "job", "cancel", cats.id, "--json")
        assert cancelled["status"] == "cancelled"
        # bob may not reindex (admins only): the worker runs the job as bob, who is refused.
        # In this process: --nice 0, or the test process would run niced from here on.
        _cli(data_dir, "worker", "--once", "--poll", "0.05", "--nice", "0")
        failed = queue.get(bobs.id)
        assert failed.status == "failed" and failed.error is not None
        assert "admin" in failed.error
        assert queue.get(cats.id).status == "cancelled"  # never run
    finally:
        queue.close()
