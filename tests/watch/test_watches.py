"""Watches end to end on a real store and index: incremental evaluation, the owner's
current grants, pair and entity watches, e-mail to a local SMTP sink, the audit."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.watch.conftest import add, company, owns, settings_for
from tests.watch.servers import Inbox
from threadline.access.profiling import ProfilingRefused
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind
from threadline.watch import DeliveryStatus


def test_a_search_watch_alerts_once_on_a_new_match_and_mails_it(
    watched: Workbench, tmp_path: Path, inbox: Inbox
) -> None:
    watch = watched.watch_search("Acme", email="desk@example.org")
    assert watched.alerts() == []  # what matched already is the baseline
    add(watched, tmp_path, "beta", company("b2", "Acme Shipping"))
    (view,) = watched.alerts()
    assert view.alert.entity_ids == ("b2",) and view.alert.watch_id == watch.id
    assert "Acme Shipping" in view.alert.title
    ((delivery),) = view.deliveries
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", "sent", 1)
    ((recipients, mail),) = inbox.mails
    assert recipients == ["desk@example.org"] and mail["To"] == "desk@example.org"
    assert "Acme Shipping" in mail["Subject"]
    assert mail["X-Threadline-Alert"] == view.alert.id
    # Incremental: nothing changed, nothing new; an unrelated change, nothing new.
    assert watched.evaluate_watches().alerts == []
    add(watched, tmp_path, "beta", company("b3", "Delta Mining"))
    assert len(watched.alerts()) == 1 and len(inbox.mails) == 1


def test_every_alert_is_an_audited_disclosure_naming_its_recipients(
    watched: Workbench, tmp_path: Path
) -> None:
    watched.watch_search("Acme", email="desk@example.org")
    add(watched, tmp_path, "beta", company("b2", "Acme Shipping"))
    (view,) = watched.alerts()
    events = [e for e in watched.accountability.events() if e.action.startswith("alert")]
    disclosed = [e for e in events if e.action == "alert"]
    (alert,) = disclosed
    assert alert.kind is ActionKind.DISCLOSURE and alert.object_ids == ("b2",)
    assert f"alert={view.alert.id}" in alert.detail
    assert "recipients=user:local,mailto:desk@example.org" in alert.detail
    sends = [e for e in events if e.action == "alert.send"]
    assert [e.outcome for e in sends] == ["started", "ok"]  # on record before it left
    assert all("recipient=desk@example.org" in e.detail for e in sends[1:])


def test_a_revoked_grant_means_no_alert_from_that_collection(
    watched: Workbench, tmp_path: Path
) -> None:
    watched.user_add("uma", "investigator")
    watched.grant("uma", "alpha", "read")
    watched.grant("uma", "beta", "read")
    uma = watched.acting(Context(actor="uma"))
    uma.watch_search("Acme")
    watched.grant("uma", "beta", None)
    add(watched, tmp_path, "beta", company("b2", "Acme Shipping"))
    assert uma.alerts() == []
    add(watched, tmp_path, "alpha", company("c2", "Acme Farming"))
    assert [v.alert.entity_ids for v in uma.alerts()] == [("c2",)]


def test_a_pair_watch_fires_when_a_link_makes_a_path(watched: Workbench, tmp_path: Path) -> None:
    watch = watched.watch_pair("p1", "c9", max_hops=2)
    add(watched, tmp_path, "beta", owns("o1", "p1", "b1"))  # a link, but no path to c9
    assert watched.alerts() == []
    add(watched, tmp_path, "beta", owns("o2", "b1", "c9"))
    (view,) = watched.alerts(watch.id)
    assert view.alert.entity_ids == ("p1", "b1", "c9")
    assert view.alert.key.startswith("path:") and "2 hops" in view.alert.title
    assert watched.evaluate_watches().alerts == []


def test_an_entity_watch_sees_new_links_and_merged_records(
    watched: Workbench, tmp_path: Path
) -> None:
    watched.watch_entity("c1")
    add(watched, tmp_path, "beta", owns("o1", "p1", "c1"), company("b4", "ACME Holdings Ltd"))
    (link,) = watched.alerts()
    assert link.alert.key == "link:o1" and link.alert.entity_ids == ("c1", "o1")
    watched.judge("c1", "b4", "same")  # the resolution hook evaluates too
    keys = {v.alert.key for v in watched.alerts()}
    assert keys == {"link:o1", "member:b4"}


def test_a_failed_delivery_does_not_fail_the_ingest_and_is_retried(
    tmp_path: Path,
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = settings_for(tmp_path, smtp_host="127.0.0.1", smtp_port=closed)
    with Workbench(settings) as bench:
        add(bench, tmp_path, "alpha", company("c1", "Acme Holdings"))
        bench.watch_search("Acme", email="desk@example.org")
        add(bench, tmp_path, "alpha", company("c2", "Acme Shipping"))  # does not raise
        ((delivery),) = bench.alerts()[0].deliveries
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
        assert "email to desk@example.org" in delivery.error
        assert bench.evaluate_watches().failed == 1
        assert bench.alerts()[0].deliveries[0].attempts == 2


@pytest.mark.parametrize(
    ("query", "schema", "country"),
    [
        ("muslim", None, None),
        ("nationality:ru", None, None),
        ("refugees in Berlin", "Person", None),
        ("", "Person", "ru"),
        ("blue eyes", None, None),
    ],
)
def test_a_watch_that_profiles_people_is_refused(
    watched: Workbench, query: str, schema: str | None, country: str | None
) -> None:
    with pytest.raises(ProfilingRefused, match="refused"):
        watched.watch_search(query, schema=schema, country=country)
    assert watched.watches() == []
    (last,) = [e for e in watched.accountability.events() if e.action == "watch.search"][-1:]
    assert last.outcome.startswith("failed: refused")


def test_watches_are_their_owners(watched: Workbench) -> None:
    watch = watched.watch_entity("c1")
    watched.user_add("uma", "investigator")
    uma = watched.acting(Context(actor="uma"))
    assert uma.watches() == []
    with pytest.raises(Exception, match="No watch"):
        uma.unwatch(watch.id)
    watched.unwatch(watch.id)
    assert watched.watches() == []


def test_search_refuses_with_the_same_rule(watched: Workbench) -> None:
    with pytest.raises(ProfilingRefused, match="religion"):
        watched.search("muslim", schema="Person")
    with pytest.raises(ProfilingRefused, match="nationality"):
        watched.search("nationality:ru")
    assert watched.search("Acme").total == 1
    # A one-off full-text search of a word is research, not a list of people.
    assert watched.search("muslim").total == 0
