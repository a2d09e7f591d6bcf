"""The anchors' cleaned input on the hard sets, and which runs are skipped."""

from __future__ import annotations

from tests.benchmarks import bench_module

tools = bench_module("_linkage_tools")


def test_anchor_columns_split_fold_and_keep_digits() -> None:
    data = {
        "id": ["a", "b", "c", "d"],
        "name": ["SOKOLOW, Dmitri", "Дмитрий Соколов", "Anna Maria Müller", "Müller"],
        "first_name": [None, None, None, None],
        "last_name": [None, None, None, None],
        "birth_date": ["1970-01-02", None, "1970", None],
        "address": ["Hauptstraße 12", None, None, None],
        "postcode": ["10115", None, None, None],
        "city": ["München", "Berlin", None, None],
        "email": ["X@Web.de", None, None, None],
        "identifier": ["12 345 678", None, None, None],
        "phone": ["+49 30 123", None, None, None],
    }
    out = tools.anchor_columns(data)
    assert out["first_name"] == ["dmitri", "dmitrij", "anna maria", None]
    assert out["last_name"] == ["sokolow", "sokolov", "muller", "muller"]
    assert out["address"] == ["hauptstrasse 12", None, None, None]
    assert out["city"] == ["munchen", "berlin", None, None]
    assert out["email"] == ["x@web.de", None, None, None]
    assert out["identifier"] == ["12345678", None, None, None]
    assert out["phone"] == ["4930123", None, None, None]
    assert out["birth_date"] == data["birth_date"]


def test_recordlinkage_is_not_run_on_a_million_records() -> None:
    assert tools.skip_reason("recordlinkage", 100_000) is None
    reason = tools.skip_reason("recordlinkage", 1_000_000)
    assert reason is not None and reason.startswith("not run:")
    assert tools.skip_reason("splink", 1_000_000) is None
