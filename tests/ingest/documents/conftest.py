"""Fixtures for the document tests: extraction process pools prepared for a test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from threadline.ingest.documents import sandbox

PoolWith = Callable[[Callable[[], None]], sandbox.Pool]


@pytest.fixture
def pool_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[PoolWith]:
    """A factory of extraction pools whose new processes run `prepare` first (register
    a test's hostile formats, shrink a socket's buffer). The pool made is also the one
    the ingest uses (`sandbox.POOL`) for the test; its processes are stopped after it."""
    made: list[sandbox.Pool] = []

    def make(prepare: Callable[[], None]) -> sandbox.Pool:
        pool = sandbox.Pool(prepare=prepare)
        made.append(pool)
        monkeypatch.setattr(sandbox, "POOL", pool)
        return pool

    yield make
    for pool in made:
        pool.close()
