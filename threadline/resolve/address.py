"""Street addresses for matching: one-line addresses split into their parts, and keys.

libpostal is not available, so a one-line address ("Hauptstr. 5, 10115 Berlin", "12 High
Street, London SW1A 1AA") is split by postcode patterns per country and by where the
house number sits. Keyword canonicalisation ("Street" = "St", "Boulevard" = "Blvd",
"rue" = "st") and transliteration come from rigour's address fingerprint; only the German
compound street suffix ("Hauptstraße" = "Hauptstr."), which rigour leaves alone, is
handled here.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rigour.addresses import address_fingerprint
from rigour.territories import get_territory, lookup_territory

from threadline.resolve.names import fold


class AddressParts(NamedTuple):
    """What one address says, as far as it can be told apart; None where unknown."""

    street: str | None  # the street line without the house number, as written
    house: str | None  # the house number ("5", "12a", "3-5")
    postcode: str | None  # as written, upper-cased
    city: str | None
    country: str | None  # ISO code, when the address names its country


_UK = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"
_FIVE = r"(?:[A-Z]{1,2}-)?\d{5}"  # D-10115, F-75002 are old European forms
# Postcode shapes per country (ISO code); an address without a known country tries
# them in this order, most distinctive first.
POSTCODES: dict[str, str] = {
    "gb": _UK,
    "ca": r"[A-Z]\d[A-Z]\s?\d[A-Z]\d",
    "nl": r"\d{4}\s?[A-Z]{2}",
    "pl": r"\d{2}-\d{3}",
    "pt": r"\d{4}-\d{3}",
    "jp": r"\d{3}-\d{4}",
    "us": r"\d{5}(?:-\d{4})?",
    "de": _FIVE,
    "fr": _FIVE,
    "it": _FIVE,
    "es": _FIVE,
    "fi": _FIVE,
    "se": r"\d{3}\s\d{2}",
    "ru": r"\d{6}",
    "at": r"(?:A-)?\d{4}",
    "ch": r"(?:CH-)?\d{4}",
    "be": r"(?:B-)?\d{4}",
    "dk": r"(?:DK-)?\d{4}",
    "no": r"\d{4}",
    "au": r"\d{4}",
}
_ANY_ORDER = ("gb", "ca", "nl", "pl", "pt", "jp", "us", "ru", "se", "at")
_PATTERNS = {
    code: re.compile(rf"(?<![\w-])({shape})(?![\w-])", re.IGNORECASE)
    for code, shape in POSTCODES.items()
}
# Any country's shape, the most distinctive first where two match at one place.
_ANY = re.compile(
    rf"(?<![\w-])({'|'.join(f'(?:{POSTCODES[c]})' for c in _ANY_ORDER)})(?![\w-])",
    re.IGNORECASE,
)
# US states and Canadian provinces stand between the city and the ZIP code.
_STATE = re.compile(r"^(.*?)[\s,]+([A-Z]{2})$")
_STATE_ONLY = re.compile(r"^[A-Z]{2}$")
_HOUSE = r"\d+\s?[a-zA-Z]?(?:\s?[-/]\s?\d+[a-zA-Z]?)?"
_LEADING = re.compile(rf"^(?:no\.?\s*)?({_HOUSE})\b[\s,]*(.+)$", re.IGNORECASE)
_TRAILING = re.compile(rf"^(.+?)[\s,]+(?:no\.?\s*)?({_HOUSE})$", re.IGNORECASE)
_GERMAN_STREET = re.compile(r"(?<=\w)[\s-]?(?:strasse|str)\b")
_PREFIX = re.compile(r"^[A-Z]{1,2}-(?=\d)")
_SPACES = re.compile(r"\s+")


# Where a postcode stands in one segment: (start, end, the postcode upper-cased and
# single-spaced, without a country prefix).
_Found = tuple[int, int, str]


def _postcode(segments: list[str], country: str | None) -> tuple[int, _Found] | None:
    """The segment holding the postcode and where it stands: the last segment first, and
    never the first segment's leading or trailing number (that is the house number)."""
    for index in range(len(segments) - 1, -1, -1):
        found = _segment_postcode(segments[index], country, index == 0)
        if found is not None:
            return index, found
    return None


