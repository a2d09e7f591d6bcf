"""An explanation shows a linked Address only to a caller who reads its collection:
resolution follows `addressEntity` across collections, explanations must not."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entity, write_entities
from threadline.app.context import Context
from threadline.app.workbench import Workbench


def _shown(bench: Workbench) -> str:
    explanation = bench.explain("p1", "p2")
    return repr([(f.name, f.left, f.right) for f in explanation.features]).lower()


def test_an_address_in_an_unreadable_collection_is_not_shown(tmp_path: Path) -> None:
    people = write_entities(
        tmp_path / "open.ijson",
        [
            entity("p1", "Person", name="Anna Berg", birthDate="1980-02-03", addressEntity="ad"),
            entity("p2", "Person", name="Anna Berg", birthDate="1980-02-03", addressEntity="ad"),
        ],
    )
    address = write_entities(
        tmp_path / "closed.ijson",
        [entity("ad", "Address", full="7 Secretlane, 1010 Nicosia", country="cy")],
    )
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([people], "open")
        bench.ingest([address], "closed")
        bench.resolve()
        assert "nicosia" in _shown(bench)  # the admin reads both collections
        bench.accountability.access.add_user("ivy", "investigator")
        bench.grant("ivy", "open", "read")
        shown = _shown(bench.acting(Context(actor="ivy", purpose="explain test")))
    assert "nicosia" not in shown and "secretlane" not in shown and "1010" not in shown
