"""Shared pieces of the backup tests: a small store with links and a judgement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.settings import Settings

BASE = [
    entity("p1", "Person", name="Jane Müller", country="de"),
    entity("p2", "Person", name="Jane Mueller", country="de"),
    entity("c1", "Company", name="Daimler AG", country="de"),
    entity("o1", "Ownership", owner="p1", asset="c1"),
]


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No developer's own config file is read or backed up."""
    monkeypatch.setenv("THREADLINE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("THREADLINE_CHECKPOINT_DIR", raising=False)


def load_base(data_dir: Path, settings: Settings | None = None) -> None:
    """Ingest the base records and judge the two Janes the same, then close."""
    path = write_entities(data_dir.parent / "base.ijson", BASE)
    with Workbench(settings, data_dir=data_dir) as bench:
        bench.ingest([path], "base")
        bench.judge("p1", "p2", "same")


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Workbench]:
    """A workbench on a data directory holding the base records."""
    load_base(tmp_path / "data")
    with Workbench(data_dir=tmp_path / "data") as bench:
        yield bench
