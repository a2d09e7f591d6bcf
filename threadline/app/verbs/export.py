"""Export: the entities the caller may read, as followthemoney JSON objects, each
merged entity once, spooled so that the disclosure is on record before anything
leaves."""

from __future__ import annotations

import tempfile
import weakref
from collections.abc import Iterator
from typing import IO, Any

import orjson

from threadline.app.accountability import Scope
from threadline.app.verbs.base import VerbsBase, assemble
from threadline.audit import ActionKind
from threadline.errors import NotFoundError
from threadline.ingest.parallel import batched

# What the interfaces write: the entities come out as FtM objects for each, and the
# format is on record in the export's audit event.
EXPORT_FORMATS = ("ftm", "csv", "xlsx")
EXPORT_CHUNK = 1_000


class ExportVerbs(VerbsBase):
    """`export`: a mixin of `Workbench`."""

    def export(self, dataset: str | None = None, format: str = "ftm") -> Iterator[dict[str, Any]]:
        """Stream entities as followthemoney JSON objects, in id order; `format` is
        what the caller writes them as (ftm, csv or xlsx), kept in the audit event.

        A merged entity comes out once, under its canonical id, with the statements
        and member ids (`referents`, as nomenklatura does) the caller may read, and
        the `markings` of the collections they come from. The export is spooled
        first, so its audit event (naming every entity) is written before anything
        leaves; if it cannot be written, nothing does.
        """
        if format not in EXPORT_FORMATS:
            raise ValueError(f"Unknown export format {format!r}; use one of {EXPORT_FORMATS}")
        # The returned iterator owns the spool and closes it (SIM115 wants a `with`).
        spool = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            with self._act(ActionKind.DISCLOSURE, "export") as act:
                scope = act.scope
                if dataset is not None and (dataset not in scope.known or not scope.sees(dataset)):
                    raise NotFoundError(f"No dataset named {dataset!r}")
                act.ids = self._spool(scope, dataset, spool)
                act.detail = f"format={format} dataset={dataset or '*'}"
        except BaseException:
            spool.close()  # nothing leaves when the disclosure is not on record
            raise
        return _Unspool(spool)

    def _heads(self, dataset: str | None, canonical: dict[str, str]) -> list[str]:
        """The canonical ids to export, in id order: a merged entity once, also when
        only a member (not its canonical record) is in `dataset` or in the store."""
        if dataset is None:
            ids: Iterator[str] = self.store.iter_ids()
        else:
            ids = (rows[0].entity_id for rows in self.store.iter_entities(dataset))
        return sorted({canonical.get(entity_id, entity_id) for entity_id in ids})

    def _spool(self, scope: Scope, dataset: str | None, spool: IO[bytes]) -> list[str]:
        canonical = self.store.judgements.canonical_map()
        clusters: dict[str, list[str]] = {}
        for member, head in canonical.items():
            clusters.setdefault(head, []).append(member)
        names = self.store.source_names()
        ids: list[str] = []
        # Statements are read a chunk of entities at a time, not one entity at a time.
        for chunk in batched(self._heads(dataset, canonical), EXPORT_CHUNK):
            found = self.store.statements_for(
                {m for head in chunk for m in clusters.get(head, [head])}
            )
            for head in chunk:
                members = sorted(clusters.get(head, [head]))
                rows = scope.rows(r for m in members for r in found.get(m, []))
                if dataset is not None:
                    rows = [r for r in rows if r.dataset == dataset]
                if not rows:
                    continue
                entity = assemble(head, rows, names)
                data = {
                    **entity.to_ftm(),
                    # The member records it draws on (nomenklatura's `referents`).
                    "referents": sorted({r.entity_id for r in rows} - {head}),
                    "markings": scope.markings(entity.datasets),
                }
                spool.write(orjson.dumps(data) + b"\n")
                ids.append(head)
        spool.seek(0)
        return ids


class _Unspool(Iterator[dict[str, Any]]):
    """The spooled export, one entity at a time; the spool is closed when the last
    line is read, on `close()`, or when the iterator is dropped unread."""

    def __init__(self, spool: IO[bytes]) -> None:
        self._spool = spool
        self._close = weakref.finalize(self, spool.close)

    def __next__(self) -> dict[str, Any]:
        line = self._spool.readline() if self._close.alive else b""
        if not line:
            self.close()
            raise StopIteration
        data: dict[str, Any] = orjson.loads(line)
        return data

    def close(self) -> None:
        """Drop the rest of the export."""
        self._close()
