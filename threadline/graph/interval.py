"""Time on edges: FtM's partial dates as day numbers, and the windows queries filter by.

followthemoney dates are prefixes of ISO 8601 (`2016`, `2016-11`, `2016-11-02`, or longer
with a time). A prefix stands for a span of days; an interval's start takes the first day
of its span and its end the last. Days are `date.toordinal()` numbers in int32 arrays,
with `OPEN_START` and `OPEN_END` for sides the sources do not state.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

OPEN_START = 0
OPEN_END = 2**31 - 1


@lru_cache(maxsize=65_536)
def day_span(value: str) -> tuple[int, int] | None:
    """The first and last day a (partial) FtM date stands for, or None if unreadable."""
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month_lo, month_hi = (int(parts[1]),) * 2 if len(parts) > 1 and parts[1] else (1, 12)
        if len(parts) > 2 and parts[2]:
            day_lo = day_hi = int(parts[2])
        else:
            day_lo, day_hi = 1, calendar.monthrange(year, month_hi)[1]
        return date(year, month_lo, day_lo).toordinal(), date(year, month_hi, day_hi).toordinal()
    except (ValueError, IndexError):
        return None


def day_to_iso(day: int) -> str | None:
    """An ISO date for a day number; None for an open side."""
    if day in (OPEN_START, OPEN_END):
        return None
    return date.fromordinal(day).isoformat()


def interval(starts: list[str], ends: list[str], points: list[str]) -> tuple[int, int]:
    """An edge's (start, end) days from its temporal values.

    `starts` come from the schema's start properties other than `date`, `ends` from its
    end properties and `points` from `date`: a Payment with only a date happened on that
    day, so a date alone closes the interval as well as opening it.
    """
    lo, hi = OPEN_START, OPEN_END
    start_spans = [s for s in map(day_span, starts + points) if s is not None]
    end_spans = [s for s in map(day_span, ends) if s is not None]
    if start_spans:
        lo = min(s[0] for s in start_spans)
    if end_spans:
        hi = max(s[1] for s in end_spans)
    elif points and not starts:
        point_spans = [s for s in map(day_span, points) if s is not None]
        if point_spans:
            hi = max(s[1] for s in point_spans)
    return lo, hi


@dataclass(frozen=True)
class TimeWindow:
    """The days a query looks at; an edge passes when its interval overlaps them.

    Edges without dates pass: a source that does not say when is not evidence that a
    link did not exist then.
    """

    start: int
    end: int

    @classmethod
    def at(cls, when: date | str) -> TimeWindow:
        """The window of one date (a partial date covers its whole span)."""
        return cls.between(when, when)

    @classmethod
    def between(cls, first: date | str, last: date | str) -> TimeWindow:
        """From the first day of `first` to the last day of `last`."""
        lo = _span(first)[0]
        hi = _span(last)[1]
        if lo > hi:
            raise ValueError(f"The window {first} .. {last} ends before it starts")
        return cls(lo, hi)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether an interval of days overlaps this window."""
        return start <= self.end and end >= self.start


def window(
    at: date | str | None, between: tuple[date | str, date | str] | None
) -> TimeWindow | None:
    """The window of `--at` or `--between` (at most one of them), or None."""
    if at is not None and between is not None:
        raise ValueError("Give either a date (at) or a range (between), not both")
    if at is not None:
        return TimeWindow.at(at)
    if between is not None:
        return TimeWindow.between(*between)
    return None


def _span(value: date | str) -> tuple[int, int]:
    if isinstance(value, date):
        return value.toordinal(), value.toordinal()
    span = day_span(value.strip())
    if span is None:
        raise ValueError(f"Not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return span
