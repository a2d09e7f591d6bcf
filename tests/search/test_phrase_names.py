"""An exact phrase that is an entity's own name finds that entity first, above the
short texts that only quote it (a `Mention`, a note), which BM25 alone ranks higher."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench

NAME = "Halcyon Crest Holdings Ltd"


def test_a_quoted_name_ranks_its_entity_above_texts_quoting_it(tmp_path: Path) -> None:
    quoting = [
        entity(f"m-{n}", "Mention", name=NAME, document="doc-1", resolved="c-halcyon")
        for n in range(3)
    ]
    quoting.append(entity("n-1", "Note", description=f"Paid to {NAME}"))
    registry = [
        entity(
            "c-halcyon",
            "Company",
            name=NAME,
            jurisdiction="vg",
            address="Palm Grove House, Road Town, Tortola",
            notes="Registered agent: Palm Grove Corporate Services Ltd; shares held in trust",
        )
    ]
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(tmp_path / "quoting.ijson", quoting)], "quoting")
        bench.ingest([write_entities(tmp_path / "registry.ijson", registry)], "registry")
        for query in (f'"{NAME}"', NAME):
            hits = bench.search(query).hits
            assert hits[0].id == "c-halcyon", (query, [(h.id, h.score) for h in hits])
            # The quoting texts are still found, after it.
            assert {"m-0", "m-1", "m-2"} <= {h.id for h in hits}
