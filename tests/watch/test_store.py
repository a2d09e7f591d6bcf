"""The watch store's contract, on every SQL backend: SQLite file, SQLite in memory and
PostgreSQL (the session's real server)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from threadline.watch import Alert, Delivery, DeliveryStatus, SQLWatchStore, WatchNotFound
from threadline.watch.records import new_watch


@pytest.fixture
def store(store_url: str) -> Iterator[SQLWatchStore]:
    """The store on each backend in turn (`tests.store_urls`)."""
    backend = SQLWatchStore(store_url)
    yield backend
    backend.close()


def _alert(watch_id: str, key: str, alert_id: str) -> Alert:
    return Alert(alert_id, watch_id, "uma", "2026-01-01T00:00:00+00:00", key, key, ("e1",), ("a",))


def test_watches_round_trip_and_go_with_what_they_hold(store: SQLWatchStore) -> None:
    watch = new_watch(
        "uma", "pair", {"source": "a", "target": "b", "max_hops": 2}, webhook="https://x.example/"
    )
    store.add(watch, ["path:1"])
    assert store.watch(watch.id) == watch and store.watches("uma") == [watch]
    assert store.watches("bob") == [] and store.seen(watch.id) == {"path:1"}
    store.add_alerts(
        [_alert(watch.id, "path:2", "al1")], [Delivery("al1", "webhook", "https://x.example/")]
    )
    assert store.seen(watch.id) == {"path:1", "path:2"}
    store.remove(watch.id)
    assert store.watches() == [] and store.alerts("uma") == []
    with pytest.raises(WatchNotFound):
        store.watch(watch.id)
    with pytest.raises(WatchNotFound):
        store.remove(watch.id)


def test_the_feed_gives_what_changed_after_a_watermark_and_prunes_behind_all(
    store: SQLWatchStore,
) -> None:
    store.feed(["x"])  # no watch yet: nothing is kept
    assert store.head() == 0
    watch = new_watch("uma", "entity", {"entity_id": "e1"})
    store.add(watch, [])
    store.feed(["e1", "e2"])
    first = store.head()
    store.feed(["e3"])
    head = store.head()
    assert store.changed(0, head) == {"e1", "e2", "e3"}
    assert store.changed(first, head) == {"e3"}
    store.evaluated(watch.id, head)
    store.prune()
    assert store.head() == head  # the head stays, so positions never go back
    store.feed(["e4"])
    assert store.head() > head and store.changed(head, store.head()) == {"e4"}


def test_deliveries_are_pending_until_sent_or_out_of_attempts(store: SQLWatchStore) -> None:
    watch = new_watch("uma", "search", {"query": "acme"}, email="d@example.org")
    store.add(watch, [])
    store.add_alerts(
        [_alert(watch.id, "hit:e1", "al1")], [Delivery("al1", "email", "d@example.org")]
    )
    ((alert, delivery),) = store.pending(watch.id, max_attempts=2)
    assert alert.entity_ids == ("e1",) and delivery.status is DeliveryStatus.PENDING
    store.delivered(replace(delivery, status=DeliveryStatus.FAILED, attempts=1, error="down"))
    assert store.pending(watch.id, max_attempts=2)[0][1].error == "down"
    store.delivered(replace(delivery, status=DeliveryStatus.FAILED, attempts=2, error="down"))
    assert store.pending(watch.id, max_attempts=2) == []
    assert store.deliveries(["al1"])["al1"][0].attempts == 2
    assert [a.id for a in store.alerts("uma", watch.id)] == ["al1"]