@lru_cache(maxsize=100_000)
def _segment_postcode(text: str, country: str | None, first: bool) -> _Found | None:
    """The last postcode in one segment by the shapes of `country` (any country's if
    None), skipping the street line's house number when `first`. Cached: the segment
    with postcode and city ("10115 Berlin") repeats across addresses."""
    if not any(map(str.isdigit, text)):
        return None
    for found in reversed(list(_PATTERNS.get(country or "", _ANY).finditer(text))):
        if first and _is_house(text, found):
            continue
        postcode = _PREFIX.sub("", _SPACES.sub(" ", found.group(1).upper()))
        return found.start(), found.end(), postcode
    return None


def _is_house(text: str, found: re.Match[str]) -> bool:
    """Whether a number in the street line is its house number (at either end)."""
    if len(text) == len(found.group(1)):
        return False
    head, tail = text[: found.start()].strip(), text[found.end() :].strip()
    return not head or not tail


@lru_cache(maxsize=100_000)
def split_street(line: str) -> tuple[str | None, str | None]:
    """(street, house number) of a street line: "12 High Street" and "Hauptstr. 5a".
    Cached: many addresses share a street line."""
    line = _SPACES.sub(" ", line.strip(" ,"))
    trailing = _TRAILING.match(line)
    if trailing and any(ch.isalpha() for ch in trailing.group(1)):
        return trailing.group(1).strip(" ,") or None, _house(trailing.group(2))
    leading = _LEADING.match(line)
    if leading and any(ch.isalpha() for ch in leading.group(2)):
        return leading.group(2).strip(" ,") or None, _house(leading.group(1))
    return (line or None), None


def _house(text: str) -> str:
    return text.replace(" ", "").lower()


def warm_up() -> threading.Thread:
    """Start building rigour's table of territory names in a thread, and return it.

    The first `_country` lookup builds it, transliterating every name of every
    territory: about a CPU second, which a resolution run can spend while it waits on
    the store instead (the lookup takes rigour's lock, so a lookup meanwhile waits)."""
    thread = threading.Thread(target=lookup_territory, args=("",), daemon=True)
    thread.start()
    return thread


def build_tables() -> None:
    """Build rigour's table of territory names now (see `warm_up`): a worker process
    that will split addresses does it while it waits for them."""
    lookup_territory("")


@lru_cache(maxsize=10_000)
def _country(segment: str) -> str | None:
    """The ISO code if a segment names a country (and nothing else)."""
    if any(ch.isdigit() for ch in segment) or len(segment) < 2:
        return None
    # Territories, not FtM's country cleaning: that reads "Berlin" as Germany.
    found = lookup_territory(segment)
    if found is None or "-" in found.code:
        return None
    return str(found.code)


