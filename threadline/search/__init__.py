"""Search: a neutral query object and the SearchIndex interface; tantivy by default."""

from threadline.search.document import IndexDocument, make_document
from threadline.search.index import SearchIndex
from threadline.search.query import Hit, SearchQuery, SearchResult
from threadline.search.registry import open_index

__all__ = [
    "Hit",
    "IndexDocument",
    "SearchIndex",
    "SearchQuery",
    "SearchResult",
    "make_document",
    "open_index",
]
