"""`threadline review`: judge queued pairs by key; an undo brings the undone pair back."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.cli.app import app
from threadline.store.judgements import JudgementChange, ReviewItem


def _queued(data_dir: Path, tmp_path: Path) -> None:
    with Workbench(data_dir=data_dir) as bench:
        first = [entity("a1", "Company", name="Nordwall Beteiligungs GmbH", country="de")]
        second = [
            entity("b1", "Company", name="Nordwall Beteiligungsgesellschaft mbH", country="de"),
            entity("b2", "Company", name="Halcyon Crest Holdings Ltd", country="vg"),
        ]
        bench.ingest([write_entities(tmp_path / "a.ijson", first)], "registry")
        bench.ingest([write_entities(tmp_path / "b.ijson", second)], "leak")
        bench.resolve()  # a model to explain the pairs with
        bench.store.judgements.apply(
            JudgementChange(
                review=[ReviewItem("a1", "b1", 1.0, 0), ReviewItem("a1", "b2", -1.0, 0)]
            )
        )


def _explained(output: str) -> list[str]:
    """The lines that report a judgement or an undo, in order."""
    return [line for line in output.splitlines() if line.startswith("Recorded") or "Undid" in line]


def test_undo_shows_the_undone_pair_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _queued(data_dir, tmp_path)
    runner = CliRunner()
    done = runner.invoke(
        app, ["--data-dir", str(data_dir), "review"], input="s\nz\nn\nq\n", catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    said = _explained(done.output)
    assert said[0].startswith("Recorded") and "same" in said[0]
    assert said[1].startswith("Undid")
    # The pair undone is judged again (here: not the same), not the next in the queue.
    assert said[2].startswith("Recorded") and "not-same" in said[2]
    assert {said[0].split()[1], said[0].split()[3]} == {said[2].split()[1], said[2].split()[3]}
    assert "1 judged." in done.output
    with Workbench(data_dir=data_dir) as bench:
        active = bench.judgements()
        assert [(j.verdict.value) for j in active] == ["not-same"]
