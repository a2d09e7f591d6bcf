"""Fixtures of the accountability tests: the world built once per session, and copies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accountability.world import build_world, copy_world, settings
from threadline.app.workbench import Workbench


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built world's data directory; copy it (`copy_world`) before changing it."""
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def bench(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    """A workbench on a private copy of the world, acting as the local admin."""
    with Workbench(settings(), data_dir=copy_world(template, tmp_path)) as workbench:
        yield workbench
