"""A link's caption names its ends the same whichever chunk of the index build they
fall in: an end among the chunk's own entities and one read from the store are read
in one order (an entity's), so the first of several values is the same value."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app import indexer
from threadline.app.workbench import Workbench

# No name, two emails: the caption is the first email in the entity's order (by
# value: "mail@..."), where the store keeps them by statement id ("zoe@..." first).
PAYER = entity("payer", "Person", email=["zoe@example.org", "mail@anna.de"])
CLUB = entity("club", "Company", name="Bürgerbund")
PAYMENT = entity("pay", "Payment", payer="payer", beneficiary="club", amount="10")


def _captions(bench: Workbench, ids: list[str]) -> dict[str, str]:
    chunks = indexer.documents(bench.store, bench.settings, ids, 1, False)
    return {doc.id: doc.caption for chunk in chunks for doc in chunk}


def test_an_end_read_from_the_store_is_captioned_as_one_in_the_chunk(
    bench: Workbench, tmp_path: Path
) -> None:
    bench.ingest([write_entities(tmp_path / "a.ijson", [PAYER, CLUB, PAYMENT])], "money")

    together = _captions(bench, ["club", "pay", "payer"])["pay"]
    alone = _captions(bench, ["pay"])["pay"]  # its ends read from the store

    assert together == "Payment 10.00, mail@anna.de → Bürgerbund"
    assert alone == together
