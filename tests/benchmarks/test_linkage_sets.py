"""Febrl records as match-frame rows, and their true clusters."""

from __future__ import annotations

import pytest

from tests.benchmarks import bench_module

sets = bench_module("_linkage_sets")

FEBRL = {"rec_id": "rec-12-dup-0", "given_name": "michaela", "surname": "neumann",
         "street_number": "8", "address_1": "stanley street", "address_2": "miami",
         "suburb": "winston hills", "postcode": "4223", "state": "nsw",
         "date_of_birth": "19151111", "soc_sec_id": "5304218"}  # fmt: skip


def test_a_febrl_record_becomes_a_frame_row() -> None:
    (row,) = sets.febrl_rows([FEBRL], "B")
    assert row == {
        "id": "rec-12-dup-0", "dataset": "B", "schema": "Person", "name": "michaela neumann",
        "first_name": "michaela", "last_name": "neumann", "birth_date": "1915-11-11",
        "identifier": "5304218", "address": "8 stanley street, miami", "postcode": "4223",
        "city": "winston hills", "country": "AU", "email": None, "phone": None,
    }  # fmt: skip


def test_missing_and_malformed_febrl_values() -> None:
    record = {**FEBRL, "given_name": float("nan"), "street_number": None,
              "address_2": "  ", "date_of_birth": "1915111"}  # fmt: skip
    (row,) = sets.febrl_rows([record], "A")
    assert row["first_name"] is None
    assert row["name"] == "neumann"
    assert row["address"] == "stanley street"
    assert row["birth_date"] == "1915111"  # not eight digits: passed on as written
    (row,) = sets.febrl_rows([{**FEBRL, "date_of_birth": "19151131"}], "A")
    assert row["birth_date"] == "1915-11-31"  # a mistyped date is still evidence


@pytest.mark.parametrize(
    ("rec_id", "cluster"),
    [("rec-123-org", "123"), ("rec-123-dup-0", "123"), ("rec-7-dup-11", "7")],
)
def test_febrl_cluster(rec_id: str, cluster: str) -> None:
    assert sets.febrl_cluster(rec_id) == cluster


def test_febrl_cluster_refuses_other_ids() -> None:
    with pytest.raises(ValueError, match="not a Febrl record id"):
        sets.febrl_cluster("rec-x-org")


def test_check_links_compares_implied_and_given_pairs() -> None:
    truth = {"rec-1-org": "1", "rec-1-dup-0": "1", "rec-1-dup-1": "1", "rec-2-org": "2"}
    links = [("rec-1-org", "rec-1-dup-0"), ("rec-1-dup-1", "rec-1-org"),
             ("rec-1-dup-0", "rec-1-dup-1")]  # fmt: skip
    sets.check_links(truth, links)
    with pytest.raises(ValueError, match="imply 3 true pairs"):
        sets.check_links(truth, links[:2])
