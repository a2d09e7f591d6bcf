"""The default SearchIndex: an embedded tantivy index in the data directory."""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import tantivy

from threadline.errors import IndexBusyError, IndexOutdated
from threadline.search.document import IndexDocument
from threadline.search.highlight import allowed_distance, highlights
from threadline.search.index import Encoder, Generation, IndexBatch, SearchIndex
from threadline.search.query import Hit, SearchQuery, SearchResult
from threadline.search.readers import ReaderSets, decode_readers, encode_readers
from threadline.search.tantivy_batch import TantivyBatch, encode_document
from threadline.search.text import grams, name_tokens, tokens

# Facet (and filter) name -> field counted. Filters on `schema` match its descendants
# too (`FILTERS`), its facet counts each hit's own schema.
FACETS = {
    "schema": "schema",
    "dataset": "datasets",
    "country": "countries",
    "doc_type": "doc_type",
    "sender": "senders",
    "recipient": "recipients",
    "year": "years",
}
FILTERS = {**FACETS, "schema": "schemata"}
_FACET_SIZE = 50
_MAX_TIE_WINDOW = 4096
# How many hits the first search of a page reads at least: enough to hold most ties at
# the page's end whole, so that they need no second search.
_FIRST_READ = 64
_MUST = tantivy.Occur.Must
_SHOULD = tantivy.Occur.Should

_FACET_SPEC = {
    name: {"terms": {"field": field, "size": _FACET_SIZE}} for name, field in FACETS.items()
}

