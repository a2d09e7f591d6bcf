"""Document verbs: a document as its reader sees it (pages, e-mail headers, thread,
attachments), a page drawn as a PNG, and the original file handed back.

Each call reads the document as `entity` does: only statements of collections the
caller may read, an unreadable document is not found, and every call is on record
(a page or a view as a consultation, the file as a disclosure: it leaves whole).
Originals are kept at ingest (`threadline.app.originals`); the file of a document
inside another is taken out of its container the first time it is asked for.
"""

from __future__ import annotations

from collections.abc import Collection

from threadline.app.accountability import Scope
from threadline.app.document_view import (
    DocRef,
    DocumentFile,
    DocumentView,
    PageRef,
    doc_ref,
    email_headers,
    first,
    safe_name,
    safe_type,
    thread_of,
)
from threadline.app.originals import Originals, recover
from threadline.app.pageimage import FOLDER as PAGE_IMAGES
from threadline.app.pageimage import PageImage, is_pdf, page_image
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind
from threadline.errors import NotFoundError
from threadline.ingest.documents import DOCUMENT_KIND
from threadline.ingest.pipeline import Plan
from threadline.model.entity import Entity
from threadline.store.assembly import load_entities

MAX_THREAD = 200  # messages shown in one thread
MAX_ATTACHMENTS = 500


