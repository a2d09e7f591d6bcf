"""Dataset namespaces of entity ids: signing is idempotent, and two datasets never
share a signed id, whatever ids and dataset names a writer chooses."""

from __future__ import annotations

from followthemoney import model
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.ingest.namespace import DatasetNamespace

IDS = st.text(st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=30)
NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(dataset=NAMES, entity_id=IDS)
def test_signing_twice_is_signing_once(dataset: str, entity_id: str) -> None:
    namespace = DatasetNamespace(dataset)
    signed = namespace.sign(entity_id)
    assert signed.startswith(entity_id + ".")
    assert namespace.sign(signed) == signed


@settings(max_examples=200, deadline=None)
@given(first=NAMES, second=NAMES, left=IDS, right=IDS)
def test_two_datasets_never_share_a_signed_id(
    first: str, second: str, left: str, right: str
) -> None:
    if first == second:
        return
    assert DatasetNamespace(first).sign(left) != DatasetNamespace(second).sign(right)


def test_ids_with_dots_stay_apart() -> None:
    # followthemoney's Namespace.sign would cut both at the dot and make them one.
    namespace = DatasetNamespace("d")
    assert namespace.sign("a.b") != namespace.sign("a.c")


def test_references_are_signed_with_the_record() -> None:
    ownership = model.make_entity("Ownership")
    ownership.id = "o1"
    ownership.add("owner", "p1")
    ownership.add("percentage", "50")
    signed = DatasetNamespace("d").apply(ownership)
    sign = DatasetNamespace("d").sign
    assert signed.id == sign("o1")
    assert signed.get("owner") == [sign("p1")]
    assert signed.get("percentage") == ["50"]
    assert ownership.id == "o1"  # the original (perhaps a mapper's memo) is untouched
