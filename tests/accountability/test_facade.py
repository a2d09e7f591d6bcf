"""A walk over the whole facade: every public Workbench method, each call's audit event.

`KINDS` names the kind of event every public method must leave (None: it touches no
data). The walk calls each method once with valid arguments and checks that exactly
that event was appended, with the actor, request id, purpose and justification of the
context, and the ids of what the call returned. A new public method fails
`test_every_public_method_is_in_the_table` until it is added here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tests.conftest import entity, write_entities
from threadline.app.context import Context
from threadline.app.jobs import JobStore, jobs_url
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind, AuditEvent
from threadline.audit.query import AuditFilter
from threadline.cases.chart import ChartNode
from threadline.tips import new_tip
from threadline.tips.records import ANONYMOUS

C = ActionKind.COLLECTION
A = ActionKind.ALTERATION
Q = ActionKind.CONSULTATION
D = ActionKind.DISCLOSURE
M = ActionKind.COMBINATION
E = ActionKind.ERASURE
PASSWORD = "correct horse battery staple"
MARIA = {"schema": "Person", "properties": {"name": ["Maria Lopez"]}}
C_P1 = ["a-p1", "b-p1", "c-p1", "d-p3"]  # c-p1 and the records merged with it

KINDS: dict[str, ActionKind | None] = {
    "acting": None,
    "close": None,
    "ingest": C,
    "demo": C,
    "search": Q,
    "suggest": Q,
    "entity": Q,
    "datasets": Q,
    "failures": Q,
    "find_mentions": C,
    "mentions": Q,
    "export": D,
    "reindex": A,
    "recount": A,
    "db_upgrade": A,
    "db_current": Q,
    "db_history": None,
    "resolve": M,
    "judge": A,
    "undo": A,
    "explain": Q,
    "review": Q,
    "judgements": Q,
    "match": Q,
    "match_file": Q,
    "match_algorithms": None,
    "graph_neighbours": M,  # its result spans several collections
    "graph_path": M,
    "graph_connect": M,
    "graph_hubs": M,
    "graph_export": D,
    "graph_rebuild": A,
    "case_create": A,
    "case_list": Q,
    "case_show": Q,
    "case_timeline": Q,
    "timeline": Q,
    "case_member": D,
    "case_pin": A,
    "case_unpin": A,
    "case_note": A,
    "case_task": A,
    "case_task_update": A,
    "case_export": D,
    "case_share": D,
    "case_import": C,
    "case_key": None,
    "case_chart": A,
    "case_charts": Q,
    "user_add": A,
    "user_list": Q,
    "user_update": A,
    "user_password": A,
    "token_issue": A,
    "token_revoke": A,
    "group_add": A,
    "group_member": A,
    "group_list": Q,
    "grant": A,
    "grants": Q,
    "mark": A,
    "clear": A,
    "audit_log": Q,
    "audit_export": D,
    "audit_subject": Q,
    "audit_who_accessed": Q,
    "audit_verify": Q,
    "audit_checkpoint": A,
    "audit_rotate_key": A,
    "backup": D,
    "migrate": D,
    "restore": A,
    "erase": E,
    "watch_search": A,
    "watch_entity": A,
    "watch_pair": A,
    "watches": Q,
    "alerts": Q,
    "alerts_seen": A,
    "evaluate_watches": Q,
    "unwatch": A,
    "job_cancel": A,
    "jobs": Q,
    "job_show": Q,
    "tip_submit": C,
    "tip_list": Q,
    "tip_show": Q,
    "tip_reject": A,
    "tip_case": A,
    "tip_purge": E,
    "document_view": Q,
    "document_page": Q,
    "document_file": D,
}


def public_methods() -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(Workbench)
        if not name.startswith("_") and inspect.isfunction(member)
    }


# Calls that change data under a kind other than collection, alteration or erasure
# (and backup and migrate, whose copies must hold their start).
ALTERS = {"resolve", "case_member", "backup", "migrate"}
CHANGING = {C, A, ActionKind.ERASURE}


def test_every_public_method_is_in_the_table() -> None:
    assert set(KINDS) == public_methods()
    assert set(KINDS) == {name for name, _ in STEPS}


Memo = dict[str, Any]
Step = Callable[[Workbench, Memo], tuple[Any, list[str] | None]]


def _ingest(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    rows = [entity("e-p1", "Person", name="Ingrid Extra", country="no")]
    path = write_entities(memo["tmp"] / "epsilon.ijson", rows)
    return b.ingest([path], "epsilon"), ["dataset:epsilon"]


def _search(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    result = b.search("maria")
    assert result.total == 2
    return result, [h.id for h in result.hits]


def _entity(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    view = b.entity("d-p1")
    return view, list(dict.fromkeys([view.entity.id, *view.members]))


def _export(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    items = list(b.export())
    return items, [e["id"] for e in items]


def _judge(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    judgement = b.judge("b-c1", "c-c1", "not-same", reason="different registries")
    memo["judgement"] = judgement.id
    return judgement, ["b-c1", "c-c1", f"judgement:{judgement.id}"]


def _undo(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    return b.undo(memo["judgement"]), ["b-c1", "c-c1", f"judgement:{memo['judgement']}"]


def _nodes(nodes: list[Any]) -> list[str]:
    return list(dict.fromkeys(n.id for n in nodes))


def _path(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    result = b.graph_path("c-c1", "a-c1")
    assert result.paths
    nodes = [n for p in result.paths for n in p.nodes]
    return result, list(dict.fromkeys(["c-c1", "a-c1", *(n.id for n in nodes)]))


def _graph_export(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    data = orjson.loads("".join(b.graph_export("cyjs")))
    return data, [n["data"]["id"] for n in data["elements"]["nodes"]]


def _case_create(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    case = b.case_create("Petrov holdings", "trace the holdings", "alpha,beta")
    memo["case"] = case.id
    return case, [f"case:{case.id}"]


def _case_note(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    note = b.case_note(memo["case"], "Owner of Acme: [[entity:a-p1]]")
    return note, [
        f"case:{memo['case']}",
        *note.entities,
        *(f"statement:{s}" for s in note.statements),
    ]


def _case_task(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    task = b.case_task(memo["case"], "Ask the registry", assignee="uma")
    memo["task"] = task.id
    return task, [f"case:{memo['case']}", f"task:{task.id}"]


def _case_export(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    paths = b.case_export(memo["case"], memo["tmp"] / "bundle")
    assert all(p.exists() for p in paths)
    return paths, [f"case:{memo['case']}", "a-p1"]


def _case_share(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    report = b.case_share(memo["case"], memo["tmp"] / "share.zip", recipient="facade")
    assert report.path.exists() and report.pins == 1
    return report, None


def _case_import(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    report = b.case_import(memo["tmp"] / "share.zip", trust=b.case_key().fingerprint)
    return report, [f"case:{report.case_id}", *(f"dataset:{d}" for d in report.datasets)]


def _case_chart(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    node = ChartNode("a-p1", "Anna", "Person", 0.0, 0.0)
    chart = b.case_chart(memo["case"], "Anna's links", [node])
    memo["chart"] = chart.id
    return chart, [_case(b, memo), f"chart:{chart.id}", "a-p1"]


# What the case file shows around its pin a-p1: the links touching it and their ends.
LINKED = ["a-c1", "a-o1", "b-c1", "b-o1", "b-p1"]


def _case_timeline(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    items = b.case_timeline(memo["case"])
    assert items, "the pinned owner's links are dated"
    assert {i.entity_id for i in items} <= {"a-p1", *LINKED}
    return items, [_case(b, memo), *sorted(["a-p1", *LINKED])]


def _timeline(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    items = b.timeline("a-p1")
    # a-p1, then its view: the records merged with it (C_P1), the links touching them
    # and their other ends, sorted.
    view = sorted({*C_P1, "a-c1", "a-o1", "b-c1", "b-o1", "c-c1", "c-o1"})
    assert items and {i.entity_id for i in items} <= set(view)
    return items, list(dict.fromkeys(["a-p1", *view]))


def _match_file(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    listed = memo["tmp"] / "officials.csv"
    listed.write_text("name\nMaria Lopez\n", encoding="utf-8")
    report = b.match_file(listed, schema="Person", maps={"name": "name"})
    memo["events"] = 2  # the row's consultation (its candidates), then the list's
    return report, [r[report.header.index("candidate_id")] for r in report.rows]


def _erase(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    report = b.erase(dataset="epsilon")
    return report, [b.accountability.hashed("entity", "e-p1")]


def _restore(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    report = b.restore(memo["tmp"] / "backup", force=True)
    memo["since"] = report.manifest.audit_entries  # the restored log ends at the backup
    return report, []


def _demo(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    report = b.demo(scale=0.02)
    memo["demo"] = list(dict.fromkeys(r.dataset for r in report.reports))
    return report, None


def _watch(memo: Memo, watch: Any, *subjects: str) -> tuple[Any, list[str] | None]:
    memo.setdefault("watches", []).append(watch.id)
    return watch, [f"watch:{watch.id}", *subjects]


def _alerts_seen(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    watch_id = memo["watches"][0]
    alerts = b._watches.alerts("local", watch_id, 100)  # read without an event of its own
    return b.alerts_seen(watch_id), [f"watch:{watch_id}", *(f"alert:{a.id}" for a in alerts)]


def _document_view(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    from tests.ingest.documents.makers import pdf_bytes, write  # only this step needs them

    write(memo["tmp"] / "docs", "memo.pdf", pdf_bytes(["A memo"]))
    b.ingest([memo["tmp"] / "docs"], "docs")
    memo["since"] = b.accountability.log.size()  # the ingest's own events are not the view's
    view = b.document_view(next(r[0].entity_id for r in b.store.iter_entities("docs")))
    memo["document"] = view.entity.id
    return view, [view.entity.id]


def _tip_submit(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    b.settings.tips_enabled = True  # off by default: an operator opens the form
    tip = b.tip_submit("The harbour contract was rigged.", client="192.0.2.7")
    spare = new_tip("A second tip, to reject.", [], None)
    b._tips.add(spare)  # added without an event of its own
    memo["tips"] = [tip.id, spare.id]
    return tip, [f"tip:{tip.id}"]


def _tip_case(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    opened = b.tip_case(memo["tips"][0], name="Harbour tip")
    memo["action"] = "tip.case"  # its steps (ingest, case, pins) are on record on their own
    ids = [f"tip:{opened.tip.id}", f"case:{opened.case.id}", f"dataset:{opened.tip.dataset_name}"]
    return opened, [*ids, *opened.pinned]


def _tip_purge(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    b.settings.tips_retention_days = 1  # the rejected tip is younger: nothing goes
    return b.tip_purge(), []


def _unwatch(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    for watch_id in memo["watches"]:  # every one: later steps' changes would alert
        b.unwatch(watch_id)
    memo["events"] = len(memo["watches"])
    return None, [f"watch:{memo['watches'][0]}"]


def _job_cancel(b: Workbench, memo: Memo) -> tuple[Any, list[str] | None]:
    store = JobStore(jobs_url(b.settings))
    try:
        job = store.submit("reindex", Context(actor="someone"), {})
    finally:
        store.close()
    assert b.job_cancel(job.id).status == "cancelled"  # the local admin: anyone's job
    memo["job"] = job.id
    return None, [f"job:{job.id}"]


def _case(b: Workbench, memo: Memo) -> str:
    return f"case:{memo['case']}"


STEPS: list[tuple[str, Step]] = [
    ("ingest", _ingest),
    ("search", _search),
    ("suggest", lambda b, m: (r := b.suggest("mari"), [h.id for h in r.hits])),
    ("entity", _entity),
    ("datasets", lambda b, m: (r := b.datasets(), [f"dataset:{d.name}" for d in r])),
    ("failures", lambda b, m: (r := b.failures(), [f.entity_id for f in r])),
    ("find_mentions", lambda b, m: (b.find_mentions("epsilon"), ["dataset:epsilon"])),
    ("mentions", lambda b, m: (b.mentions("c-p1"), ["a-p1"])),  # a-p1: its canonical id
    ("export", _export),
    ("resolve", lambda b, m: (b.resolve(), None)),
    ("judge", _judge),
    ("undo", _undo),
    ("explain", lambda b, m: (b.explain("a-p1", "a-p2"), ["a-p1", "a-p2"])),
    ("review", lambda b, m: (r := b.review(), [i for x in r for i in (x.left, x.right)])),
    ("judgements", lambda b, m: (b.judgements("a-p2"), ["a-p2", "c-p2", "d-p1"])),
    ("match", lambda b, m: (r := b.match({"q": MARIA}), [c.entity.id for c in r["q"].results])),
    ("match_file", _match_file),
    ("match_algorithms", lambda b, m: (b.match_algorithms(), None)),
    ("graph_neighbours", lambda b, m: (r := b.graph_neighbours("d-p3"), _nodes(r.nodes))),
    ("graph_path", _path),
    ("graph_connect", lambda b, m: (r := b.graph_connect(["c-c1", "a-c1"]), _nodes(r.nodes))),
    ("graph_hubs", lambda b, m: (r := b.graph_hubs(), [h.node.id for h in r.hubs])),
    ("graph_export", _graph_export),
    ("graph_rebuild", lambda b, m: (b.graph_rebuild(), [])),
    ("user_add", lambda b, m: (b.user_add("uma", "investigator"), ["user:uma"])),
    ("user_list", lambda b, m: (b.user_list(), [])),
    ("user_update", lambda b, m: (b.user_update("uma", role="viewer"), ["user:uma"])),
    ("user_password", lambda b, m: (b.user_password("uma", PASSWORD), ["user:uma"])),
    ("token_issue", lambda b, m: (b.token_issue("uma"), ["user:uma"])),
    ("token_revoke", lambda b, m: (b.token_revoke("uma"), ["user:uma"])),
    ("group_add", lambda b, m: (b.group_add("desk", ["uma"]), ["group:desk", "user:uma"])),
    (
        "group_member",
        lambda b, m: (b.group_member("desk", "uma", False), ["group:desk", "user:uma"]),
    ),
    ("group_list", lambda b, m: (b.group_list(), [])),
    ("grant", lambda b, m: (b.grant("desk", "alpha", "read"), ["dataset:alpha", "holder:desk"])),
    ("grants", lambda b, m: (b.grants(), [])),
    ("mark", lambda b, m: (b.mark("gamma", "confidential"), ["dataset:gamma"])),
    ("clear", lambda b, m: (b.clear("uma", "confidential"), ["user:uma"])),
    ("case_create", _case_create),
    ("case_list", lambda b, m: (b.case_list(), [_case(b, m)])),
    ("case_member", lambda b, m: (b.case_member(m["case"], "uma", "reader"), [_case(b, m)])),
    ("case_pin", lambda b, m: (b.case_pin(m["case"], "a-p1"), [_case(b, m), "a-p1"])),
    ("case_show", lambda b, m: (b.case_show(m["case"]), [_case(b, m), "a-p1", *LINKED])),
    ("case_timeline", _case_timeline),
    ("timeline", _timeline),
    ("case_note", _case_note),
    ("case_task", _case_task),
    (
        "case_task_update",
        lambda b, m: (
            b.case_task_update(m["case"], m["task"], status="done"),
            [_case(b, m), f"task:{m['task']}"],
        ),
    ),
    ("case_export", _case_export),
    ("case_share", _case_share),
    ("case_import", _case_import),
    ("case_key", lambda b, m: (b.case_key(), None)),
    ("case_chart", _case_chart),
    (
        "case_charts",
        lambda b, m: (b.case_charts(m["case"]), [_case(b, m), f"chart:{m['chart']}", "a-p1"]),
    ),
    ("case_unpin", lambda b, m: (b.case_unpin(m["case"], "a-p1"), [_case(b, m), "a-p1"])),
    ("watch_search", lambda b, m: _watch(m, b.watch_search("Maria"))),
    ("watch_entity", lambda b, m: _watch(m, b.watch_entity("a-p1"), "a-p1")),
    ("watch_pair", lambda b, m: _watch(m, b.watch_pair("a-p1", "c-c1"), "a-p1", "c-c1")),
    ("watches", lambda b, m: (r := b.watches(), [f"watch:{w.id}" for w in r])),
    ("alerts", lambda b, m: (b.alerts(), [])),
    ("alerts_seen", _alerts_seen),
    ("evaluate_watches", lambda b, m: (b.evaluate_watches(), [])),
    ("unwatch", _unwatch),
    ("job_cancel", _job_cancel),
    # Someone else's jobs: an admin's look is on record (their own would not be).
    ("jobs", lambda b, m: (r := b.jobs(everyone=True), [f"job:{j.id}" for j in r])),
    ("job_show", lambda b, m: (b.job_show(m["job"]), [f"job:{m['job']}"])),
    ("tip_submit", _tip_submit),
    ("tip_list", lambda b, m: (r := b.tip_list(), [f"tip:{t.id}" for t in r])),
    ("tip_show", lambda b, m: (b.tip_show(m["tips"][0]), [f"tip:{m['tips'][0]}"])),
    ("tip_case", _tip_case),
    (
        "tip_reject",
        lambda b, m: (b.tip_reject(m["tips"][1], "no substance"), [f"tip:{m['tips'][1]}"]),
    ),
    ("tip_purge", _tip_purge),
    ("audit_log", lambda b, m: (b.audit_log(AuditFilter(entity_id="c-p1")), C_P1)),
    ("audit_export", lambda b, m: (list(b.audit_export(AuditFilter(entity_id="c-p1"))), C_P1)),
    ("audit_subject", lambda b, m: (b.audit_subject("d-p1"), ["a-p2", "d-p1"])),
    (
        "audit_who_accessed",
        lambda b, m: (b.audit_who_accessed("d-p1"), ["a-p2", "d-p1"]),
    ),
    ("audit_verify", lambda b, m: (b.audit_verify(), [])),
    ("audit_checkpoint", lambda b, m: (b.audit_checkpoint(), [])),
    ("audit_rotate_key", lambda b, m: (b.audit_rotate_key(), [])),
    ("backup", lambda b, m: (b.backup(m["tmp"] / "backup"), [])),
    ("migrate", lambda b, m: (b.migrate(f"sqlite:///{m['tmp'] / 'moved.sqlite3'}"), [])),
    ("restore", _restore),
    ("reindex", lambda b, m: (b.reindex(), [])),
    ("recount", lambda b, m: (b.recount(), [])),
    ("db_upgrade", lambda b, m: (b.db_upgrade(), [])),
    ("db_current", lambda b, m: (b.db_current(), [])),
    ("db_history", lambda b, m: (b.db_history(), None)),
    ("erase", _erase),
    ("demo", _demo),
    ("document_view", _document_view),
    ("document_page", lambda b, m: (b.document_page(m["document"], 1), [m["document"]])),
    ("document_file", lambda b, m: (b.document_file(m["document"]), [m["document"]])),
    ("acting", lambda b, m: (b.acting(Context(actor="uma")), None)),
    ("close", lambda b, m: (b.close(), None)),
]


def _kind_of(name: str, result: Any) -> ActionKind | None:
    """The expected kind: a graph result within one collection is a plain consultation."""
    kind = KINDS[name]
    if kind is M and name.startswith("graph_"):
        nodes = {
            "graph_neighbours": lambda: result.nodes,
            "graph_connect": lambda: result.nodes,
            "graph_path": lambda: [n for p in result.paths for n in p.nodes],
            "graph_hubs": lambda: [h.node for h in result.hubs],
        }[name]()
        spanned = {d for n in nodes for d in n.datasets}
        return M if len(spanned) > 1 else Q
    return kind


def test_every_call_leaves_exactly_its_event(bench: Workbench, tmp_path: Path) -> None:
    memo: Memo = {"tmp": tmp_path}
    seen_kinds: set[ActionKind] = set()
    for name, step in STEPS:
        context = Context(
            purpose="facade walk", justification="walking the facade", request_id=f"req-{name}"
        )
        walker = bench.acting(context)
        before = bench.accountability.log.size()
        result, ids = step(walker, memo)
        since = memo.pop("since", before)
        events: list[AuditEvent] = [e.event() for e in bench.accountability.log.entries(since)]
        kind = _kind_of(name, result)
        if kind is None:
            assert events == [], name
            continue
        # A call that changes data records that it starts, then how it ended.
        changing = name in ALTERS or kind in CHANGING
        started = [e for e in events if e.outcome == "started"]
        events = [e for e in events if e.outcome != "started"]
        if "action" in memo:  # a call whose steps are calls of their own: just its event
            action = memo.pop("action")
            started = [e for e in started if e.action == action]
            events = [e for e in events if e.action == action]
        expected = len(memo["demo"]) if name == "demo" else memo.pop("events", 1)
        assert len(events) == expected, (name, events)
        assert len(started) == (expected if changing else 0), (name, started)
        for begun, event in zip(started, events, strict=False):
            assert (begun.action, begun.request_id) == (event.action, event.request_id)
        for event in events:
            assert event.kind is kind, (name, event.kind)
            actor = ANONYMOUS if name == "tip_submit" else "local"  # senders are nobody
            assert (event.actor, event.request_id, event.outcome) == (actor, f"req-{name}", "ok")
            if name.startswith("case_") and name not in ("case_create", "case_list", "case_import"):
                # A call about one case is on record under that case and its purpose.
                assert (event.purpose, event.case_id) == ("trace the holdings", memo["case"])
            else:
                assert (event.purpose, event.case_id) == ("facade walk", None), name
            assert event.justification == "walking the facade"
            seen_kinds.add(event.kind)
        if name == "demo":
            assert [e.object_ids for e in events] == [(f"dataset:{d}",) for d in memo["demo"]]
        elif ids is not None:
            assert list(events[0].object_ids) == ids, name
    assert seen_kinds == set(ActionKind)
    logged = b"".join(e.data for e in bench.accountability.log.entries())
    assert PASSWORD.encode() not in logged and b"Ingrid Extra" not in logged
