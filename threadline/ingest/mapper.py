"""Runs followthemoney's compiled mapping on records, skipping repeated entities.

A register row names the same party or donor again and again. followthemoney's
`QueryMapping.map` would build that entity every time; since an entity mapping's output
depends only on the columns it reads and the ids of the entities it links to, we map
each distinct input once and reuse the result. The mapping itself stays followthemoney's.

followthemoney drops a value it cannot clean (a country "Niedlerlande", a date
"soon") with nothing but a log warning; here that warning, taken from the thread
mapping the record, becomes `UncleanValues`, so the record is reported with its row.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from followthemoney import model
from followthemoney.mapping.query import QueryMapping
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.ingest.records import Record

_MEMO_LIMIT = 500_000
_LOGGER = "followthemoney.mapping.entity"
_UNCLEAN = re.compile(
    r'\[(?P<entity>[^\]]*)\] Discard(?:ed|ing) unclean value "(?P<value>.*)" '
    r'for property "(?P<prop>[^"]*)"\.$',
    re.S,
)
_SHOWN = 3  # unclean values named in one error
_VALUE_CHARS = 80


class UncleanValues(Exception):
    """A record with values followthemoney discarded as unclean."""

    def __init__(self, messages: list[str], phones: bool = False) -> None:
        self.messages = messages
        self.phones = phones  # a phone number was among them
        shown = "; ".join(messages[:_SHOWN])
        more = len(messages) - _SHOWN
        super().__init__(shown + (f"; and {more} more" if more > 0 else ""))


class _Warnings(logging.Filter):
    """Takes followthemoney's mapping warnings away from the log while this thread maps
    a record (a log sink would print them without a row, gigabytes of them for a bad
    file); other threads and other times pass through untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        sink: list[tuple[str, bool]] | None = getattr(self.local, "sink", None)
        if sink is None:
            return True
        match = _UNCLEAN.match(record.getMessage())
        if match is not None:
            value = match["value"]
            if len(value) > _VALUE_CHARS:
                value = value[:_VALUE_CHARS] + "…"
            message = f"{match['prop']} cannot hold {value!r} (entity {match['entity']!r})"
            sink.append((message, _is_phone(match["prop"])))
        # The rest say an entity was skipped for an empty key or required property: how
        # a mapping leaves out optional entities, not an error.
        return False


_WARNINGS = _Warnings()


@lru_cache(maxsize=1024)
def _is_phone(qname: str) -> bool:
    try:
        prop = model.get_qname(qname)
    except ValueError:  # not "Schema:property": followthemoney worded it differently
        return False
    return prop is not None and prop.type == registry.phone


def _listen() -> None:
    logger = logging.getLogger(_LOGGER)
    if _WARNINGS not in logger.filters:
        logger.addFilter(_WARNINGS)


class Mapper:
    """Maps records to entities; returns only entities not produced before."""

    def __init__(self, query: QueryMapping) -> None:
        self.query = query
        self._plan = [(e, sorted(e.refs), sorted(e.dependencies)) for e in query.entities]
        self._memo: dict[tuple[object, ...], EntityProxy | None] = {}
        _listen()

    def map(self, record: Record) -> list[EntityProxy]:
        """New entities mapped from this record (repeats are left out); raises
        UncleanValues, and remembers nothing of the record, if a value was discarded."""
        data: dict[str, EntityProxy] = {}
        fresh: list[EntityProxy] = []
        added: list[tuple[object, ...]] = []
        unclean: list[tuple[str, bool]] = []  # message, and whether it is a phone's
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
        _WARNINGS.local.sink = unclean
        try:
            for entity, refs, deps in self._plan:
                key: tuple[object, ...] = (
                    entity.name,
                    tuple(map(record.get, refs)),
                    tuple(data[d].id if d in data else None for d in deps),
                )
                if key in self._memo:
                    known = self._memo[key]
                    if known is not None:
                        data[entity.name] = known
                    continue
                before = len(unclean)
                mapped = entity.map(record, data)
                if mapped is None:
                    # An entity left out (no key) loses nothing by losing a value.
                    del unclean[before:]
                self._memo[key] = mapped
                added.append(key)
                if mapped is not None:
                    data[entity.name] = mapped
                    fresh.append(mapped)
            if unclean:
                raise UncleanValues([m for m, _ in unclean], any(p for _, p in unclean))
        except Exception:
            # The record is refused whole: its entities must come out with the next
            # record that names them, not be taken as already produced.
            for key in added:
                del self._memo[key]
            raise
        finally:
            _WARNINGS.local.sink = None
        return fresh
