"""Templates: one Jinja2 environment (autoescape on) and the helpers pages share.

Every value reaches the page through autoescaping. Search highlights arrive as HTML
from the index; they are split into plain (text, marked) pieces here and escaped
again by the template, so nothing from the data is ever marked safe.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined

from threadline import __version__

_MARK = re.compile(r"<em>(.*?)</em>", re.DOTALL)
Params = Mapping[str, str | int | list[str] | None]


def segments(highlight: str) -> list[tuple[str, bool]]:
    """An index highlight (`<em>` around matched words) as (text, matched) pieces."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _MARK.finditer(highlight):
        if match.start() > last:
            pieces.append((html.unescape(highlight[last : match.start()]), False))
        pieces.append((html.unescape(match.group(1)), True))
        last = match.end()
    if last < len(highlight):
        pieces.append((html.unescape(highlight[last:]), False))
    return pieces


def path_part(value: object) -> str:
    """A value quoted to sit in one path segment (an id with a slash stays one)."""
    return quote(str(value), safe="")


def link(base: str, params: Params | None = None, **changes: str | int | list[str] | None) -> str:
    """`base?query` from params with changes applied; empty values are left out."""
    merged: dict[str, Any] = {**(params or {}), **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        values = value if isinstance(value, list) else [value]
        pairs.extend((key, str(v)) for v in values if v is not None and v != "")
    return f"{base}?{urlencode(pairs)}" if pairs else base


def short(value: object, size: int = 12) -> str:
    """A long id cut to its first characters, for display (the full id is the link)."""
    text = str(value)
    return text if len(text) <= size + 1 else text[:size] + "…"


def when(value: object) -> str:
    """An ISO time shown to the minute: `2026-01-02 10:30`."""
    text = str(value or "")
    return text[:16].replace("T", " ") if len(text) >= 16 else text


def static(name: str) -> str:
    """The URL of a static file, versioned so a new release is not served stale."""
    return f"/static/{name}?v={__version__}"


@dataclass(frozen=True)
class Pages:
    """Page numbers for a result list of `total` items, `size` per page."""

    number: int
    size: int
    total: int

    @property
    def count(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def window(self, width: int = 2) -> list[int]:
        """Page numbers to link: the first, the last and those near the current one."""
        near = range(max(1, self.number - width), min(self.count, self.number + width) + 1)
        return sorted({1, self.count, *near})


def number(value: str | None, default: int, low: int, high: int) -> int:
    """A whole number from a query value, clamped; bad input gives the default."""
    try:
        found = int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default
    return min(max(found, low), high)


def environment() -> Environment:
    """The page templates, autoescaped, failing loudly on an undefined name."""
    env = Environment(
        loader=PackageLoader("threadline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(segments=segments, pathpart=path_part, short=short, when=when)
    env.globals.update(link=link, static=static, version=__version__)
    return env
