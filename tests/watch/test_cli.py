"""`threadline watch ...`, `watches`, `alerts`, `evaluate-watches`, `unwatch`: the
library verbs with flags, run in-process against a real data directory."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import cli, ok
from tests.conftest import write_entities
from tests.watch.conftest import company, person


def test_watch_then_alert_then_unwatch(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = write_entities(tmp_path / "a.ijson", [person("p1", "Maria Lopez")])
    ok(data, "ingest", str(first), "--dataset", "alpha")
    made = ok(data, "watch", "search", "Acme", "--json").json()
    assert isinstance(made, dict) and made["kind"] == "search"
    faceted = ok(data, "watch", "search", "Acme", "--doc-type", "email", "--year", "2020", "--json")
    spec = faceted.json()["spec"]  # type: ignore[index]
    assert (spec["doc_type"], spec["year"]) == ("Email", 2020)
    ok(data, "unwatch", faceted.json()["id"])  # type: ignore[index]
    pair = ok(data, "watch", "pair", "p1", "c1", "--max-hops", "2").stdout.strip()
    assert {w["id"] for w in ok(data, "watches", "--json").lines()} == {made["id"], pair}
    later = write_entities(tmp_path / "b.ijson", [company("c1", "Acme Holdings")])
    ok(data, "ingest", str(later), "--dataset", "beta")
    (alert,) = ok(data, "alerts", "--json").lines()
    assert alert["entity_ids"] == ["c1"] and alert["deliveries"] == []
    assert ok(data, "alerts").stdout.count("Acme Holdings") == 1
    report = ok(data, "evaluate-watches", "--json").json()
    assert isinstance(report, dict) and report["alerts"] == []
    ok(data, "unwatch", made["id"])
    assert [w["id"] for w in ok(data, "watches", "--json").lines()] == [pair]


def test_refusals_name_the_reason(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = cli(data, "watch", "search", "muslim")
    assert done.code == 1 and "refused" in done.stderr and "religion" in done.stderr
    done = cli(data, "watch", "entity", "x", "--webhook", "http://169.254.169.254/")
    assert done.code == 1 and "link-local" in done.stderr
    done = cli(data, "unwatch", "nope")
    assert done.code == 1 and "No watch" in done.stderr
