"""The profiling rule that search and watches share: named things pass; populations
selected by who people are do not."""

from __future__ import annotations

import pytest

from threadline.access.profiling import ProfilingRefused, profiling_reason, refuse_profiling

REFUSED = [
    ("muslim", None, None, "religion"),
    ("Jews", None, None, "religion"),
    ("roma", "Person", None, "ethnicity"),
    ("refugees", None, None, "immigration status"),
    ("undocumented migrants", None, None, "immigration status"),
    ("refugees in Berlin", "Person", None, "immigration status"),
    ("russians", None, None, "nationality"),
    ("nationality:ru", None, None, "nationality"),
    ("properties.religion:islam", "Person", None, "religion"),
    ("ethnicity: kurdish", None, None, "ethnicity"),
    ("eyeColor:blue", "LegalEntity", None, "physical traits"),
    ("blue eyes", None, None, "physical traits"),
    ("tall bald men", "Person", None, "physical traits"),
    ("", "Person", "ru", "nationality"),
]
PASSED = [
    ("Maria Lopez", None, None),
    ("Maria Lopez", "Person", "ru"),  # a name, narrowed by a country
    ("Acme muslim charity", None, None),  # a named organisation
    ("Germany", None, None),  # a country's name alone may mean its companies
    ("Jordan", "Person", None),  # country names are first and last names too
    ("Diego Garcia", "Person", None),
    ("Germany", "Company", None),
    ("nationality:ru", "Company", None),  # not about people
    ("refugees", "Company", None),
    ("", "Company", "ru"),
    ("Ivan Petrov", None, "ru"),
]


# Colours and other surnames are names alone; a colour before a trait is a trait.
REFUSED += [
    ("black hair", "Person", None, "physical traits"),
    ("dark skinned", "Person", None, "physical traits"),
]
PASSED += [
    ("Brown", "Person", None),
    ("White", "Person", None),
    ("Conrad Black", "Person", None),
    ("Church", "Person", None),
    ("Short", "Person", None),
]
# A one-off search with no schema is full-text research; a watch is standing.
SEARCH_ONLY = [("muslim", None), ("refugees", None), ("russians", None), ("blue eyes", None)]


@pytest.mark.parametrize(("text", "schema", "country", "why"), REFUSED)
def test_selecting_people_by_who_they_are_is_refused(
    text: str, schema: str | None, country: str | None, why: str
) -> None:
    reason = profiling_reason(text, schema, country, standing=True)
    assert reason is not None and why in reason
    with pytest.raises(ProfilingRefused, match="named people"):
        refuse_profiling(text, schema, country, standing=True)
    if schema is not None or ":" in text:  # aimed at people: a search is refused too
        assert profiling_reason(text, schema, country) is not None


@pytest.mark.parametrize(("text", "schema", "country"), PASSED)
def test_named_things_pass(text: str, schema: str | None, country: str | None) -> None:
    assert profiling_reason(text, schema, country) is None
    assert profiling_reason(text, schema, country, standing=True) is None


@pytest.mark.parametrize(("text", "schema"), SEARCH_ONLY)
def test_a_search_of_words_alone_is_research_a_watch_of_them_is_not(
    text: str, schema: str | None
) -> None:
    assert profiling_reason(text, schema) is None
    assert profiling_reason(text, schema, standing=True) is not None
