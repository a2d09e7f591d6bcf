"""One hostile file: its name in the corpus, its category, how to make it, what must happen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.ingest.hostile.target import Target

REFUSED = "refused"  # must be listed as a failure, with a reason
ANY = "refused or contained"  # may be read (contained) or refused; never leaks


@dataclass(frozen=True)
class Entry:
    """A file of the corpus; `make` returns its bytes (None: `corpus` lays it out)."""

    name: str
    category: str
    make: Callable[[Target], bytes] | None
    expect: str = ANY
