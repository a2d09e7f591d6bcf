"""The entities in view (a case's pins, one entity), the entities whose links touch
them, and the entities at the other ends of those links: what a timeline is built from.

The store's primitives are passed in, already limited to what the reader may reach,
so this module does no I/O of its own and cannot widen anyone's access.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from threadline.cases.timeline import Files, TimelineItem, timeline
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow

MAX_LINKS = 5_000  # touching entities loaded per view: a hub's links, not the world's

# Entity ids -> the member ids of each one's merged entity (canonical id -> members).
Clusters = Callable[[Collection[str]], dict[str, list[str]]]
# Entity ids -> their statements that the reader may reach.
Load = Callable[[Collection[str]], list[StatementRow]]
# An entity id -> the ids of the entities whose entity-typed values point at it.
References = Callable[[str], Iterable[str]]


@dataclass
class InView:
    """What a timeline shows: the member ids in view, every readable statement of
    them, of the entities touching them and of those links' other ends, and captions
    (a merged entity's caption for each of its members)."""

    focus: frozenset[str]
    rows: list[StatementRow] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)
    truncated: bool = False
    linked: frozenset[str] = frozenset()  # ids of the entities touching the focus, read or not

    @property
    def entity_ids(self) -> list[str]:
        """Every entity id the view read, for the audit record."""
        return sorted({r.entity_id for r in self.rows})

    def timeline(
        self, scope: Collection[str] | None = None, files: Files | None = None
    ) -> list[TimelineItem]:
        """The dated facts in view, naming their source files from `files`."""
        return timeline(self.rows, self.focus, scope, self.captions, files)


def merged_captions(clusters: dict[str, list[str]], rows: list[StatementRow]) -> dict[str, str]:
    """Each merged entity's caption, for its canonical id and every member id."""
    by_entity: dict[str, list[StatementRow]] = {}
    for row in rows:
        by_entity.setdefault(row.entity_id, []).append(row)
    captions: dict[str, str] = {}
    for canonical, members in clusters.items():
        found = [r for m in members for r in by_entity.get(m, [])]
        if found:
            caption = Entity.assemble(canonical, found).caption
            captions.update(dict.fromkeys([canonical, *members], caption))
    return captions


def gather(ids: Collection[str], clusters: Clusters, load: Load, references: References) -> InView:
    """The view of these entities (any member id of a merged entity will do)."""
    merged = clusters(ids)
    focus = frozenset(m for members in merged.values() for m in members) | frozenset(ids)
    rows = load(focus)
    touching: dict[str, None] = {}
    for member in sorted(focus):
        for other in references(member):
            if other not in focus:
                touching[other] = None
    truncated = len(touching) > MAX_LINKS
    links = load(list(touching)[:MAX_LINKS])
    seen = focus | {r.entity_id for r in links}
    ends = {r.value for r in links if r.prop_type == "entity" and r.value not in seen}
    rows = rows + links + load(sorted(ends)[:MAX_LINKS])
    captions = merged_captions(merged, rows)
    return InView(focus, rows, captions, truncated, frozenset(touching))
