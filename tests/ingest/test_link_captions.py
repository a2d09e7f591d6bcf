"""A link's caption names its ends as they are now: when an end gets a name from a new
ingest, or is merged with another entity (or split off again), the links pointing at
it are indexed again, without a reindex."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from threadline.app.workbench import Workbench

PAYMENT = {
    "id": "pay-1",
    "schema": "Payment",
    "properties": {
        "payer": ["sokolov"],
        "beneficiary": ["club"],
        "amount": ["9900"],
        "currency": ["EUR"],
        "date": ["2020-08-14"],
    },
}
SOKOLOV = {"id": "sokolov", "schema": "Person", "properties": {"name": ["Dmitri Sokolov"]}}
# The beneficiary has no name at first: its caption is its registration number.
CLUB = {"id": "club", "schema": "Organization", "properties": {"registrationNumber": ["VR 4711"]}}


def _write(path: Path, *entities: dict[str, Any]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


def _payment_caption(bench: Workbench) -> str:
    [hit] = bench.search("", schema="Payment").hits
    return hit.caption


def test_a_name_from_a_new_ingest_reaches_the_links(bench: Workbench, files: Path) -> None:
    bench.ingest([_write(files / "payments.ijson", PAYMENT, SOKOLOV, CLUB)], "money")
    assert "Dmitri Sokolov → VR 4711" in _payment_caption(bench)

    named = {"id": "club", "schema": "Organization", "properties": {"name": ["Bürgerbund"]}}
    bench.ingest([_write(files / "clubs.ijson", named)], "money")

    assert "Dmitri Sokolov → Bürgerbund" in _payment_caption(bench)


def test_a_link_names_its_ends_only_from_its_own_datasets(bench: Workbench, files: Path) -> None:
    # Its readers may not read another dataset: a name from there stays out of it.
    bench.ingest([_write(files / "payments.ijson", PAYMENT, SOKOLOV, CLUB)], "money")
    named = {"id": "club", "schema": "Organization", "properties": {"name": ["Bürgerbund"]}}
    bench.ingest([_write(files / "clubs.ijson", named)], "registry")

    assert "Dmitri Sokolov → VR 4711" in _payment_caption(bench)


def test_a_merge_and_its_undo_reach_the_links(bench: Workbench, files: Path) -> None:
    other = {"id": "verein", "schema": "Organization", "properties": {"name": ["Bürgerbund"]}}
    bench.ingest([_write(files / "payments.ijson", PAYMENT, SOKOLOV, CLUB, other)], "money")
    assert "→ VR 4711" in _payment_caption(bench)

    judgement = bench.judge("club", "verein", "same")
    assert "Dmitri Sokolov → Bürgerbund" in _payment_caption(bench)

    bench.undo(judgement.id)  # split again: the club has no name of its own
    assert "→ VR 4711" in _payment_caption(bench)