# The matches of a search that read them all are counted by id up to this many (their
# ids are read from the index), with the number of documents counted (`_MATCHES`).
_FEW_MATCHES = 64
_MATCHES = "threadline-matches"
_MATCHES_SPEC = {**_FACET_SPEC, _MATCHES: {"value_count": {"field": "order"}}}


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    # A stable number per id, to order equal scores the same way after every rebuild.
    builder.add_unsigned_field("order", fast=True)
    builder.add_text_field(
        "schema", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_text_field("schemata", tokenizer_name="raw", index_option="basic")
    builder.add_text_field(
        "datasets", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_text_field(
        "countries", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_text_field("names", tokenizer_name="default", index_option="position")
    builder.add_text_field("text", tokenizer_name="default", index_option="position")
    builder.add_text_field("grams", tokenizer_name="whitespace", index_option="freq")
    # A merged entity's slices (see IndexDocument.absent): "whole" or "slice", and the
    # datasets a slice leaves out.
    builder.add_text_field("part", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("absent", tokenizer_name="raw", index_option="basic")
    # Document facets (threadline.search.facets), counted and filtered on only.
    for field in ("doc_type", "senders", "recipients", "years"):
        builder.add_text_field(field, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("payload", stored=True, indexed=False)
    return builder.build()


_GENERATION_FILE = "threadline-generation"
# The reader sets whose slices the index holds (threadline.search.readers).
_READERS_FILE = "threadline-readers"
log = logging.getLogger(__name__)


def _replace(path: Path, data: bytes) -> None:
    """Write a small file whole: a crash leaves the old content or the new."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


# Bump when the fields, or how text is folded into them, change: an index built otherwise must be rebuilt.
SCHEMA_VERSION = "4"  # 4: names in Indic scripts keep their vowels (search/text.py); 3: facets
_VERSION_FILE = "threadline-schema"


def _tie_window(wanted: int) -> int:
    """How many hits to read when a tie crosses the end of a page of `wanted`: the
    page's size doubled until it reaches the cap (the window a search widening step by
    step would end at, in one search)."""
    window = max(wanted, 1)
    while window < _MAX_TIE_WINDOW:
        window *= 2
    return window


def _tie_open(hits: list[tuple[float, Any]], wanted: int, total: int) -> bool:
    """Whether the hits tied with the last one wanted may go on past those read: the
    next hit ties with it, and so does every later one read, and not all were read."""
    if not 0 < wanted < len(hits):
        return False
    cut = _level(hits[wanted - 1][0])
    if _level(hits[wanted][0]) != cut or len(hits) >= total:
        return False
    return all(_level(score) == cut for score, _ in hits[wanted + 1 :])


def _level(score: float) -> float:
    """A score rounded to the precision hits show: equal-looking scores are ties.

    The same document can score a few ulps differently after a reindex (the segments
    differ, so float sums run in another order); ties must not depend on that.
    """
    return round(float(score), 4)


def _counted(raw: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Facet counts from tantivy's aggregation result (an empty one: no matches)."""
    counted = {
        name: {str(b["key"]): int(b["doc_count"]) for b in raw.get(name, {}).get("buckets", [])}
        for name in FACETS
    }
    # Years read as a timeline, newest first; the other facets by count.
    counted["year"] = dict(sorted(counted["year"].items(), reverse=True))
    return counted


class TantivyIndex(SearchIndex):
    """Entities in tantivy: BM25 over all values, fuzzy and transliterated names."""

    def __init__(self, path: Path, memory_mb: int = 256, lock_wait: float | None = None) -> None:
        self.path = path
        self.memory_mb = memory_mb
        self.lock_wait = lock_wait
        self._open()

    def _open(self) -> None:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)  # holds every value
        marker = self.path / _VERSION_FILE
        found = marker.read_text().strip() if marker.exists() else None
        if found != SCHEMA_VERSION and (self.path / "meta.json").exists():
            raise IndexOutdated(
                f"the search index in {self.path} was built by an older threadline; "
                "run `threadline reindex` to rebuild it from the store"
            )
        if found != SCHEMA_VERSION:
            # Once, before the index exists, and whole (renamed into place): a process
            # killed while writing it must not leave a marker that reads "older".
            _replace(marker, SCHEMA_VERSION.encode())
        readers = self.path / _READERS_FILE
        if not (self.path / "meta.json").exists() and not readers.exists():
            # A new index holds no slices: it covers no reader set yet. An index built
            # before reader sets were recorded has none of this file (`readers`: None).
            _replace(readers, encode_readers(frozenset()))
        self._readers: tuple[tuple[int, int, int], ReaderSets] | None = None
        self.schema = _schema()
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)

    def _writer(self, wait: bool = True) -> Any:
        # One writer per index at a time, across processes. The lock is tantivy's file
        # lock, which dies with its process: while it is held, its holder is alive and
        # busy (an ingest indexing, say), so wait for it (up to `lock_wait`, if given;
        # not at all unless `wait`).
        lock_wait = self.lock_wait if wait else 0.0
        deadline = None if lock_wait is None else time.monotonic() + lock_wait
        said = False
        while True:
            try:
                writer = self.index.writer(heap_size=self.memory_mb * 1024 * 1024, num_threads=2)
                # A process killed mid-write leaves files its commit never named; their
                # names come round again (FileAlreadyExists), so sweep them first.
                writer.garbage_collect_files()
                return writer
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if deadline is not None and time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"the search index in {self.path} is being written by another "
                        f"process; try again (or run `threadline reindex` afterwards)"
                    ) from None
                if not said:
                    log.warning("waiting for another process to finish writing the search index…")
                    said = True
                time.sleep(0.2)

    @contextmanager
    def writing(self, wait: bool = True) -> Iterator[IndexBatch]:
        writer = self._writer(wait)
        # Under the write lock, so no other process adds documents meanwhile.
        self.index.reload()
        batch = TantivyBatch(writer, self.schema, empty=self.index.searcher().num_docs == 0)
        try:
            yield batch
            if batch.readers is not None:
                # Unrecorded (None) until this commit's reader sets are: a crash in
                # between must not leave a record that its slices do not match (a
                # slice added twice, or one missing), so the next `cover` replaces them.
                (self.path / _READERS_FILE).unlink(missing_ok=True)
            writer.commit()
            if batch.cleared:
                writer.garbage_collect_files()  # the old segments' files go now
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self.index.reload()
        if batch.generation is not None:
            self._mark(batch.generation)
        if batch.readers is not None:
            _replace(self.path / _READERS_FILE, encode_readers(batch.readers))

    def _mark(self, generation: Generation) -> None:
        """Record, after the commit, which store generation the index now reflects.

        Written to a temporary file and renamed: a crash leaves the old record or the
        new one. A crash between the commit and this leaves the old one, and the next
        catch-up redoes the changes since (which is harmless).
        """
        data = orjson.dumps({"store": generation[0], "generation": generation[1]})
        _replace(self.path / _GENERATION_FILE, data)

    def generation(self) -> Generation | None:
        try:
            data = orjson.loads((self.path / _GENERATION_FILE).read_bytes())
            return str(data["store"]), int(data["generation"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def readers(self) -> ReaderSets | None:
        # Read again only when the file was replaced: a search asks, every time.
        path = self.path / _READERS_FILE
        try:
            stat = path.stat()
            key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if self._readers is not None and self._readers[0] == key:
                return self._readers[1]
            found = decode_readers(path.read_bytes())
        except (OSError, ValueError):
            return None  # unrecorded (or unreadable): no reader set counts as covered
        self._readers = (key, found)
        return found

    def spanning(self, inside: Collection[str], outside: Collection[str]) -> list[str]:
        if not inside or not outside:
            return []
        whole = tantivy.Query.term_query(self.schema, "part", "whole")
        return self._ids(
            tantivy.Query.boolean_query(
                [
                    (_MUST, whole),
                    (_MUST, self._any("datasets", inside)),
                    (_MUST, self._any("datasets", outside)),
                ]
            )
        )

    def sliced(self) -> list[str]:
        return self._ids(tantivy.Query.term_query(self.schema, "part", "slice"))

    def _any(self, field: str, names: Collection[str]) -> Any:
        terms = [tantivy.Query.term_query(self.schema, field, n) for n in sorted(names)]
        return tantivy.Query.boolean_query([(_SHOULD, t) for t in terms])

    def _ids(self, query: Any) -> list[str]:
        """The distinct entity ids of every document `query` matches, sorted."""
        searcher: Any = self.index.searcher()
        found = searcher.search(query, limit=max(int(searcher.num_docs), 1))
        return sorted({str(searcher.doc(address).get_first("id")) for _, address in found.hits})

    def upsert(self, documents: Iterable[IndexDocument]) -> int:
        with self.writing() as batch:
            return batch.add(documents)

    def encoder(self) -> Encoder:
        return encode_document

    def delete(self, ids: Collection[str]) -> None:
        with self.writing() as batch:
            batch.delete(ids)

    def clear(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._open()

    def count(self) -> int:
        # Entities, not documents: a merged entity's slices are not counted.
        whole = tantivy.Query.term_query(self.schema, "part", "whole")
        searcher: Any = self.index.searcher()  # `count` is missing from tantivy's stub
        return int(searcher.search(whole, limit=1, count=True).count or 0)

    def _term_group(
        self, field: str, terms: list[str], fuzzy: bool, boost: float, prefix: bool = False
    ) -> Any:
        clauses = []
        for position, term in enumerate(terms):
            options = [(_SHOULD, tantivy.Query.term_query(self.schema, field, term))]
            distance = allowed_distance(term) if fuzzy else 0
            # While typing, the last word is the start of a word (within the distance).
            started = prefix and position == len(terms) - 1
            if distance or started:
                options.append(
                    (
                        _SHOULD,
                        tantivy.Query.fuzzy_term_query(
                            self.schema,
                            field,
                            term,
                            distance=distance,
                            transposition_cost_one=True,
                            prefix=started,
                        ),
                    )
                )
            clauses.append((_MUST, tantivy.Query.boolean_query(options)))
        return tantivy.Query.boost_query(tantivy.Query.boolean_query(clauses), boost)

    def _query(self, query: SearchQuery) -> tuple[Any, set[str], bool]:
        must: list[tuple[Any, Any]] = []
        free = query.free_text()
        text_terms = tokens(free)
        name_terms = name_tokens(free)
        terms = set(text_terms) | set(name_terms)
        if query.prefix:
            must.append((_MUST, self._completion(query, name_terms)))
        elif text_terms or name_terms:
            groups = []
            if text_terms:
                groups.append((_SHOULD, self._term_group("text", text_terms, False, 1.0)))
            if name_terms:
                groups.append((_SHOULD, self._term_group("names", name_terms, query.fuzzy, 2.0)))
            must.append((_MUST, tantivy.Query.boolean_query(groups)))
        for phrase in query.phrases():
            words: list[str | tuple[int, str]] = list(tokens(phrase))
            terms.update(tokens(phrase))
            if len(words) == 1:
                must.append(
                    (_MUST, tantivy.Query.term_query(self.schema, "text", tokens(phrase)[0]))
                )
            elif words:
                must.append((_MUST, tantivy.Query.phrase_query(self.schema, "text", words)))
            # A phrase that is an entity's own name ranks that entity above the texts
            # that quote it (a document, or a `Mention`, whose text is only the phrase).
            named: list[str | tuple[int, str]] = list(name_tokens(phrase))
            if len(named) > 1:
                own = tantivy.Query.phrase_query(self.schema, "names", named)
                must.append((_SHOULD, tantivy.Query.boost_query(own, 2.0)))
        for name, value in query.filters().items():
            term = tantivy.Query.term_query(self.schema, FILTERS[name], value)
            must.append((_MUST, tantivy.Query.const_score_query(term, 0.0)))
        must.extend(self._access(query))
        scored = bool(text_terms or name_terms or query.phrases())
        if name_terms and query.fuzzy:
            # Optional: adds a graded similarity to whatever the required clauses match.
            shared = {g for t in name_terms for g in grams(t)}
            must.append(
                (
                    _SHOULD,
                    tantivy.Query.boolean_query(
                        [
                            (_SHOULD, tantivy.Query.term_query(self.schema, "grams", g))
                            for g in sorted(shared)
                        ]
                    ),
                )
            )
        if not must:
            return tantivy.Query.all_query(), terms, scored
        return tantivy.Query.boolean_query(must), terms, scored

    def _completion(self, query: SearchQuery, name_terms: list[str]) -> Any:
        """Names only, the last word as a prefix; or the entity id typed whole."""
        typed = tantivy.Query.term_query(self.schema, "id", query.text.strip())
        options = [(_SHOULD, tantivy.Query.boost_query(typed, 10.0))]
        if name_terms:
            group = self._term_group("names", name_terms, query.fuzzy, 2.0, prefix=True)
            options.append((_SHOULD, group))
        return tantivy.Query.boolean_query(options)

    def _access(self, query: SearchQuery) -> list[tuple[Any, Any]]:
        """Exactly one document per entity the caller can see: the whole entity if they
        read all its datasets, else the slice of the datasets they read (S = D & R).

        A document with datasets S and absent A is visible to readers of R when S is
        within R (no dataset of S is hidden) and no dataset of A is in R. So only the
        slice of exactly D & R can be visible: where the index does not cover R (no
        such slice was built), the entity is missing for them, never shown in more.
        """

        if query.visible is None:
            whole = tantivy.Query.term_query(self.schema, "part", "whole")
            return [(_MUST, tantivy.Query.const_score_query(whole, 0.0))]
        clauses: list[tuple[Any, Any]] = [
            (_MUST, tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0))
        ]
        if query.hidden:
            clauses.append((tantivy.Occur.MustNot, self._any("datasets", query.hidden)))
        if query.visible:
            clauses.append((tantivy.Occur.MustNot, self._any("absent", query.visible)))
        else:
            clauses.append((tantivy.Occur.MustNot, tantivy.Query.all_query()))
        return [(_MUST, tantivy.Query.boolean_query(clauses))]

    def _ranked(
        self, searcher: Any, tquery: Any, scored: bool, query: SearchQuery
    ) -> tuple[list[tuple[float, Any]], int]:
        """Hits of one page in a deterministic order: by score, ties by a stable key."""
        page, total, _ = self._paged(searcher, tquery, scored, query)
        return page, total

    def _paged(
        self, searcher: Any, tquery: Any, scored: bool, query: SearchQuery
    ) -> tuple[list[tuple[float, Any]], int, list[Any] | None]:
        """`_ranked`, and the address of every match if the search read them all (a
        search for a name matches a handful), else None."""
        wanted = query.offset + query.limit
        if not scored:
            # Every hit scores the same: list them in id order.
            result = searcher.search(
                tquery,
                limit=max(query.limit, 1),  # tantivy panics on a limit of 0
                offset=query.offset,
                count=True,
                order_by_field="id",
                order=tantivy.Order.Asc,
            )
            page = [(0.0, address) for _, address in result.hits[: query.limit]]
            total = int(result.count or 0)
            everything = query.offset == 0 and len(result.hits) >= total
            return page, total, [a for _, a in result.hits] if everything else None
        # Hits tied with the last one wanted are ordered by a stable key, so a tie at
        # the page's end is read whole (up to a cap). The first search reads a little
        # past the page (`_FIRST_READ`), which holds most ties whole; only a tie that
        # runs past it takes one more, wider search. Tantivy ranks by score, then by
        # address, so a longer read begins with the shorter one: the page is the same.
        window = _tie_window(wanted)
        first = min(max(wanted, 1, _FIRST_READ - 1), window) + 1
        result = searcher.search(tquery, limit=first, count=True)
        # `count` exists at run time but is missing from tantivy's type stub.
        total, hits = int(result.count or 0), result.hits
        if window > wanted and _tie_open(hits, wanted, total):
            hits = searcher.search(tquery, limit=window + 1, count=False).hits
        matched = [a for _, a in hits] if len(hits) >= total else None
        levels = [_level(score) for score, _ in hits]
        if wanted and len(hits) > wanted:
            cut = levels[wanted - 1]
            end = next((i for i in range(wanted, len(hits)) if levels[i] != cut), len(hits))
            hits, levels = hits[:end], levels[:end]
        keys = searcher.fast_field_values("order", [a for _, a in hits])
        order = sorted(range(len(hits)), key=lambda i: (-levels[i], keys[i] or 0))
        page = [(float(hits[i][0]), hits[i][1]) for i in order[query.offset : wanted]]
        return page, total, matched

    def search(self, query: SearchQuery) -> SearchResult:
        tquery, terms, scored = self._query(query)
        searcher = self.index.searcher()
        page, total, matched = self._paged(searcher, tquery, scored, query)
        hits = []
        read: dict[tuple[int, int], str] = {}  # the ids of the page's documents
        for score, address in page:
            doc = searcher.doc(address)
            read[(address.segment_ord, address.doc)] = str(doc.get_first("id"))
            payload = orjson.loads(bytes(doc.get_first("payload") or b"{}"))
            hits.append(
                Hit(
                    id=str(doc.get_first("id")),
                    schema=str(doc.get_first("schema")),
                    caption=payload["caption"],
                    score=round(float(score), 4),
                    datasets=[str(d) for d in doc.get_all("datasets")],
                    countries=[str(c) for c in doc.get_all("countries")],
                    highlights=(
                        highlights(payload["names"] + payload["values"], terms, query.fuzzy)
                        if query.highlight
                        else []
                    ),
                )
            )
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            facets = self._counts(searcher, tquery, query, total, matched, read)
        return SearchResult(hits=hits, total=total, facets=facets)

    def _counts(
        self,
        searcher: Any,
        tquery: Any,
        query: SearchQuery,
        total: int,
        matched: list[Any] | None,
        read: dict[tuple[int, int], str],
    ) -> dict[str, dict[str, int]]:
        """The facets of a search's matches.

        Aggregating runs the query again, fuzzy names and all, which cost as much as
        the search. When the search read every match (`matched`, a few), they are
        counted instead by their ids, within the same access filter; which counts the
        same documents if as many, and they are (or else the query is run again).
        """
        if total == 0:
            return _counted({})
        if matched is not None and len(matched) <= _FEW_MATCHES:
            ids = {
                read.get((a.segment_ord, a.doc)) or str(searcher.doc(a).get_first("id"))
                for a in matched
            }
            listed = tantivy.Query.term_set_query(self.schema, "id", sorted(ids))
            narrowed = tantivy.Query.boolean_query([(_MUST, listed), *self._access(query)])
            raw = searcher.aggregate(narrowed, _MATCHES_SPEC)
            # Every document has an `order`: its count is the number of documents.
            if int(raw.get(_MATCHES, {}).get("value") or 0) == total:
                return _counted(raw)
        return self._facets(searcher, tquery)

    def _facets(self, searcher: Any, tquery: Any) -> dict[str, dict[str, int]]:
        raw = searcher.aggregate(tquery, _FACET_SPEC)
        return _counted(raw)