def split_address(text: str, country: str | None = None) -> AddressParts:
    """Street, house number, postcode and city of a one-line address.

    Commas part the line; the postcode is found by the shapes of `country` (an ISO
    code, if known), else of any country; the city stands next to it (after it in most
    of Europe, before it in the UK and North America, before the state in the US); the
    street line is what comes first, with its house number at either end.
    """
    segments = [s for s in map(str.strip, text.split(",")) if s]
    if not segments:
        return AddressParts(None, None, None, None, None)
    last = segments[-1]
    named = _country(last) if len(segments) > 1 and not _region(last, country) else None
    if named:
        segments = segments[:-1]
    code = (country or named or "").lower() or None
    shapes = code if code in _PATTERNS else None  # any country's shapes when None
    found = _postcode(segments, shapes)
    if found is None and shapes is not None:
        found = _postcode(segments, None)  # the record's country may not be the address's
    postcode = city = None
    street_line: str | None = segments[0]
    if found is not None:
        index, (start, end, postcode) = found
        segment = segments[index]
        before = segment[:start].strip(" ,")
        after = segment[end:].strip(" ,")
        if index == 0:
            # All on one line: "Hauptstr. 5 10115 Berlin". A city before the postcode
            # ("12 High St London SW1A 1AA") cannot be told from the street here.
            street_line, city = before, after or None
        else:
            city = after or _without_state(before)
            if city is None and index > 1:
                city = segments[index - 1]  # "Washington, DC 20500"
    elif len(segments) > 1:
        city = segments[-1]
        if _STATE_ONLY.match(city):
            # "Chester, NJ", "Via Roma 1, Milano, MI": a state or province code follows
            # the city; before the city, if anything, stands the street.
            city = segments[-2]
            street_line = segments[0] if len(segments) > 2 else None
    elif named and not any(map(str.isdigit, segments[0])):
        # "Berlin, DE": a place and its country, no street.
        street_line, city = None, segments[0]
    street, house = split_street(street_line) if street_line else (None, None)
    return AddressParts(street, house, postcode, city, named or code)


@lru_cache(maxsize=1_000)
def _region(segment: str, country: str | None) -> bool:
    """Whether a bare two-letter code is a state or province of the record's country:
    "Springfield, IL" of a US record is in Illinois, not Israel."""
    if not country or not _STATE_ONLY.match(segment):
        return False
    return get_territory(f"{country.lower()}-{segment.lower()}") is not None


def _without_state(text: str) -> str | None:
    """A city with a US state or Canadian province code after it, without the code."""
    if not text or _STATE_ONLY.match(text):
        return None
    found = _STATE.match(text)
    return found.group(1) if found else text


@lru_cache(maxsize=100_000)
def street_key(street: str | None) -> str | None:
    """A street name as a comparison key: rigour's fingerprint (keywords shortened,
    transliterated) with German compound suffixes shortened too."""
    if not street:
        return None
    key = address_fingerprint(street)
    if key is None:
        return None
    return _GERMAN_STREET.sub("str", key).strip() or None


def address_tokens(text: str) -> list[str]:
    """The distinct tokens of a whole address, for a token-set comparison."""
    key = address_fingerprint(text) or fold(text)
    key = _GERMAN_STREET.sub("str", key)
    return sorted({t for t in key.split() if t})


# The prepared address columns and their Arrow types (see prepare.COLUMNS).
ADDRESS_COLUMNS: dict[str, pa.DataType] = {
    "addr": pa.string(),  # street key and house number: "hauptstr 5"
    "street": pa.string(),  # street key without the number: "hauptstr"
    "house": pa.string(),
    "postcode": pa.string(),
    "city": pa.string(),
    "addr_tokens": pa.list_(pa.string()),  # the whole address's distinct tokens
    "addr_idf": pa.list_(pa.float64()),  # each token's rarity, log2(1 + records / holders)
    "addr_idf_sum": pa.float64(),
}
_KEY_SEP = "\x1f"


@lru_cache(maxsize=100_000)
def postcode_key(value: str | None) -> str | None:
    """A postcode folded, without spaces or a country prefix ("D-10115" = "10115")."""
    if not value:
        return None
    key = _PREFIX.sub("", value.strip().upper())
    return fold(key).replace(" ", "") or None


# A street address's parts as `_parse` uses them: street key, house, postcode, city.
_Split = tuple[str | None, str | None, str | None, str | None]


def _split(address: str, country: str) -> _Split:
    parts = split_address(address, country or None)
    return street_key(parts.street), parts.house, parts.postcode, parts.city