class DocumentVerbs(VerbsBase):
    """Read documents: their pages as images, their files, their e-mail threads."""

    @property
    def _originals(self) -> Originals:
        """The kept original files."""
        return Originals(self.data_dir)

    def _keep_original(self, plan: Plan) -> None:
        """Keep a document file's bytes (at ingest, before its statements are written:
        a page can be drawn as soon as it can be found). Nothing is copied when the
        `keep_originals` setting is off."""
        if plan.kind == DOCUMENT_KIND and self.settings.keep_originals:
            for source in plan.sources:
                self._originals.keep(source.path, source.sha256)

    def document_view(self, entity_id: str) -> DocumentView:
        """A document (or one page of it, by the page's id): its pages, its file's
        name, hash and type, whether its pages can be drawn; for an e-mail its
        headers, the other messages of its thread and its attachments."""
        with self._act(ActionKind.CONSULTATION, "document.view") as act:
            scope = act.scope
            doc, page = self._document(scope, entity_id)
            view = DocumentView(doc, page)
            view.pages = self._pages(scope, doc.id)
            view.file_name = first(doc, "fileName")
            view.sha256 = first(doc, "contentHash")
            size = first(doc, "fileSize")
            view.size = int(size) if size.isdigit() else None
            view.media_type = first(doc, "mimeType")
            kept = self._originals.path(view.sha256) if view.sha256 else None
            view.kept = kept is not None or bool(self._root_of(doc))
            pdf = view.media_type == "application/pdf" and (kept is None or is_pdf(kept))
            view.drawable = bool(view.pages) and view.kept and pdf
            children = self._children(scope, doc.id)
            view.attachments = [doc_ref(c) for c in children[:MAX_ATTACHMENTS]]
            parents = self._readable(scope, doc.proxy.get("parent", quiet=True))
            view.parent = next((doc_ref(p) for p in parents.values()), None)
            if view.is_email:
                view.headers = email_headers(doc)
                view.subject = first(doc, "subject")
                view.thread = self._thread(scope, doc)
            act.ids = list(
                dict.fromkeys(
                    [doc.id, *(r.id for r in view.thread), *(r.id for r in view.attachments)]
                )
            )
        return view

    def document_page(self, entity_id: str, page: int) -> PageImage:
        """Page `page` (from 1) of a PDF document the caller may read, drawn as a PNG
        at most 1,600 pixels on its long side (cached by file hash, page and scale)."""
        with self._act(ActionKind.CONSULTATION, "document.page") as act:
            doc, _ = self._document(act.scope, entity_id)
            act.ids = [doc.id]
            act.detail = f"page={page}"
            found = self._file(doc)
            label = f"document {doc.id!r} ({found.name})"
            image = page_image(found.path, found.sha256, page, self.data_dir / PAGE_IMAGES, label)
        return image

    def document_file(self, entity_id: str) -> DocumentFile:
        """The original file of a document the caller may read, to download: it
        leaves whole, so it is recorded as a disclosure (with the file's hash)."""
        with self._act(ActionKind.DISCLOSURE, "document.file") as act:
            doc, _ = self._document(act.scope, entity_id)
            act.ids = [doc.id]
            found = self._file(doc)
            act.detail = f"sha256={found.sha256} bytes={found.size}"
        return found

    # Reading ---------------------------------------------------------------------

    def _readable(self, scope: Scope, ids: Collection[str]) -> dict[str, Entity]:
        """These entities, each from the statements the scope reads (unread: absent)."""
        found: dict[str, Entity] = {}
        for entity_id, loaded in load_entities(self.store, ids).items():
            rows = scope.rows(loaded.statements)
            if rows:
                found[entity_id] = Entity.assemble(entity_id, rows, loaded.source_names)
        return found

    def _document(self, scope: Scope, entity_id: str) -> tuple[Entity, int | None]:
        """The document (and the page number, for a Page's id) the scope may read."""
        entity, _ = self._visible(scope, entity_id)
        if entity.schema.name == "Page":
            number = first(entity, "index")
            owners = self._readable(scope, entity.proxy.get("document", quiet=True))
            if not owners:
                raise NotFoundError(f"No document holds page {entity_id!r}")
            return next(iter(owners.values())), int(number) if number.isdigit() else None
        if not entity.schema.is_a("Document"):
            raise NotFoundError(f"{entity_id!r} is a {entity.schema.label}, not a document")
        return entity, None

    def _pages(self, scope: Scope, doc_id: str) -> list[PageRef]:
        ids = {
            r.entity_id
            for r in self.store.references(doc_id)
            if r.schema == "Page" and r.prop == "document"
        }
        pages = []
        for page in self._readable(scope, ids).values():
            number = first(page, "index")
            if number.isdigit():
                pages.append(PageRef(int(number), page.id))
        return sorted(pages, key=lambda p: p.number)

    def _children(self, scope: Scope, doc_id: str) -> list[Entity]:
        ids = {r.entity_id for r in self.store.references(doc_id) if r.prop == "parent"}
        found = self._readable(scope, ids).values()
        return sorted(found, key=lambda c: (first(c, "fileName"), c.id))

    def _thread(self, scope: Scope, doc: Entity) -> list[DocRef]:
        """The other messages of the e-mail's thread the scope reads, by date.

        Messages are linked by their headers' ids (strings, not entity links), so
        this reads the `messageId` and `inReplyTo` statements of the store."""
        headers: dict[str, list[str]] = {}
        for batch in self.store.iter_batches(props=("messageId", "inReplyTo")):
            for entity_id, _schema, prop, _type, value, dataset in batch:
                if prop in ("messageId", "inReplyTo") and scope.sees(dataset):
                    pair = headers.setdefault(entity_id, ["", ""])
                    pair[0 if prop == "messageId" else 1] = value
        messages = {i: (p[0], p[1]) for i, p in headers.items()}
        ids = thread_of(doc, messages) - {doc.id}
        found = self._readable(scope, sorted(ids)[:MAX_THREAD]).values()
        return sorted((doc_ref(m) for m in found), key=lambda r: (r.date, r.caption, r.id))

    def _root_of(self, doc: Entity) -> str:
        """The hash of the top-level file the document came from (its statements'
        source), when that file is kept."""
        for row in doc.statements:
            if self._originals.path(row.source) is not None:
                return row.source
        return ""

    def _file(self, doc: Entity) -> DocumentFile:
        """The kept original of a document, recovered from its container if need be."""
        sha256 = first(doc, "contentHash")
        root = self._root_of(doc)
        root_name = doc.source_names.get(root, "") or first(doc, "fileName")
        path = recover(self._originals, root, root_name, sha256) if sha256 else None
        if path is None:
            why = (
                "this deployment does not keep originals (the keep_originals setting is off)"
                if not self.settings.keep_originals
                else "it was ingested before originals were kept; ingest the file again to keep it"
            )
            raise NotFoundError(f"the original file of document {doc.id!r} is not kept: {why}")
        name = safe_name(first(doc, "fileName"), f"document-{sha256[:12]}")
        return DocumentFile(
            path, name, safe_type(first(doc, "mimeType")), sha256, path.stat().st_size
        )
