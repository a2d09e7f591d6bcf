"""What is there for a watch to see, as its owner may see it: the findings of a saved
search, an entity or a pair, each with a key that is the same every time it is found.

A watch alerts on findings whose key it has not seen. Given the ids changed since its
watermark, only findings about them are looked for (a pair is looked for again after
any change); given None, everything is (the baseline of a new watch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threadline.app.verbs.base import Act
from threadline.app.verbs.graph import GraphVerbs
from threadline.errors import NotFoundError
from threadline.search import SearchQuery
from threadline.watch.records import Watch, WatchKind
from threadline.watch.searchspec import search_filters

if TYPE_CHECKING:
    from threadline.app.accountability import Scope


@dataclass(frozen=True)
class Finding:
    """One thing a watch sees: its key, a title, the entities and the datasets behind it."""

    key: str
    title: str
    entity_ids: tuple[str, ...]
    datasets: tuple[str, ...]


class WatchChecks(GraphVerbs):
    """Look for what watches watch, inside the acting owner's scope."""

    if TYPE_CHECKING:  # the Workbench's own

        def _catch_up(self, scope: Scope | None = None) -> None: ...

    def _findings(self, act: Act, watch: Watch, changed: Collection[str] | None) -> list[Finding]:
        """The findings of `watch` about `changed` ids (None: all of them)."""
        if watch.kind is WatchKind.SEARCH:
            return self._search_findings(act, watch, changed)
        if watch.kind is WatchKind.ENTITY:
            return self._entity_findings(act, watch, changed)
        return self._pair_findings(act, watch, changed)

    def _search_findings(
        self, act: Act, watch: Watch, changed: Collection[str] | None
    ) -> list[Finding]:
        spec, scope = watch.spec, act.scope
        if spec.get("dataset") is not None and not scope.sees(spec["dataset"]):
            return []
        self._catch_up(scope)  # the owner's reader set covered: see Workbench._catch_up
        query = SearchQuery(
            text=spec["query"],
            **search_filters(spec),
            limit=self.settings.watch_search_limit,
            facets=False,
            highlight=False,
            visible=scope.readable,
            hidden=scope.hidden,
        )
        found = []
        for hit in self.index.search(query).hits:
            if changed is None or hit.id in changed:
                title = f"new result for {spec['query']!r}: {hit.caption}"
                found.append(Finding(f"hit:{hit.id}", title, (hit.id,), tuple(hit.datasets)))
        return found

    def _entity_findings(
        self, act: Act, watch: Watch, changed: Collection[str] | None
    ) -> list[Finding]:
        scope, watched = act.scope, watch.spec["entity_id"]
        try:
            entity, members = self._visible(scope, watched)
        except NotFoundError:
            return []  # not (or no longer) readable: nothing to see
        rows = self.store.statements_for(members)
        found = []
        for member in members:
            # Keyed by record, whichever member is canonical now.
            if member != watched and (changed is None or member in changed):
                datasets = tuple(sorted({r.dataset for r in scope.rows(rows.get(member, []))}))
                title = f"{entity.caption}: record {member} was resolved into it"
                found.append(Finding(f"member:{member}", title, (entity.id, member), datasets))
        references = [r for m in members for r in self.store.references(m)]
        if changed is not None:
            references = [r for r in references if r.entity_id in changed]
        linking = self.store.statements_for({r.entity_id for r in references})
        ends = set(members)
        for ref in references:
            # A link counts only if a statement the owner may read states it.
            stating = [
                r
                for r in scope.rows(linking.get(ref.entity_id, []))
                if r.prop == ref.prop and r.value in ends
            ]
            if stating:
                datasets = tuple(sorted({r.dataset for r in stating}))
                title = f"{entity.caption}: new link ({ref.schema} {ref.entity_id})"
                key = f"link:{ref.entity_id}"
                found.append(Finding(key, title, (entity.id, ref.entity_id), datasets))
        return list({f.key: f for f in found}.values())

    def _pair_findings(
        self, act: Act, watch: Watch, changed: Collection[str] | None
    ) -> list[Finding]:
        spec = watch.spec
        if changed is not None and not changed:
            return []
        try:
            start, end = self._canonical(act, [spec["source"], spec["target"]])
            result = self._graph.path(
                start, end, max_hops=spec["max_hops"], k=1, datasets=self._limit(act.scope, None)
            )
        except NotFoundError:
            return []  # one end is not in the graph the owner may see (yet)
        if not result.paths:
            return []
        path = result.paths[0]
        names = " > ".join(node.caption for node in path.nodes)
        datasets = tuple(sorted({d for node in path.nodes for d in node.datasets}))
        digest = hashlib.sha256("\n".join(path.node_ids).encode("utf-8")).hexdigest()[:32]
        title = f"a path of {path.hops} hops: {names}"
        return [Finding(f"path:{digest}", title, tuple(path.node_ids), datasets)]
