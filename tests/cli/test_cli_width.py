"""Output that is not a terminal keeps every value whole: tables piped into `grep` or a
file are as wide as their longest row, unless `COLUMNS` says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import ok
from tests.conftest import entity, write_entities

LONG_NAME = (
    "Bruckenbau Hansa Gesellschaft für Ingenieurwesen, Stahlbau und Brückensanierung "
    "mbH & Co. KG, Niederlassung Nord"
)
LONG_ID = "company-" + "x" * 90


@pytest.fixture
def data(tmp_path: Path) -> Path:
    source = write_entities(
        tmp_path / "long.ijson",
        [
            entity(LONG_ID, "Company", name=LONG_NAME, country="de"),
            entity("p1", "Person", name="Anna Meier"),
            entity("d1", "Directorship", director="p1", organization=LONG_ID, role="director"),
        ],
    )
    folder = tmp_path / "data"
    ok(folder, "ingest", str(source), "--dataset", "registry")
    return folder


def test_a_piped_search_prints_whole_captions_and_ids(data: Path) -> None:
    done = ok(data, "search", "Bruckenbau", env={"COLUMNS": None})
    assert LONG_NAME in done.stdout
    assert LONG_ID in done.stdout
    assert "…" not in done.stdout
    # The row is wider than the 80 columns Rich assumes off a terminal.
    assert max(len(line) for line in done.stdout.splitlines()) > len(LONG_NAME) + len(LONG_ID)


def test_a_piped_entity_view_keeps_link_captions_whole(data: Path) -> None:
    done = ok(data, "entity", "p1", env={"COLUMNS": None})
    assert f"organization: {LONG_NAME}" in done.stdout
    assert LONG_ID in done.stdout


def test_columns_still_sets_the_width(data: Path) -> None:
    done = ok(data, "search", "Bruckenbau", env={"COLUMNS": "60"})
    lines = done.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 60
    assert LONG_NAME not in done.stdout  # folded over several lines at that width


def test_a_real_pipe_gets_the_whole_table(data: Path) -> None:
    """The installed command, its stdout a pipe (stdin and stderr as pytest has them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env.pop("COLUMNS", None)
    done = subprocess.run(
        [sys.executable, "-m", "threadline", "--data-dir", str(data), "search", "Bruckenbau"],
        stdout=subprocess.PIPE,
        env=env,
        check=True,
    )
    stdout = done.stdout.decode("utf-8")
    assert LONG_NAME in stdout
    assert LONG_ID in stdout
