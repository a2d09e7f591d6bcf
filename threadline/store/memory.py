"""An in-memory store: the reference backend the contract tests hold the SQL store to."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from threadline.model.provenance import SourceInfo
from threadline.model.relationship import Reference
from threadline.model.statement import BASE_PROP, RawRow, StatementRow
from threadline.store.base import DatasetStats, LightRow, Store, StoreWriter
from threadline.store.changes import EVERYTHING, Generation, MemoryChanges
from threadline.store.judgements import MemoryJudgements


class _StagedWriter(StoreWriter):
    def __init__(self) -> None:
        self.rows: list[StatementRow] = []
        self.sources: list[SourceInfo] = []

    def add(self, rows: Sequence[StatementRow | RawRow]) -> None:
        self.rows.extend(StatementRow._make(r) for r in rows)

    def add_source(self, source: SourceInfo) -> None:
        self.sources.append(source)


class MemoryStore(Store):
    """Dictionaries; a transaction stages its writes and applies them on success."""

    def __init__(self) -> None:
        self._statements: dict[str, StatementRow] = {}
        self._sources: dict[tuple[str, str], SourceInfo] = {}
        self._changes = MemoryChanges()
        self.judgements = MemoryJudgements(self._changes)

    @contextmanager
    def writer(self) -> Iterator[StoreWriter]:
        staged = _StagedWriter()
        yield staged
        for row in staged.rows:
            known = self._statements.get(row.id)
            if known is not None:
                row = known._replace(last_seen=row.last_seen)
            self._statements[row.id] = row
        for src in staged.sources:
            self._sources[(src.sha256, src.dataset)] = src
        if staged.rows or staged.sources:
            self._changes.bump({r.entity_id for r in staged.rows})

    def generation(self) -> Generation:
        return self._changes.current()

    def changes_since(self, number: int) -> set[str] | None:
        return self._changes.since(number)

    def forget_changes(self, upto: int) -> None:
        self._changes.prune(upto)

    def statements_for(self, entity_ids: Collection[str]) -> dict[str, list[StatementRow]]:
        wanted = set(entity_ids)
        result: dict[str, list[StatementRow]] = {}
        for row in self._statements.values():
            if row.entity_id in wanted:
                result.setdefault(row.entity_id, []).append(row)
        return result

    def iter_entities(
        self, dataset: str | None = None, first: str | None = None, last: str | None = None
    ) -> Iterator[list[StatementRow]]:
        grouped: dict[str, list[StatementRow]] = {}
        for row in self._statements.values():
            if dataset is not None and row.dataset != dataset:
                continue
            if (first is not None and row.entity_id < first) or (
                last is not None and row.entity_id > last
            ):
                continue
            grouped.setdefault(row.entity_id, []).append(row)
        for entity_id in sorted(grouped):
            yield grouped[entity_id]

    def iter_batches(
        self, size: int = 50_000, props: Collection[str] | None = None
    ) -> Iterator[list[LightRow]]:
        wanted = None if props is None else set(props)
        rows = sorted(
            (r for r in self._statements.values() if wanted is None or r.prop in wanted),
            key=lambda r: (r.entity_id, r.id),
        )
        batch: list[LightRow] = []
        for n, r in enumerate(rows):
            batch.append((r.entity_id, r.schema, r.prop, r.prop_type, r.value, r.dataset))
            ending = n + 1 == len(rows) or rows[n + 1].entity_id != r.entity_id
            if len(batch) >= size and ending:
                yield batch
                batch = []
        if batch:
            yield batch

    def iter_ids(self) -> Iterator[str]:
        yield from sorted({r.entity_id for r in self._statements.values()})

    def references(self, entity_id: str) -> list[Reference]:
        found = {
            Reference(r.entity_id, r.schema, r.prop)
            for r in self._statements.values()
            if r.prop_type == "entity" and r.value == entity_id
        }
        return sorted(found, key=lambda r: (r.entity_id, r.prop, r.schema))

    def referrers(self, entity_ids: Collection[str]) -> set[str]:
        wanted = set(entity_ids)
        return {
            r.entity_id
            for r in self._statements.values()
            if r.prop_type == "entity" and r.value in wanted
        }

    def datasets(self) -> list[DatasetStats]:
        stats: dict[str, list[int]] = {}
        for row in self._statements.values():
            entry = stats.setdefault(row.dataset, [0, 0])
            entry[1] += 1
            if row.prop == BASE_PROP:
                entry[0] += 1
        files: dict[str, int] = {}
        for _, dataset in self._sources:
            files[dataset] = files.get(dataset, 0) + 1
        return [
            DatasetStats(name, ents, stmts, files.get(name, 0))
            for name, (ents, stmts) in sorted(stats.items())
        ]

    def sources(self) -> list[SourceInfo]:
        return sorted(self._sources.values(), key=lambda s: (s.dataset, s.name))

    def count_statements(self) -> int:
        return len(self._statements)

    def count_entities(self) -> int:
        return len({r.entity_id for r in self._statements.values()})

    def erase(
        self, dataset: str | None = None, entity_ids: Collection[str] | None = None
    ) -> tuple[set[str], int]:
        if dataset is None and entity_ids is None:
            raise ValueError("erase needs a dataset or entity ids")
        wanted = None if entity_ids is None else set(entity_ids)
        doomed = [
            key
            for key, row in self._statements.items()
            if (dataset is None or row.dataset == dataset)
            and (wanted is None or row.entity_id in wanted)
        ]
        touched = {self._statements[key].entity_id for key in doomed}
        for key in doomed:
            del self._statements[key]
        if dataset is not None and entity_ids is None:
            self._sources = {k: v for k, v in self._sources.items() if k[1] != dataset}
        if doomed:
            self._changes.bump([EVERYTHING])
        return touched, len(doomed)

    def iter_values(self, prop_types: Collection[str]) -> Iterator[tuple[str, ...]]:
        wanted = set(prop_types)
        rows = [r for r in self._statements.values() if r.prop_type in wanted]
        for r in sorted(rows, key=lambda r: (r.entity_id, r.id)):
            yield (r.entity_id, r.schema, r.prop, r.prop_type, r.value, r.dataset)
