"""Runs followthemoney's compiled mapping on records, skipping repeated entities.

A register row names the same party or donor again and again. followthemoney's
`QueryMapping.map` would build that entity every time; since an entity mapping's output
depends only on the columns it reads and the ids of the entities it links to, we map
each distinct input once and reuse the result. The mapping itself stays followthemoney's.
"""

from __future__ import annotations

from followthemoney.mapping.query import QueryMapping
from followthemoney.proxy import EntityProxy

from threadline.ingest.records import Record

_MEMO_LIMIT = 500_000


class Mapper:
    """Maps records to entities; returns only entities not produced before."""

    def __init__(self, query: QueryMapping) -> None:
        self.query = query
        self._plan = [(e, sorted(e.refs), sorted(e.dependencies)) for e in query.entities]
        self._memo: dict[tuple[object, ...], EntityProxy | None] = {}

    def map(self, record: Record) -> list[EntityProxy]:
        """New entities mapped from this record (repeats are left out)."""
        data: dict[str, EntityProxy] = {}
        fresh: list[EntityProxy] = []
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
        for entity, refs, deps in self._plan:
            key = (
                entity.name,
                tuple(record.get(c) for c in refs),
                tuple(data[d].id if d in data else None for d in deps),
            )
            if key in self._memo:
                known = self._memo[key]
                if known is not None:
                    data[entity.name] = known
                continue
            mapped = entity.map(record, data)
            self._memo[key] = mapped
            if mapped is not None:
                data[entity.name] = mapped
                fresh.append(mapped)
        return fresh
