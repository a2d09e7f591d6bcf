"""Identifiers of organisations as clustering sees them: by kind, told by their shape.

Two organisations that each hold a registration number, and not the same one, are two
organisations (a parent and its subsidiary). A registration number against a VAT number
says nothing: one register's record may carry only the one, another's only the other.
Without a type on the value, the shape tells kinds apart where formats differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_RUNS = re.compile(r"[0-9]+|[A-Z]+")


def identifier_shape(value: str) -> str:
    """What kind of number an identifier (upper-case letters and digits) looks like: its
    leading letters as written, then runs of digits (#) and letters (A). "HRB12345" and
    "HRB987" are both "HRB#", a VAT number "DE#", an LEI "#A#A#A#", a plain number "#"."""
    runs = _RUNS.findall(value)
    head = runs[0] if runs and runs[0].isalpha() else ""
    tail = runs[1:] if head else runs
    return head + "".join("#" if r[0].isdigit() else "A" for r in tail)


def identifiers_differ(x: frozenset[int], y: frozenset[int], kinds: Sequence[str]) -> bool:
    """Both hold identifiers of a kind in common, and no identifier in common: two
    registration numbers, not a registration number and a VAT number. Without `kinds`
    (each code's shape), every identifier is of one kind."""
    if not x or not y or not x.isdisjoint(y):
        return False
    return not kinds or not {kinds[c] for c in x}.isdisjoint(kinds[c] for c in y)
