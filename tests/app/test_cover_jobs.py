"""Reader sets covered by a job before anyone searches: a grant queues a `cover` job
(named in the grant's audit event, run as the system); once a worker ran it, a freshly
granted reader's first search finds the index ready. Whether the job ran or not, that
reader finds exactly the part of the merged entity they may read, and nothing more;
after a revocation, the reader set they held before shows them nothing of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.test_reader_sets import (
    ALPHA_ONLY,
    BETA_ONLY,
    _head,
    _index,
    _merged,
    _shown,
    _slices,
    resolved,
)
from threadline.access import Level, Role
from threadline.app import covering
from threadline.app.accountability import SYSTEM_ACTOR
from threadline.app.context import LOCAL, Context
from threadline.app.jobs import Job, JobStore, jobs_url
from threadline.app.jobs.cover import KIND, cover_later
from threadline.app.jobs.worker import Worker
from threadline.app.workbench import Workbench
from threadline.audit.query import AuditFilter
from threadline.progress import NoProgress
from threadline.settings import Settings

__all__ = ["resolved"]  # the fixture, shared with the reader set tests
WES = Context(actor="wes")


@pytest.fixture
def queue(resolved: Workbench) -> Iterator[JobStore]:
    """The job queue of the resolved workbench, with a new user wes who reads nothing."""
    resolved.user_add("wes", Role.INVESTIGATOR)
    store = JobStore(jobs_url(resolved.settings))
    yield store
    store.close()


def _cover_jobs(queue: JobStore) -> list[Job]:
    return queue.jobs(kind=KIND)


def _exactly_alpha(bench: Workbench) -> None:
    """Wes, who reads alpha and gamma, finds alpha's part of Novak Stiftung, gamma's
    own entity, and nothing of beta."""
    head = _head(bench)
    wes = bench.acting(WES)
    found = wes.search("novak")
    assert [(h.id, h.datasets, h.caption) for h in found.hits] == [
        (head, ["alpha"], "Novak Stiftung")
    ]
    assert found.facets["dataset"] == {"alpha": 1}
    assert not [word for word in BETA_ONLY if word in _shown(found)]
    for word in BETA_ONLY:
        result = wes.search(word, fuzzy=False)
        assert (result.hits, result.total) == ([], 0), word
    assert wes.search("alphaword").total == 1
    assert [h.id for h in wes.search("weiss verein").hits] == ["g1"]
    assert wes.search("clara").total == 0  # beta's own


def _grant_alpha_gamma(bench: Workbench) -> None:
    bench.grant("wes", "alpha", Level.READ)
    bench.grant("wes", "gamma", Level.READ)


def test_a_grant_queues_a_cover_job_as_the_system_named_in_its_event(
    resolved: Workbench, queue: JobStore
) -> None:
    with resolved:
        _grant_alpha_gamma(resolved)
        (job,) = _cover_jobs(queue)  # one waits, for both grants
        assert (job.status, job.actor, job.params) == ("queued", SYSTEM_ACTOR, {"why": "grant"})
        events = [e.event for e in resolved.audit_log(AuditFilter(action="grant")).events]
        first, second = reversed([e for e in events if e.outcome == "ok"][:2])
        assert f"cover=job:{job.id}" in first.detail
        assert job.context.request_id == first.request_id  # on behalf of that grant
        assert "cover=" not in second.detail  # the waiting job serves it too
        assert job.context.case is None and job.context.purpose is None


def test_a_fresh_reader_before_the_job_ran_finds_their_part_only(
    resolved: Workbench, queue: JobStore
) -> None:
    with resolved:
        _grant_alpha_gamma(resolved)
        reader = frozenset({"alpha", "gamma"})
        assert reader not in (_index(resolved).readers() or frozenset())
        _exactly_alpha(resolved)  # the search covers the set itself, as before
        assert reader in (_index(resolved).readers() or frozenset())
        assert _cover_jobs(queue)[0].status == "queued"


def test_a_fresh_reader_after_the_job_ran_finds_the_index_ready(
    resolved: Workbench, queue: JobStore
) -> None:
    with resolved:
        _grant_alpha_gamma(resolved)
        assert Worker(resolved, queue, kinds=[KIND]).run(once=True) == 1
        (job,) = _cover_jobs(queue)
        assert job.status == "done", job.error
        # Every enabled user's set: uma's, vic's and wes's ("all" reads everything).
        sets = {frozenset({"alpha"}), frozenset({"beta"}), frozenset({"alpha", "gamma"})}
        assert _index(resolved).readers() == sets
        assert job.result["reader_sets"] == job.result["covered"] == 3
        assert job.result["skipped"] == 0 and job.result["entities"] > 0
        slices = _slices(resolved)
        assert slices == 2 * _merged(resolved)  # alpha's part (two sets share it), beta's
        _exactly_alpha(resolved)
        assert _index(resolved).readers() == sets and _slices(resolved) == slices  # no work


def test_after_a_revocation_the_old_set_shows_nothing_of_what_was_revoked(
    resolved: Workbench, queue: JobStore
) -> None:
    with resolved:
        _grant_alpha_gamma(resolved)
        Worker(resolved, queue, kinds=[KIND]).run(once=True)
        _exactly_alpha(resolved)
        resolved.grant("wes", "alpha", None)
        resolved.grant("wes", "beta", Level.READ)
        assert [j.status for j in _cover_jobs(queue)] == ["queued", "done"]
        head = _head(resolved)
        for ran in (False, True):
            if ran:
                assert Worker(resolved, queue, kinds=[KIND]).run(once=True) == 1
            wes = resolved.acting(WES)
            found = wes.search("novak")
            assert [(h.id, h.datasets) for h in found.hits] == [(head, ["beta"])], ran
            assert not [word for word in ALPHA_ONLY if word in _shown(found)]
            assert wes.search("alphaword", fuzzy=False).total == 0
            assert wes.search("clara").total == 1 and wes.search("weiss verein").total == 1
        # Alpha's slice is still there for {alpha, gamma}: no one reads it through
        # wes's new set {beta, gamma}.
        assert frozenset({"alpha", "gamma"}) in (_index(resolved).readers() or frozenset())


def test_markings_groups_and_disabled_users(resolved: Workbench, queue: JobStore) -> None:
    with resolved:
        resolved.group_add("desk")
        resolved.grant("desk", "beta", Level.READ)
        resolved.group_member("desk", "wes")  # wes reads beta through the group
        # Shared by vic and wes: first.
        assert covering.wanted(resolved.accountability)[0] == frozenset({"beta"})
        resolved.user_update("vic", disabled=True)
        resolved.user_update("uma", disabled=True)
        assert covering.wanted(resolved.accountability) == [frozenset({"beta"})]
        Worker(resolved, queue, kinds=[KIND]).run(once=True)
        assert _index(resolved).readers() == frozenset({frozenset({"beta"})})
        found = resolved.acting(WES).search("novak")
        assert [h.datasets for h in found.hits] == [["beta"]]


def test_the_cap_leaves_room_for_the_sets_that_search(resolved: Workbench, queue: JobStore) -> None:
    with resolved:
        readers = covering.wanted(resolved.accountability)
        assert len(readers) == 2
        done = covering.cover_all(
            resolved.store, resolved.index, resolved.settings, NoProgress(), readers, limit=1
        )
        assert (done.wanted, done.covered, done.skipped) == (2, 1, 1)
        assert len(_index(resolved).readers() or ()) == 1
        # The one left out is covered by its reader's first search (below the cap).
        vic = resolved.acting(Context(actor="vic"))
        assert [h.datasets for h in vic.search("novak").hits] == [["beta"]]


def test_a_reindex_job_is_followed_by_a_cover_job(resolved: Workbench, queue: JobStore) -> None:
    with resolved:
        resolved.acting(Context(actor="uma")).search("novak")
        assert _index(resolved).readers() == frozenset({frozenset({"alpha"})})
        queue.submit("reindex", LOCAL, {})
        assert Worker(resolved, queue, kinds=["reindex", KIND]).run(once=True) == 2
        (job,) = _cover_jobs(queue)
        assert job.status == "done" and job.params["why"].startswith("reindex job ")
        assert _index(resolved).readers() == frozenset({frozenset({"alpha"}), frozenset({"beta"})})


def test_no_job_for_a_store_in_memory(tmp_path: Path) -> None:
    settings = Settings(store="memory", data_dir=tmp_path / "data")
    with Workbench(settings) as bench:
        bench.user_add("uma", Role.INVESTIGATOR)  # no worker could see its queue
        assert bench.jobs(everyone=True) == []
        events = [e.event for e in bench.audit_log(AuditFilter(action="user.add")).events]
        (done,) = [e for e in events if e.outcome == "ok"]
        assert "cover=" not in done.detail


class _Unopenable:
    """A data dir whose job queue cannot be opened."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def jobs(self) -> JobStore:
        raise OSError("disk gone")


def test_a_failing_queue_does_not_fail_the_change(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert cover_later(_Unopenable(settings), "grant") is None
    assert "reader sets not queued for covering (grant): disk gone" in caplog.text


def test_a_new_case_member_finds_the_cases_slices_ready(
    resolved: Workbench, queue: JobStore
) -> None:
    with resolved:
        case = resolved.case_create("Stiftung", "a test of covering", ["alpha", "gamma"])
        (job,) = _cover_jobs(queue)
        created = resolved.audit_log(AuditFilter(action="case.create")).events
        assert any(f"cover=job:{job.id}" in e.event.detail for e in created)
        resolved.case_member(case.id, "all", "reader")  # reads all three datasets outside
        assert len(_cover_jobs(queue)) == 1  # the waiting job serves this change too
        assert Worker(resolved, queue, kinds=[KIND]).run(once=True) == 1
        assert frozenset({"alpha", "gamma"}) in (_index(resolved).readers() or frozenset())
        slices = _slices(resolved)
        inside = resolved.acting(Context(actor="all", case=case.id))
        found = inside.search("novak")
        assert [(h.datasets, h.caption) for h in found.hits] == [(["alpha"], "Novak Stiftung")]
        assert _slices(resolved) == slices  # the job had done the work
