"""Chart verbs: save a graph drawing into a case, list a case's charts, and the charts
as the evidence bundle carries them (image, node list, each node's datasets).

`CaseVerbs` inherits these, so they act inside their case like every case verb: a
member's role is checked, and the call is on record under the case and its purpose.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from threadline.app.verbs.base import Act, VerbsBase
from threadline.audit import ActionKind
from threadline.cases import Case, CaseRole, require_member
from threadline.cases.chart import Chart, ChartEdge, ChartNode, new_chart, within
from threadline.cases.chartimage import chart_json


class ChartVerbs(VerbsBase):
    """Charts kept in a case."""

    def _chart_case(self, act: Act, role: CaseRole) -> tuple[Case, frozenset[str]]:
        """The case the call acts in (for a member holding `role`) and its reach."""
        case, reach = act.scope.case, act.scope.readable
        assert case is not None and reach is not None, "a chart verb acts inside its case"
        require_member(case, act.scope.principal, role)
        act.ids = [f"case:{case.id}", *act.ids]
        return case, reach

    def _node_datasets(self, reach: Collection[str], ids: Iterable[str]) -> dict[str, set[str]]:
        """The datasets within `reach` holding each entity (over its merged members)."""
        wanted = list(dict.fromkeys(ids))
        judgements = self.store.judgements
        canonical = judgements.canonical(wanted)
        members = {m: c for c in set(canonical.values()) for m in judgements.members(c)}
        members.update({i: canonical[i] for i in wanted})
        found = self.store.statements_for(set(members))
        datasets: dict[str, set[str]] = {}
        for record, rows in found.items():
            for row in rows:
                if row.dataset in reach:
                    datasets.setdefault(members.get(record, record), set()).add(row.dataset)
        return {i: datasets.get(canonical[i], set()) for i in wanted}

    def case_chart(
        self,
        case_id: str,
        title: str,
        nodes: Iterable[ChartNode],
        edges: Iterable[ChartEdge] = (),
        note: str = "",
    ) -> Chart:
        """Save a chart (entities, positions, styles, notes, links) into the case; every
        entity in it must be one the case reaches."""
        with self._act(ActionKind.ALTERATION, "case.chart", case=case_id) as act:
            drawn = list(nodes)
            case, reach = self._chart_case(act, CaseRole.EDITOR)

            def known(ids: frozenset[str]) -> set[str]:
                return {i for i, found in self._node_datasets(reach, ids).items() if found}

            chart = new_chart(case, act.scope.actor, title, drawn, edges, note, known)
            self.accountability.cases.add_chart(chart)
            act.ids += [f"chart:{chart.id}", *(n.entity_id for n in chart.nodes)]
        return chart

    def case_charts(self, case_id: str) -> list[Chart]:
        """The charts saved in the case, oldest first."""
        with self._act(ActionKind.CONSULTATION, "case.charts", case=case_id) as act:
            case, reach = self._chart_case(act, CaseRole.READER)
            charts, _ = self._readable_charts(case.id, reach)
            act.ids += [f"chart:{c.id}" for c in charts]
            act.ids += list(dict.fromkeys(n.entity_id for c in charts for n in c.nodes))
        return charts

    def _readable_charts(
        self, case_id: str, reach: Collection[str]
    ) -> tuple[list[Chart], dict[str, set[str]]]:
        """The case's charts cut to the entities within `reach`, and their datasets."""
        charts = self.accountability.cases.charts(case_id)
        ids = [n.entity_id for chart in charts for n in chart.nodes]
        datasets = self._node_datasets(reach, ids) if ids else {}
        readable = {i for i, found in datasets.items() if found}
        return [within(chart, readable) for chart in charts], datasets

    def _bundle_charts(self, act: Act, case_id: str) -> list[dict[str, Any]]:
        """The case's charts as the bundle lists them, inside `case_export`'s act (which
        then names the charts and their entities among what it disclosed)."""
        reach = act.scope.readable
        assert reach is not None, "a chart verb acts inside its case"
        charts, datasets = self._readable_charts(case_id, reach)
        shown = [chart for chart in charts if chart.nodes]
        act.ids += [f"chart:{c.id}" for c in shown]
        act.ids += list(dict.fromkeys(n.entity_id for c in shown for n in c.nodes))
        return [chart_json(chart, datasets) for chart in shown]
