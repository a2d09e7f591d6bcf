"""Fixtures of the accountability tests: the world built once per test run, and copies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accountability.world import build_world, copy_world, settings
from tests.conftest import built_once
from threadline.app.workbench import Workbench


def _build(data_dir: Path) -> None:
    built = build_world(data_dir.parent)
    assert built == data_dir


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built world's data directory, built once per test run by whichever worker
    asks first (a resolve: the world's longest step) and shared by every worker; copy
    it (`copy_world`) before opening or changing it."""
    return built_once(tmp_path_factory, "accountability-world", _build)


@pytest.fixture
def bench(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    """A workbench on a private copy of the world, acting as the local admin."""
    with Workbench(settings(), data_dir=copy_world(template, tmp_path)) as workbench:
        yield workbench
