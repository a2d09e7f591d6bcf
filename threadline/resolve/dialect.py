"""SQL dialects for the generated resolution SQL: DuckDB and Spark run it.

Comparison levels and blocking rules are written once against this small vocabulary of
string functions; each dialect spells them in its engine's SQL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """Function spellings of one SQL engine."""

    name: str
    jaro_winkler_fn: str
    damerau_fn: str
    levenshtein_fn: str
    list_overlap_fn: str
    substring_fn: str
    list_length_fn: str = "len"
    starts_with_fn: str = "starts_with"
    # Templates over {a} and {b}, for engines without a function of that shape.
    contains_all_template: str = "list_has_all({a}, {b})"
    regex_template: str = "regexp_full_match({a}, {b})"
    shared_template: str = "len(list_intersect({a}, {b}))"

    def jaro_winkler(self, a: str, b: str) -> str:
        """Jaro-Winkler similarity in [0, 1]."""
        return f"{self.jaro_winkler_fn}({a}, {b})"

    def damerau(self, a: str, b: str) -> str:
        """Edit distance counting a transposition as one edit."""
        return f"{self.damerau_fn}({a}, {b})"

    def levenshtein(self, a: str, b: str) -> str:
        """Plain edit distance."""
        return f"{self.levenshtein_fn}({a}, {b})"

    def overlap(self, a: str, b: str) -> str:
        """Whether two string lists share a value."""
        return f"{self.list_overlap_fn}({a}, {b})"

    def length(self, a: str) -> str:
        """How many values a list holds."""
        return f"{self.list_length_fn}({a})"

    def shared(self, a: str, b: str) -> str:
        """How many values two string lists (of distinct values) have in common."""
        return self.shared_template.format(a=a, b=b)

    def contains_all(self, a: str, b: str) -> str:
        """Whether string list `a` holds every value of string list `b`."""
        return self.contains_all_template.format(a=a, b=b)

    def regex_match(self, text: str, pattern: str) -> str:
        """Whether the whole of `text` matches the regular expression `pattern` (a
        column: each row its own pattern)."""
        return self.regex_template.format(a=text, b=pattern)

    def starts_with(self, text: str, prefix: str) -> str:
        """Whether `text` begins with `prefix`."""
        return f"{self.starts_with_fn}({text}, {prefix})"

    def substring(self, text: str, start: int, length: int) -> str:
        """`length` characters from 1-based `start`."""
        return f"{self.substring_fn}({text}, {start}, {length})"


DUCKDB = Dialect(
    name="duckdb",
    jaro_winkler_fn="jaro_winkler_similarity",
    damerau_fn="damerau_levenshtein",
    levenshtein_fn="levenshtein",
    list_overlap_fn="list_has_any",
    substring_fn="substring",
)

# Spark SQL has levenshtein, arrays_overlap and substring built in; Jaro-Winkler and
# Damerau-Levenshtein are Python functions the Spark engine registers under these names
# (threadline.engines.similarity: DuckDB's numbers, exactly). `rlike` finds a match
# anywhere; anchoring the pattern makes it DuckDB's whole-string regexp_full_match.
SPARK = Dialect(
    name="spark",
    jaro_winkler_fn="jaro_winkler_udf",
    damerau_fn="damerau_levenshtein_udf",
    levenshtein_fn="levenshtein",
    list_overlap_fn="arrays_overlap",
    substring_fn="substring",
    list_length_fn="size",
    starts_with_fn="startswith",
    contains_all_template="size(array_except({b}, {a})) = 0",
    regex_template="rlike({a}, concat('^(?:', {b}, ')$'))",
    shared_template="size(array_intersect({a}, {b}))",
)

DIALECTS = {d.name: d for d in (DUCKDB, SPARK)}