def _parse(key: str, splits: dict[tuple[str, str], _Split]) -> tuple[str | None, ...]:
    """One distinct (address, postcode, city, country) to the address columns; `splits`
    keeps each (address, country) split once, as many records write one address with
    different postcodes or cities (or none)."""
    # Missing values are empty strings here, which the tests below take as missing.
    address, postcode, city, country = key.split(_KEY_SEP)
    street = house = found_postcode = found_city = None
    if address and ("," in address or any(map(str.isdigit, address))):
        split = splits.get((address, country))
        if split is None:
            split = splits[(address, country)] = _split(address, country)
        street, house, found_postcode, found_city = split
    elif address:
        # An address without a number is a place ("Hamburg"), not a street address: it
        # stands in for a missing city.
        found_city = address
    city_key = city or found_city
    code = postcode_key(postcode or found_postcode)
    tokens = None
    if street:
        # Built from the parts, whose keys are cached: streets and cities repeat.
        found = {*street.split(), house, code, *_place_tokens(city_key)}
        tokens = _KEY_SEP.join(sorted(filter(None, found)))
    elif address and address != found_city:
        whole = ", ".join(p for p in (address, postcode, city) if p)
        tokens = _KEY_SEP.join(address_tokens(whole)) or None
    # A place alone ("Hamburg") has no tokens: the city comparison weighs it already, and
    # as a token set it would only disagree with every full address in that city. A
    # place with more ("Austin, TX") keeps them: the state tells two Austins apart.
    return (
        f"{street} {house}" if street and house else street,
        street,
        house,
        code,
        (fold(city_key) or None) if city_key else None,
        tokens,
    )


@lru_cache(maxsize=100_000)
def _place_tokens(city: str | None) -> tuple[str, ...]:
    if not city:
        return ()
    return tuple((address_fingerprint(city) or fold(city)).split())


def address_columns(
    address: pa.Array, postcode: pa.Array, city: pa.Array, country: pa.Array
) -> dict[str, pa.Array]:
    """The prepared address columns (ADDRESS_COLUMNS) from the frame's text columns,
    parsing each distinct address once."""
    filled = [pc.fill_null(a, "") for a in (address, postcode, city, country)]
    key = pc.binary_join_element_wise(*filled, _KEY_SEP)
    distinct = pc.unique(key)
    splits: dict[tuple[str, str], _Split] = {}
    parsed = [_parse(k, splits) for k in distinct.to_pylist()]
    del splits
    index = pc.index_in(key, value_set=distinct)
    names = ("addr", "street", "house", "postcode", "city")
    columns = {
        name: pa.array([p[n] for p in parsed], pa.string()).take(index)
        for n, name in enumerate(names)
    }
    joined = pa.array([p[5] for p in parsed], pa.string()).take(index)
    tokens = pc.split_pattern(joined, _KEY_SEP)
    columns["addr_tokens"] = tokens
    columns["addr_idf"], columns["addr_idf_sum"] = _rarity(tokens)
    # A million distinct streets would otherwise stay cached.
    for cached in (street_key, split_street, _segment_postcode, postcode_key, _place_tokens):
        cached.cache_clear()
    _country.cache_clear()
    _region.cache_clear()
    return columns


def _rarity(tokens: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each token's log2(1 + records with tokens / records holding it), and their sum
    per record: a token most addresses share ("st", a big city) weighs little."""
    if isinstance(tokens, pa.ChunkedArray):
        tokens = tokens.combine_chunks()
    holders = max(len(tokens) - tokens.null_count, 1)
    flat = pc.list_flatten(tokens)
    counts = pc.value_counts(flat)
    # log2(1 + ...): a token every address holds still counts for one bit, not none.
    per_value = np.log2(1.0 + holders / np.maximum(counts.field("counts").to_numpy(), 1))
    idf = pa.array(per_value, pa.float64()).take(
        pc.index_in(flat, value_set=counts.field("values"))
    )
    offsets = tokens.offsets
    weights = pa.ListArray.from_arrays(offsets, idf, mask=tokens.is_null())
    ends = np.concatenate([[0.0], np.cumsum(idf.to_numpy(zero_copy_only=False))])
    bounds = offsets.to_numpy()
    sums = ends[bounds[1:]] - ends[bounds[:-1]]
    total = pa.array(sums, pa.float64(), mask=tokens.is_null().to_numpy(zero_copy_only=False))
    return weights, total
