"""Match keys: names and identifiers folded as search folds them, and which are evidence.

A key is a tuple of folded tokens. A name gives the keys search gives it:
`name_tokens` (legal forms reduced, "Daimler Aktiengesellschaft" -> daimler ag) and
`tokens` (the words as they read, as document text is indexed). So case, accents and
other scripts ("Владимир Соколов" -> vladimir sokolov) match as they do in search.
A third key drops the legal form ("Halcyon Crest Ltd" -> halcyon crest), as text
often does, if at least two words remain.

Not every name is evidence. The rule (`is_evidence`):

- a key needs at least `MIN_CHARS` letters or digits in all;
- a one-word name needs at least `MIN_WORD` of them ("Maria", "Bank", "Ltd" are
  not evidence; "Halcyon", "Siemens" are);
- a name key of digits only is not a name;
- a key held by more than `MAX_HOLDERS` entities is too common to point at any of them
  (checked when the matcher is built, see `matcher.py`).

An identifier (registration, tax, LEI, ... numbers) gives one key, its `tokens`, and
needs `MIN_IDENTIFIER` letters or digits, at least one a digit: "HRB 12345" is
evidence, "12" and "A-1" are not.
"""

from __future__ import annotations

from rigour.names import remove_org_types

from threadline.search.text import name_tokens, tokens

Key = tuple[str, ...]

MIN_CHARS = 4
MIN_WORD = 6
MAX_HOLDERS = 10
MIN_IDENTIFIER = 6


def is_evidence(key: Key) -> bool:
    """Whether a name key is long and specific enough to stand for an entity."""
    size = sum(map(len, key))
    if size < MIN_CHARS or all(t.isdigit() for t in key):
        return False
    return len(key) > 1 or size >= MIN_WORD


def name_keys(name: str) -> frozenset[Key]:
    """The keys a name is found by, those that are evidence."""
    found = {tuple(name_tokens(name)), tuple(tokens(name))}
    bare = tuple(tokens(remove_org_types(name)))
    if len(bare) > 1:
        found.add(bare)
    return frozenset(k for k in found if k and is_evidence(k))


def identifier_key(value: str) -> Key | None:
    """The key an identifier is found by, or None if it is too short to be evidence."""
    key = tuple(tokens(value))
    size = sum(map(len, key))
    if size < MIN_IDENTIFIER or not any(c.isdigit() for t in key for c in t):
        return None
    return key
