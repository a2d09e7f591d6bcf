"""Reading the log a page at a time: newest first, turned by entry-index cursors.

A page asks for one entry more than it shows, to know whether another page follows
without counting; the total that matches is counted apart.
"""

from __future__ import annotations

from threadline.audit.log import AuditLog, LogEntry
from threadline.audit.query import AuditPage, AuditQuery, Listed


def read_page(
    log: AuditLog,
    query: AuditQuery,
    *,
    limit: int | None = None,
    before: int | None = None,
    after: int | None = None,
) -> AuditPage:
    """The newest `limit` entries answering `query` (all if None), or those just older
    than the `before` cursor, or just newer than `after`; newest first, with the cursors
    of the pages either side and the total that match."""
    more = None if limit is None else limit + 1
    if after is not None and before is None:
        # Newer: the ones just after the cursor, read oldest first.
        found = list(log.select(query, after=after, limit=more, newest_first=False))
        shown = list(reversed(found[:limit]))
        newer = _past(found, limit, shown[0] if shown else None)
        older = shown[-1].index if shown else None
    else:
        found = list(log.select(query, before=before, after=after, limit=more))
        shown = found[:limit]
        older = _past(found, limit, shown[-1] if shown else None)
        newer = shown[0].index if shown and before is not None else None
    listed = [Listed(entry.index, entry.event()) for entry in shown]
    return AuditPage(listed, log.count(query), older, newer)


def _past(found: list[LogEntry], limit: int | None, last: LogEntry | None) -> int | None:
    """The cursor past a page's last entry if more entries follow it, else None."""
    if limit is None or len(found) <= limit or last is None:
        return None
    return last.index
