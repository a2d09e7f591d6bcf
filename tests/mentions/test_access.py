"""Mentions respect access control: a mention is shown only to a reader of both the
document's collection and the mentioned entity's, and names are looked for only among
the entities the finder may read."""

from __future__ import annotations

import pytest

from tests.mentions.conftest import reader
from threadline.access import AccessDenied
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError


def _answer(bench: Workbench, entity_id: str) -> tuple[str, str]:
    try:
        return "ok", repr(bench.mentions(entity_id))
    except NotFoundError as error:
        return type(error).__name__, str(error).replace(entity_id, "ID")


def test_a_reader_of_the_documents_only_sees_no_mention_into_another_collection(
    bench: Workbench,
) -> None:
    rita = reader(bench, "rita", "leak")
    # The entities are hidden: their mentions answer as a missing id does.
    for hidden in ("p-sok", "p-sec", "c-hal"):
        assert _answer(rita, hidden) == _answer(rita, "zz-none")
    # The documents' own view shows no mentioned entity, no caption, no snippet.
    [mail] = [h for h in rita.search("Friday").hits]
    view = rita.entity(mail.id)
    shown = repr(view)
    assert "p-sec" not in shown and "Person" not in shown
    for link in view.relationships:
        assert link.others == []


def test_a_reader_of_the_records_only_sees_no_snippet_of_the_documents(
    bench: Workbench,
) -> None:
    reg = reader(bench, "reg", "registry")
    assert reg.mentions("p-sok") == []
    assert reg.mentions("c-hal") == []


def test_a_reader_of_both_sees_those_mentions_and_no_others(bench: Workbench) -> None:
    sam = reader(bench, "sam", "leak", "registry")
    assert [v.text for v in sam.mentions("p-sok")] == ["VLADIMIR SOKOLOV"]
    assert len(sam.mentions("c-hal")) == 3
    with pytest.raises(NotFoundError):
        sam.mentions("p-sec")  # in `secret`, which sam cannot read


def test_finding_needs_write_and_looks_only_for_readable_names(bench: Workbench) -> None:
    sam = reader(bench, "sam", "leak", "registry")
    with pytest.raises(AccessDenied):
        sam.find_mentions("leak")
    bench.accountability.access.grant("sam", "leak", "write")
    # sam cannot read `secret`: its names are not looked for, so its mention goes.
    report = sam.find_mentions("leak")
    assert (report.mentions, report.removed) == (4, 1)
    assert bench.mentions("p-sec") == []
