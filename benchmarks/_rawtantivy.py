"""The search anchor: a plain tantivy index of the same entities, with no threadline code.

One document per entity: its names and all its values, tokenised by tantivy's default
tokenizer (split on non-alphanumerics, lower-cased; no accent folding, no transliteration),
plus the schema, dataset and countries as fast fields so facets cost what they cost.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import tantivy

FACET_FIELDS = {"schema": "schema", "dataset": "datasets", "country": "countries"}
_COUNTRY_PROPS = ("country", "nationality", "jurisdiction")
# tantivy's SimpleTokenizer splits on anything that is not alphanumeric; `_` included.
_TOKEN = re.compile(r"[^\W_]+")
_MAX_TOKEN_BYTES = 40  # tantivy's default RemoveLongFilter


def schema() -> Any:
    """Id, names, all text, and the facet fields."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("name", tokenizer_name="default", index_option="position")
    builder.add_text_field("text", tokenizer_name="default", index_option="position")
    for field in FACET_FIELDS.values():
        builder.add_text_field(field, fast=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def build(jsonl: Path, folder: Path, dataset: str, heap_mb: int = 256) -> int:
    """Index every entity of the JSON lines file; returns the number of documents."""
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(folder))
    writer = index.writer(heap_size=heap_mb * 1024 * 1024, num_threads=2)
    count = 0
    with jsonl.open("rb") as fh:
        for line in fh:
            data = orjson.loads(line)
            props: dict[str, list[str]] = data["properties"]
            names = props.get("name", []) + props.get("alias", []) + props.get("previousName", [])
            values = [v for vs in props.values() for v in vs]
            countries = sorted({c for p in _COUNTRY_PROPS for c in props.get(p, [])})
            writer.add_document(
                tantivy.Document(
                    id=data["id"],
                    name=" ".join(names),
                    text=" ".join(values),
                    schema=data["schema"],
                    datasets=[dataset],
                    countries=countries,
                )
            )
            count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


def query_tokens(text: str) -> list[str]:
    """The query's tokens as tantivy's default tokenizer makes them."""
    return [t for t in _TOKEN.findall(text.lower()) if len(t.encode()) <= _MAX_TOKEN_BYTES]


class RawSearch:
    """Fuzzy name search the way a tantivy user would write it by hand."""

    def __init__(self, folder: Path) -> None:
        self.index = tantivy.Index.open(str(folder))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def query(self, text: str, distance: int = 1) -> Any:
        """Every token must match the name field exactly or within `distance` edits."""
        clauses = []
        for token in query_tokens(text):
            options = [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "name", token)),
                (
                    tantivy.Occur.Should,
                    tantivy.Query.fuzzy_term_query(
                        self.schema, "name", token, distance=distance, transposition_cost_one=True
                    ),
                ),
            ]
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(options)))
        return tantivy.Query.boolean_query(clauses)

    def search(self, text: str, limit: int = 10, facets: bool = True) -> list[str]:
        """Ids of the top hits (stored ids are read, as a UI would); facets optional."""
        query = self.query(text)
        searcher = self.searcher
        result = searcher.search(query, limit=limit, count=True)
        ids = [str(searcher.doc(address).get_first("id")) for _, address in result.hits]
        if facets:
            spec = {
                name: {"terms": {"field": field, "size": 50}}
                for name, field in FACET_FIELDS.items()
            }
            searcher.aggregate(query, spec)
        return ids
