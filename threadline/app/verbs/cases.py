"""Case verbs: open a case with a purpose and sources, add members, pin entities (a
document page too), write notes that cite statements, entities and document pages,
keep tasks, read the timeline, export the bundle.

A case reaches only its allowed sources that the member may read; a note may cite a
statement of an entity the case pins or the note itself cites, or of a link on the
case's timeline. The timeline (`case_timeline`, and `timeline` for one entity) holds
every dated fact of the entities in view and of the links that touch them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from threadline.access import LOCAL_USER
from threadline.app.cited_pages import cited_page, cited_pages, readable_targets
from threadline.app.verbs.base import Act, VerbsBase
from threadline.app.verbs.charts import ChartVerbs
from threadline.app.verbs.markings import markings_of
from threadline.audit import ActionKind
from threadline.cases import (
    KEEP,
    Case,
    CaseRole,
    Note,
    Pin,
    Task,
    TimelineItem,
    build_bundle,
    change_task,
    new_case,
    new_note,
    new_pin,
    new_task,
    parse_citations,
    parse_sources,
    render_html,
    require_member,
    with_member,
)
from threadline.cases.bundle import anchor
from threadline.cases.citation import DOCUMENT
from threadline.cases.cited import Cited, resolve
from threadline.cases.docpage import OK, page_json
from threadline.cases.inview import InView, gather
from threadline.cases.timeline_view import TimelineFilter
from threadline.errors import NotFoundError
from threadline.model.statement import StatementRow

ALTERATION = ActionKind.ALTERATION


@dataclass
class CaseFile:
    """A case as its member sees it: header, pins, notes, tasks and timeline."""

    case: Case
    pins: list[Pin] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    citations: dict[str, Cited] = field(default_factory=dict)  # by `stmt:ID`, `entity:ID`


class CaseVerbs(ChartVerbs, VerbsBase):
    """Case files with a purpose, kept beside the statements they cite."""

    def _open(self, act: Act, role: CaseRole = CaseRole.READER) -> Case:
        """The case the call acts in, for a member holding at least `role`.

        Every case verb acts inside its own case (`_act(case=...)`), so `begin` has
        already opened it for a member, refused anyone else, and put the call on
        record under the case and its purpose.
        """
        case = act.scope.case
        assert case is not None, "a case verb acts inside its case"
        require_member(case, act.scope.principal, role)
        act.ids = [f"case:{case.id}", *act.ids]
        return case

    @staticmethod
    def _reach(act: Act) -> frozenset[str]:
        """The case's sources the member may read (the call's scope inside the case)."""
        reach = act.scope.readable
        assert reach is not None, "a case verb acts inside its case"
        return reach

    def _statements(self, reach: Collection[str], ids: Collection[str]) -> list[StatementRow]:
        """The statements of these entities (over their merged members) in reach."""
        judgements = self.store.judgements
        canonical = judgements.canonical(list(ids))
        members = {m for c in set(canonical.values()) for m in judgements.members(c)}
        found = self.store.statements_for(members | set(ids))
        return [r for rows in found.values() for r in rows if r.dataset in reach]

    def _clusters(self, wanted: Collection[str]) -> dict[str, list[str]]:
        """The merged entities of these ids: canonical id -> member ids."""
        judgements = self.store.judgements
        canonical = set(judgements.canonical(list(wanted)).values())
        return {c: judgements.members(c) for c in canonical}

    def _loader(
        self, reach: Collection[str] | None
    ) -> Callable[[Collection[str]], list[StatementRow]]:
        """Loads entities' statements within `reach` (None: all the caller reads)."""

        def load(wanted: Collection[str]) -> list[StatementRow]:
            found = self.store.statements_for(wanted) if wanted else {}
            return [r for g in found.values() for r in g if reach is None or r.dataset in reach]

        return load

    def _view(self, reach: Collection[str] | None, ids: Collection[str]) -> InView:
        """These entities, the entities whose links touch them and the other ends of
        those links, within `reach`: what a timeline is built from."""

        def references(entity_id: str) -> list[str]:
            return [r.entity_id for r in self.store.references(entity_id)]

        return gather(ids, self._clusters, self._loader(reach), references)

    def _cited(
        self, reach: Collection[str], notes: list[Note], pins: list[Pin], view: InView
    ) -> dict[str, Cited]:
        """The notes' citations resolved for the reader; erased ones flagged."""

        def existing(wanted: Collection[str]) -> set[str]:
            # Whether a statement exists at all (erased or withheld), never its content.
            found = self.store.statements_for(wanted) if wanted else {}
            return {r.id for g in found.values() for r in g}

        pinned = [p.entity_id for p in pins]
        load = self._loader(reach)
        pages = cited_pages(self.store, reach, [d for n in notes for d in n.documents])
        files = self._files()
        return resolve(notes, pinned, self._clusters, load, existing, files, view, pages)

    def _files(self) -> dict[tuple[str, str], str]:
        """Source file names by (sha256, dataset); only statements the caller reads
        are ever shown with one."""
        return {(s.sha256, s.dataset): s.name for s in self.store.sources()}

    def case_create(self, name: str, purpose: str, sources: str | Collection[str] = "all") -> Case:
        """Open a case; its creator owns it. `sources` is `all` or dataset names."""
        with self._act(ALTERATION, "case.create", personal=False) as act:
            names, _ = parse_sources(sources)
            unknown = sorted(names - act.scope.known)
            if unknown:
                raise NotFoundError(f"No dataset named {unknown[0]!r}")
            case = new_case(name, purpose, sources, act.scope.actor)
            self.accountability.cases.add_case(case)
            act.ids = [f"case:{case.id}"]
            self._cover_later(act, "case.create")
        return case

    def case_list(self) -> list[Case]:
        """The cases the caller is a member of, newest first."""
        with self._act(ActionKind.CONSULTATION, "case.list", personal=False) as act:
            found = self.accountability.cases.cases(member=act.scope.actor)
            act.ids = [f"case:{c.id}" for c in found]
        return found

    def _in_view(self, case_id: str, pins: Sequence[Pin]) -> list[str]:
        """The entities a case's timeline covers: its pins, then the entities of its
        saved charts (what `_view` reads of them stays within the reader's reach)."""
        charted = [n.entity_id for c in self.accountability.cases.charts(case_id) for n in c.nodes]
        return list(dict.fromkeys([p.entity_id for p in pins] + charted))

    def case_show(self, case_id: str) -> CaseFile:
        """A case with its pins, notes (their citations resolved, erased ones
        flagged), tasks and timeline."""
        with self._act(ActionKind.CONSULTATION, "case.view", personal=False, case=case_id) as act:
            case = self._open(act)
            store = self.accountability.cases
            pins, notes = store.pins(case.id), store.notes(case.id)
            reach = self._reach(act)
            view = self._view(reach, self._in_view(case.id, pins))
            cited = self._cited(reach, notes, pins, view)
            act.ids += list(dict.fromkeys([p.entity_id for p in pins] + view.entity_ids))
            found = CaseFile(
                case, pins, notes, store.tasks(case.id), view.timeline(reach, self._files()), cited
            )
        return found

    def case_timeline(
        self,
        case_id: str,
        *,
        schema: str | None = None,
        prop: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[TimelineItem]:
        """The dated facts of the pinned entities and of the links that touch them
        (payments, awards, ownership and directorship periods...), in date order;
        only those of `schema` (or a schema that extends it), of the date property
        `prop`, and between `since` and `until` (YYYY, YYYY-MM or YYYY-MM-DD)."""
        wanted = TimelineFilter.parse(schema, prop, since, until)
        with self._act(ActionKind.CONSULTATION, "case.timeline", case=case_id) as act:
            case = self._open(act)
            reach = self._reach(act)
            view = self._view(
                reach, self._in_view(case.id, self.accountability.cases.pins(case.id))
            )
            items = wanted.apply(view.timeline(reach, self._files()))
            act.ids += view.entity_ids
        return items

    def timeline(
        self,
        entity_id: str,
        *,
        schema: str | None = None,
        prop: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[TimelineItem]:
        """The dated facts of an entity and of the links that touch it, in date
        order, filtered like `case_timeline`."""
        wanted = TimelineFilter.parse(schema, prop, since, until)
        with self._act(ActionKind.CONSULTATION, "entity.timeline") as act:
            scope = act.scope
            entity, members = self._visible(scope, entity_id)
            view = self._view(scope.readable, [entity.id, *members])
            items = wanted.apply(view.timeline(scope.readable, self._files()))
            act.ids = list(dict.fromkeys([entity.id, *view.entity_ids]))
        return items

    def case_member(self, case_id: str, user: str, role: str | None) -> Case:
        """Give a user a role in the case (owner, editor, reader), or remove them (None).
        Giving access shares the case's contents: it is recorded as a disclosure."""
        kind = ALTERATION if role is None else ActionKind.DISCLOSURE
        with self._act(kind, "case.member", personal=False, case=case_id, alters=True) as act:
            case = self._open(act, CaseRole.OWNER)
            if role is not None and user != LOCAL_USER:
                # An unknown user is a clear error; the local admin is no stored user.
                self.accountability.access.user(user)
            changed = with_member(case, user, role)
            self.accountability.cases.set_member(case.id, user, role)
            act.detail = f"user={user} role={role}"
            if role is not None:  # the member searches the case with a new reader set
                self._cover_later(act, "case.member")
        return changed

    def case_pin(self, case_id: str, entity_id: str, comment: str = "") -> Pin:
        """Pin an entity the case can reach; `DOCUMENT_ID#p3` pins that page of a
        document (its Page entity)."""
        with self._act(ALTERATION, "case.pin", case=case_id) as act:
            act.ids = [entity_id]
            case = self._open(act, CaseRole.EDITOR)
            reach = self._reach(act)
            entity_id = self._page_pin(reach, entity_id)
            act.ids[-1] = entity_id  # the page's own id, when a page was named

            def known(ids: frozenset[str]) -> set[str]:
                return {r.entity_id for r in self._statements(reach, ids)} & ids

            pin = new_pin(case, entity_id, act.scope.actor, comment, known)
            self.accountability.cases.add_pin(pin)
        return pin

    def _page_pin(self, reach: Collection[str], entity_id: str) -> str:
        """The Page entity a `DOCUMENT_ID#pN` pin names, if it is one the case reads;
        anything else as given (`new_pin` then refuses what it does not know)."""
        if "#p" not in entity_id or self._statements(reach, [entity_id]):
            return entity_id
        found = cited_page(self.store, reach, entity_id)
        return found.entity_id if found.state == OK and found.page is not None else entity_id

    def case_unpin(self, case_id: str, entity_id: str) -> bool:
        """Unpin an entity; False if it was not pinned."""
        with self._act(ALTERATION, "case.unpin", personal=False, case=case_id) as act:
            act.ids = [entity_id]
            case = self._open(act, CaseRole.EDITOR)
            removed = self.accountability.cases.remove_pin(case.id, entity_id)
        return removed

    def case_note(self, case_id: str, text: str) -> Note:
        """Add a note; `[[stmt:ID]]` and `[[entity:ID]]` cite evidence the case reaches
        (a statement of a pinned or cited entity, or of a link on the case's timeline),
        `[[doc:ID#p3]]` a page of a document it reaches (`[[doc:ID]]` the document)."""
        with self._act(ALTERATION, "case.note", case=case_id) as act:
            case = self._open(act, CaseRole.EDITOR)
            reach = self._reach(act)
            cited = parse_citations(text)
            pinned = [p.entity_id for p in self.accountability.cases.pins(case.id)]
            rows = self._statements(reach, [*pinned, *cited.entities])

            def statements(ids: frozenset[str]) -> set[str]:
                known = {r.id for r in rows} & ids
                if known != ids and pinned:  # a payment, an ownership... on the timeline
                    known |= {r.id for r in self._view(reach, pinned).rows} & ids
                return known

            def entities(ids: frozenset[str]) -> set[str]:
                return {r.entity_id for r in self._statements(reach, ids)} & ids

            def documents(ids: frozenset[str]) -> set[str]:
                return readable_targets(self.store, reach, ids)

            note = new_note(
                case, act.scope.actor, text, statements, entities, known_documents=documents
            )
            self.accountability.cases.add_note(note)
            act.ids += [*note.entities, *(f"statement:{s}" for s in note.statements)]
            act.ids += list(dict.fromkeys(d.split("#")[0] for d in note.documents))
        return note

    def case_task(
        self, case_id: str, title: str, *, assignee: str | None = None, due: str | None = None
    ) -> Task:
        """Add an open task, optionally assigned to a member."""
        with self._act(ALTERATION, "case.task", personal=False, case=case_id) as act:
            case = self._open(act, CaseRole.EDITOR)
            task = new_task(case, act.scope.actor, title, assignee=assignee, due=due)
            self.accountability.cases.add_task(task)
            act.ids.append(f"task:{task.id}")
        return task

    def case_task_update(
        self,
        case_id: str,
        task_id: str,
        *,
        status: str | None = None,
        assignee: str | Any | None = KEEP,
    ) -> Task:
        """Change a task's status or assignee (its assignee may change its status)."""
        with self._act(ALTERATION, "case.task", personal=False, case=case_id) as act:
            case = self._open(act)
            store = self.accountability.cases
            task = change_task(
                case,
                store.task(case.id, task_id),
                act.scope.actor,
                status=status,
                assignee=assignee,
            )
            store.update_task(task)
            act.ids.append(f"task:{task.id}")
            act.detail = f"status={task.status.value}"
        return task

    def case_export(self, case_id: str, folder: Path) -> list[Path]:
        """Write the evidence bundle: `<case>.json` and a self-contained `<case>.html`.
        Every claim in the notes links to its statements and their sources; every
        statement, entity and pin lists the markings of its collections."""
        with self._act(ActionKind.DISCLOSURE, "case.export", case=case_id) as act:
            case = self._open(act)
            reach = self._reach(act)
            store = self.accountability.cases
            pins, notes = store.pins(case.id), store.notes(case.id)
            wanted = [p.entity_id for p in pins] + [e for n in notes for e in n.entities]
            rows = self._statements(reach, wanted)
            view = self._view(reach, self._in_view(case.id, pins))
            bundle: dict[str, Any] = build_bundle(
                case,
                notes,
                rows + view.rows,
                self.store.sources(),
                generated_by=act.scope.actor,
                pins=pins,
                timeline=view.timeline(reach, self._files()),
                scope=reach,
                markings=markings_of(act.scope),
                charts=self._bundle_charts(act, case.id),
                pages=self._bundle_pages(act, notes),
            )
            data = orjson.dumps(bundle, option=orjson.OPT_INDENT_2)
            html = render_html(bundle).encode("utf-8")
            act.ids += list(dict.fromkeys(wanted))
            act.ids += [p["document_id"] for p in bundle["pages"] if p["state"] == OK]
        # Written only once the disclosure is on record.
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / f"case-{case.id}.json", folder / f"case-{case.id}.html"]
        paths[0].write_bytes(data)
        paths[1].write_bytes(html)
        return paths

    def _bundle_pages(self, act: Act, notes: Sequence[Note]) -> list[dict[str, Any]]:
        """The cited document pages for the bundle: each page's excerpt, its file's
        name and sha256 and its markings; an unreadable one by its state alone."""
        found = cited_pages(self.store, self._reach(act), [d for n in notes for d in n.documents])
        markings = markings_of(act.scope)
        return [
            page_json(c, anchor(DOCUMENT, t), markings([c.dataset] if c.dataset else []))
            for t, c in found.items()
        ]
