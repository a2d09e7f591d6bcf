"""A revocation takes effect on the next call of the same workbench: nothing is cached.

Each test changes rights through the admin verbs of the local admin's workbench while
one `acting` workbench of the user stays open, and checks that user's very next call.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.access import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError


def _last_outcome(bench: Workbench) -> str:
    return list(bench.accountability.events())[-1].outcome


def test_revoking_a_grant_hides_everything_on_the_next_call(bench: Workbench) -> None:
    bench.user_add("uma", "investigator")
    uma = bench.acting(Context(actor="uma"))
    assert uma.search("ivan").total == 0
    bench.grant("uma", "alpha", "read")
    result = uma.search("ivan")
    assert [h.id for h in result.hits] == ["a-p1"] and result.hits[0].datasets == ["alpha"]
    assert uma.entity("a-p1").entity.datasets == ["alpha"]
    with pytest.raises(NotFoundError):
        uma.entity("b-p1")  # a member she cannot read does not lead to its cluster
    bench.grant("uma", "alpha", None)
    result = uma.search("ivan")
    assert (result.total, result.hits, result.facets["dataset"]) == (0, [], {})
    with pytest.raises(NotFoundError):
        uma.entity("a-p1")
    assert list(uma.export()) == []
    assert uma.datasets() == []


def test_leaving_a_group_takes_its_grants_away(bench: Workbench) -> None:
    bench.user_add("uma", "investigator")
    bench.group_add("desk", ["uma"])
    bench.grant("desk", "beta", "read")
    uma = bench.acting(Context(actor="uma"))
    assert uma.search("borealis").total == 1
    bench.group_member("desk", "uma", member=False)
    assert uma.search("borealis").total == 0


def test_a_marking_binds_until_the_user_is_cleared_for_it(bench: Workbench) -> None:
    bench.user_add("uma", "admin")  # admins too: markings bind everyone but local
    uma = bench.acting(Context(actor="uma"))
    assert uma.search("cobalt").total == 1
    bench.mark("gamma", "source-protected")
    assert uma.search("cobalt").total == 0
    assert {h.id: h.datasets for h in uma.search("ivan").hits} == {
        "a-p1": ["alpha", "beta", "delta"]
    }
    bench.clear("uma", "source-protected")
    assert uma.search("cobalt").total == 1
    assert uma.entity("a-p1").markings == ["source-protected"]
    bench.clear("uma", "source-protected", on=False)
    assert uma.search("cobalt").total == 0


def test_demotion_to_viewer_takes_write_away_at_once(bench: Workbench) -> None:
    bench.user_add("uma", "investigator")
    bench.grant("uma", "gamma", "write")
    uma = bench.acting(Context(actor="uma"))
    judgement = uma.judge("c-c1", "c-p2", "not-same")
    uma.undo(judgement.id)
    bench.user_update("uma", role="viewer")
    with pytest.raises(AccessDenied):
        uma.judge("c-c1", "c-p2", "not-same")
    assert _last_outcome(bench).startswith("denied: ")
    assert uma.search("cobalt").total == 1  # reading is still allowed


def test_a_disabled_user_is_refused_and_the_refusal_recorded(bench: Workbench) -> None:
    token = bench.user_add("uma", "investigator").token
    bench.grant("uma", "alpha", "read")
    by_name = bench.acting(Context(actor="uma"))
    by_token = bench.acting(Context(token=token))
    assert by_name.search("ivan").total == by_token.search("ivan").total == 1
    bench.user_update("uma", disabled=True)
    for uma in (by_name, by_token):
        with pytest.raises(AccessDenied, match=r"disabled|revoked"):
            uma.search("ivan")
        assert _last_outcome(bench).startswith("denied: ")
    bench.user_update("uma", disabled=False)
    assert by_name.search("ivan").total == 1
    with pytest.raises(AccessDenied, match="revoked"):
        by_token.search("ivan")  # disabling revoked the tokens for good


def test_revoked_tokens_stop_working_and_new_ones_work(bench: Workbench) -> None:
    first = bench.user_add("uma", "investigator").token
    second = bench.token_issue("uma")
    bench.grant("uma", "delta", "read")
    uma = bench.acting(Context(token=first))
    assert uma.search("deltaword").total == 3
    assert bench.token_revoke("uma") == 2
    for token in (first, second):
        with pytest.raises(AccessDenied, match="unknown or revoked"):
            bench.acting(Context(token=token)).search("deltaword")
    event = list(bench.accountability.events())[-1]
    assert (event.actor, event.outcome.split(":")[0]) == ("(token)", "denied")
    third = bench.token_issue("uma")
    assert bench.acting(Context(token=third)).search("deltaword").total == 3


def test_removal_from_a_case_closes_it_on_the_next_call(bench: Workbench) -> None:
    bench.user_add("uma", "investigator")
    bench.grant("uma", "alpha", "read")
    case = bench.case_create("Petrov", "trace the holdings", "alpha")
    bench.case_member(case.id, "uma", "reader")
    uma = bench.acting(Context(actor="uma", case=case.id))
    assert uma.search("ivan").total == 1
    bench.case_member(case.id, "uma", None)
    with pytest.raises(AccessDenied, match="membership"):
        uma.search("ivan")
    event = list(bench.accountability.events())[-1]
    assert (event.actor, event.case_id) == ("uma", case.id)
    assert event.outcome.startswith("denied: ")


def test_the_local_admin_reaches_a_collection_at_once_after_ingesting_it(
    tmp_path: Path,
) -> None:
    # The local admin's principal is cached for a second; a collection ingested within
    # that second was out of reach of a case with all sources until it expired.
    bench = Workbench(data_dir=tmp_path / "data")
    bench.ingest(
        [write_entities(tmp_path / "one.json", [entity("one-1", "Company", name="A")])], "one"
    )
    case = bench.case_create("Fresh", "check the new source")
    bench.ingest(
        [write_entities(tmp_path / "two.json", [entity("two-1", "Company", name="B")])], "two"
    )
    inside = bench.acting(Context(case=case.id))
    assert inside.case_pin(case.id, "two-1").entity_id == "two-1"
