"""One write to the tantivy index: documents as tantivy's JSON, old ones deleted in bulk."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import orjson
import tantivy

from threadline.search.document import IndexDocument
from threadline.search.index import EncodedChunk, IndexBatch

# Documents per chunk when `add` is given documents rather than encoded chunks, and ids
# per delete query (tantivy builds one term set of them).
CHUNK = 2_000


def order_key(entity_id: str) -> int:
    """A stable number per id, to order equal scores the same way after every rebuild."""
    return int.from_bytes(hashlib.sha1(entity_id.encode("utf-8")).digest()[:8], "big") >> 1


def encode_document(doc: IndexDocument) -> str:
    """A document as the JSON tantivy's `add_json` reads (bytes as base64).

    Worker processes encode the documents they build: the writing process then only
    hands strings to tantivy, which parses them in Rust, rather than unpickling
    documents and building tantivy's from them (3x its time, on one core of two).
    """
    payload = orjson.dumps({"caption": doc.caption, "names": doc.names, "values": doc.values})
    fields = {
        "id": doc.id,
        "order": order_key(doc.id),
        "schema": doc.schema,
        "schemata": doc.schemata,
        "datasets": doc.datasets,
        "countries": doc.countries,
        "names": doc.name_text,
        "grams": doc.name_grams,
        "text": doc.full_text + " " + doc.name_text,
        "part": "slice" if doc.absent else "whole",
        "absent": doc.absent,
        "doc_type": doc.doc_type,
        "senders": doc.senders,
        "recipients": doc.recipients,
        "years": doc.years,
        "payload": base64.b64encode(payload).decode("ascii"),
    }
    return orjson.dumps(fields).decode("utf-8")


def encode_chunks(documents: Iterable[IndexDocument]) -> Iterator[EncodedChunk]:
    """Documents in chunks of about `CHUNK`, an entity's documents in one chunk."""
    ids: list[str] = []
    encoded: list[str] = []
    for doc in documents:
        if len(ids) >= CHUNK and doc.id != ids[-1]:
            yield EncodedChunk(ids, encoded)
            ids, encoded = [], []
        ids.append(doc.id)
        encoded.append(encode_document(doc))
    if ids:
        yield EncodedChunk(ids, encoded)


def _runs(chunk: EncodedChunk) -> Iterator[tuple[list[str], list[str]]]:
    """The chunk cut where an id comes again after another: within a run, deleting its
    ids' old documents first and adding the run replaces each id once."""
    ids, start, last = chunk.ids, 0, None
    seen: set[str] = set()
    for position, entity_id in enumerate(ids):
        if entity_id == last:
            continue
        if entity_id in seen:
            yield ids[start:position], chunk.encoded[start:position]
            start, seen = position, set()
        seen.add(entity_id)
        last = entity_id
    if start < len(ids):
        yield ids[start:], chunk.encoded[start:]


class TantivyBatch(IndexBatch):
    """Writes through one tantivy writer."""

    def __init__(self, writer: Any, schema: Any, empty: bool = False) -> None:
        self._writer = writer
        self._schema = schema
        self.cleared = False
        # The index held nothing when the batch began, and nothing was added since:
        # a delete has nothing to find (an ingest into a new index deleted every id it
        # was about to add, in term-set queries of 2,000 ids).
        self._empty = empty
        # Ids whose old documents this batch already deletes: adding them again needs
        # no second delete (nor does anything added after a clear).
        self._dropped: set[str] = set()

    def clear(self) -> None:
        self._writer.delete_all_documents()
        self.cleared = True
        self._dropped.clear()

    def _delete(self, ids: list[str]) -> None:
        if self._empty:
            return
        # One query per chunk of ids: a delete per id cost as much as adding the document.
        for start in range(0, len(ids), CHUNK):
            terms = tantivy.Query.term_set_query(self._schema, "id", ids[start : start + CHUNK])
            self._writer.delete_documents_by_query(terms)

    def delete(self, ids: Collection[str]) -> None:
        self._delete(list(ids))
        if not self.cleared:
            self._dropped.update(ids)

    def add(self, documents: Iterable[IndexDocument], beside: bool = False) -> int:
        return self.add_encoded(encode_chunks(documents), beside)

    def add_encoded(self, chunks: Iterable[EncodedChunk], beside: bool = False) -> int:
        if beside:
            return self._add_beside(chunks)
        count = 0
        for chunk in chunks:
            for ids, encoded in _runs(chunk):
                distinct = list(dict.fromkeys(ids))
                if not self.cleared:
                    # Old documents go before the new ones are added (a delete spares
                    # what is added after it); a merged entity's slices come together.
                    self._delete([i for i in distinct if i not in self._dropped])
                # Added again later in this batch, an id replaces what is added now.
                self._dropped.difference_update(distinct)
                self._empty = False
                for text in encoded:
                    self._writer.add_json(text)
                count += len(distinct)
        return count

    def _add_beside(self, chunks: Iterable[EncodedChunk]) -> int:
        """Add documents and delete none: what the index holds for their ids stays."""
        count = 0
        for chunk in chunks:
            self._empty = False
            for text in chunk.encoded:
                self._writer.add_json(text)
            count += len(set(chunk.ids))
        return count
