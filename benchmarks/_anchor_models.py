"""The anchors' configurations for the product benchmark's PatentsView and company sets.

Neither Splink nor recordlinkage ships an example for these, so they follow the nearest
one: Splink's person-data example (`deduplicate_50k_synthetic.ipynb`) restricted to the
columns PatentsView has (name parts, city, country; its blocks as PatentsView blocks:
last name and the first two letters of the first name), and for companies a model of the
same form on name, registration number, address, postcode, city and country. The company
input is cleaned the way `_linkage_tools.anchor_columns` cleans persons: ASCII, lower
case, registration numbers as letters and digits only. recordlinkage is not configured
for PatentsView: blocking on the surname alone gives hundreds of millions of pairs for
"Kim" and "Lee".
"""

from __future__ import annotations

import re
from typing import Any

from normality import ascii_text

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^a-z0-9& ]+")


def splink_parts(kind: str) -> tuple[Any, list[Any], float, list[Any]]:
    """(settings, deterministic rules, their recall, EM rules) of Splink for `kind`."""
    import splink.comparison_library as cl
    from splink import block_on

    if kind == "patents":
        rules: list[Any] = [block_on("first_name", "last_name"),
                            block_on("substr(first_name,1,2)", "last_name", "city")]  # fmt: skip
        comparisons: list[Any] = [
            cl.ForenameSurnameComparison("first_name", "last_name",
                                         forename_surname_concat_col_name="first_name_surname_concat"),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.ExactMatch("country"),
        ]  # fmt: skip
        deterministic = [block_on("first_name", "last_name", "city")]
        em = [block_on("first_name", "last_name"), block_on("city")]
        return _settings(rules, comparisons), deterministic, 0.6, em
    if kind == "companies":
        rules = [block_on("name"), block_on("identifier"),
                 block_on("postcode", "substr(name,1,3)"), block_on("city", "substr(name,1,5)")]  # fmt: skip
        comparisons = [
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]),
            cl.ExactMatch("identifier"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.ExactMatch("country"),
        ]
        deterministic = [block_on("identifier"), block_on("name", "postcode")]
        return (
            _settings(rules, comparisons),
            deterministic,
            0.7,
            [block_on("identifier"), block_on("name")],
        )
    raise ValueError(f"no Splink model for {kind!r}")


def _settings(rules: list[Any], comparisons: list[Any]) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(unique_id_column_name="id", link_type="dedupe_only",
                           blocking_rules_to_generate_predictions=rules, comparisons=comparisons)  # fmt: skip


def recordlinkage_parts() -> tuple[Any, Any]:
    """recordlinkage's index and comparisons for the company set."""
    import recordlinkage as rl  # type: ignore[import-untyped]  # it ships no type hints
    from recordlinkage.compare import Exact, String  # type: ignore[import-untyped]  # as above
    from recordlinkage.index import Block  # type: ignore[import-untyped]  # as above

    index, compare = rl.Index(), rl.Compare()
    for keys in ("name", "identifier", ["postcode", "city"]):
        index.add(Block(keys))
    compare.add(String("name", "name", method="jarowinkler", threshold=0.88, label="name"))
    compare.add(String("address", "address", method="jarowinkler", threshold=0.85, label="address"))
    for column in ("identifier", "postcode", "city", "country"):
        compare.add(Exact(column, column, label=column))
    return index, compare


def company_columns(data: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The company frame as the anchors get it: ASCII, lower case, numbers alphanumeric."""

    def fold(value: Any) -> str | None:
        if value is None:
            return None
        text = _SPACES.sub(" ", _NOT_WORD.sub(" ", ascii_text(str(value)).lower())).strip()
        return text or None

    def number(value: Any) -> str | None:
        return "".join(c for c in str(value).lower() if c.isalnum()) or None if value else None

    out: dict[str, list[Any]] = {"id": data["id"]}
    for column in ("name", "address", "postcode", "city", "country"):
        out[column] = [fold(v) for v in data[column]]
    out["identifier"] = [number(v) for v in data["identifier"]]
    return out
