"""The profiling rule: a query may look for named things, never select people by
nationality, ethnicity, religion, immigration status or physical traits.

One pure function, `profiling_reason`, says why a query would profile (or None);
`refuse_profiling` raises `ProfilingRefused` with that reason. Search and watches ask
the same rule. A query is refused when it filters on a protected property of people
(`nationality:ru` in its text), or when, aimed at people, it holds nothing but
protected terms ("muslim", "refugees", "russians", "blue eyes") or only a country
filter: a name narrowed by a country is a named thing; a country alone is a
population. Aimed at people (schema Person), any religion, ethnicity, status or trait
term is refused. Country names in the text are not terms: they are people's names too
(Jordan, Georgia, Diego Garcia); nor are colours alone (Black, White, Brown, Green are
surnames), only a colour before a trait ("blue eyes", "black hair").

A one-off search is full-text research as much as a list of people: with no schema, a
query of terms alone ("refugees", in leaked documents) passes, and only a search aimed
at people by its schema is held to the term rules. A watch is standing: it is held to
them whatever its schema (`standing=True`).
"""

from __future__ import annotations

import re
from functools import cache

from followthemoney import model

from threadline.errors import ThreadlineError

# Person properties that describe a protected characteristic, by what they describe.
PROTECTED = {
    "nationality": "nationality",
    "citizenship": "nationality",
    "birthCountry": "nationality",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "appearance": "physical traits",
    "eyeColor": "physical traits",
    "hairColor": "physical traits",
    "height": "physical traits",
    "weight": "physical traits",
}
# Words that name a group of people rather than a person, company or thing.
TERMS = {
    "religion": "muslim muslims islam islamic christian christians catholic catholics "
    "protestant jewish jew jews judaism hindu hindus buddhist buddhists sikh sikhs "
    "atheist atheists mosque synagogue orthodox sunni shia",
    "ethnicity": "roma romani gypsy gypsies arab arabs african africans asian asians "
    "hispanic latino latina latinos caucasian kurd kurds kurdish uyghur "
    "uyghurs tamil tamils pashtun berber ethnic ethnicity race racial",
    "immigration status": "immigrant immigrants migrant migrants refugee refugees asylum "
    "seeker seekers undocumented illegal illegals alien aliens deportee deportees visa "
    "overstayer overstayers stateless foreigner foreigners expat expats",
    "nationality": "nationality nationalities national nationals citizen citizens "
    "citizenship russian russians chinese iranian iranians syrian syrians afghan afghans "
    "nigerian nigerians pakistani pakistanis turkish turks ukrainian ukrainians "
    "mexican mexicans somali somalis iraqi iraqis eritrean eritreans albanian albanians "
    "romanian romanians polish moroccan moroccans algerian algerians libyan libyans",
    "physical traits": "eyes eye hair haired blond blonde brunette redhead tall "
    "fat thin obese height weight tattoo tattoos tattooed scar scars skin skinned bald "
    "beard bearded disabled disability",
}
# Colours are surnames alone; before one of these they describe a trait.
COLOURS = frozenset(
    ["black", "white", "brown", "green", "grey", "gray", "blue", "hazel", "red", "dark", "fair"]
)
TRAIT_NOUNS = frozenset(["eyes", "eye", "eyed", "hair", "haired", "skin", "skinned"])
FILLER = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "not",
        "the",
        "of",
        "with",
        "who",
        "are",
        "is",
        "from",
        "in",
        "people",
        "person",
        "persons",
        "men",
        "women",
    ]
)
FIELD = re.compile(r"(?:properties\.)?([A-Za-z]+)\s*:")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class ProfilingRefused(ThreadlineError):
    """A query that selects people by a protected characteristic."""


@cache
def _terms() -> dict[str, str]:
    """Every protected word, mapped to what it describes."""
    return {w: label for label, words in TERMS.items() for w in words.split()}


def _about_people(schema: str | None) -> bool:
    """Whether a query of this schema may return people (no schema: it may)."""
    if schema is None:
        return True
    found = model.get(schema)
    person = model.get("Person")
    return found is None or person is None or person.is_a(found) or found.is_a(person)


def _protected(words: list[str]) -> list[str | None]:
    """What each word describes (None: it names something), colours read in context."""
    terms = _terms()
    labels: list[str | None] = [terms.get(w) for w in words]
    for i, word in enumerate(words[:-1]):
        if word in COLOURS and words[i + 1] in TRAIT_NOUNS:
            labels[i] = "physical traits"
    return labels


def profiling_reason(
    text: str, schema: str | None = None, country: str | None = None, standing: bool = False
) -> str | None:
    """Why this query would select people by a protected characteristic, or None.
    `standing`: a watch (term rules whatever the schema), not a one-off search."""
    if not _about_people(schema):
        return None
    for name in FIELD.findall(text):
        if name in PROTECTED:
            return f"it filters people by {PROTECTED[name]} ({name}:)"
    words = [w for w in WORD.findall(FIELD.sub(" ", text).lower()) if w not in FILLER]
    described = _protected(words)
    labels = {label for label in described if label is not None}
    named = [w for w, label in zip(words, described, strict=True) if label is None]
    if schema is None and not standing:
        labels = set()  # full-text research: see the module's docstring
    if labels and not named:
        return f"it names only a group of people (by {', '.join(sorted(labels))}), no one"
    if schema == "Person" and labels - {"nationality"}:
        # Aimed at people, a religion, ethnicity, status or trait selects them even
        # beside other words ("refugees in Berlin").
        return f"it selects people by {', '.join(sorted(labels - {'nationality'}))}"
    if country and schema == "Person" and not named:
        return "it selects people by country alone (nationality), not by name"
    return None


def refuse_profiling(
    text: str, schema: str | None = None, country: str | None = None, standing: bool = False
) -> None:
    """Raise `ProfilingRefused` if the query would select people by a protected
    characteristic; the message says which."""
    reason = profiling_reason(text, schema, country, standing)
    if reason is not None:
        raise ProfilingRefused(
            f"refused: {reason}. Searches and watches are for named people, companies "
            "and things; add a name, or narrow by something other than who people are"
        )
