"""The DuckDB engine under its memory limit: a statement that needs more memory than
the limit (not every operator spills) runs again with more, up to half the machine."""

from __future__ import annotations

import logging

import duckdb
import pytest

from threadline.engines import duckdb as engine_module
from threadline.engines.duckdb import DuckDBEngine

# Lists built in memory: DuckDB cannot spill them, so they need their whole size.
HUNGRY = "SELECT list(i) FROM range(3000000) t(i) GROUP BY i % 3"


def test_a_statement_that_runs_out_gets_more_memory(caplog: pytest.LogCaptureFixture) -> None:
    engine = DuckDBEngine(memory_mb=8)
    with caplog.at_level(logging.WARNING, logger="threadline.engines.duckdb"):
        rows = engine._execute(HUNGRY).fetchall()
    assert len(rows) == 3
    assert engine.memory_mb > 8
    assert "retrying with" in caplog.text


def test_past_half_the_machine_the_error_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_machine_mb", lambda: 32)
    engine = DuckDBEngine(memory_mb=8)
    with pytest.raises(duckdb.OutOfMemoryException):
        engine._execute(HUNGRY)
    assert engine.memory_mb == 16
