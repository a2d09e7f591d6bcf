"""Settings come from arguments, THREADLINE_* variables or a TOML config file, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.settings import Settings


def test_config_file_then_environment_then_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "threadline.toml"
    config.write_text(f'data_dir = "{tmp_path / "from-file"}"\nworkers = 3\n', encoding="utf-8")
    monkeypatch.setenv("THREADLINE_CONFIG", str(config))
    monkeypatch.delenv("THREADLINE_DATA_DIR", raising=False)
    assert Settings().workers == 3
    assert Settings().resolved_data_dir() == tmp_path / "from-file"
    monkeypatch.setenv("THREADLINE_DATA_DIR", str(tmp_path / "from-env"))
    assert Settings().resolved_data_dir() == tmp_path / "from-env"
    assert Settings(data_dir=tmp_path / "arg").resolved_data_dir() == tmp_path / "arg"


def test_missing_config_file_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADLINE_CONFIG", str(tmp_path / "nope.toml"))
    assert Settings().store == "sqlite"


def test_bad_value_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADLINE_CONFIG", str(tmp_path / "nope.toml"))
    monkeypatch.setenv("THREADLINE_WORKERS", "0")
    with pytest.raises(ValueError, match="workers"):
        Settings()
