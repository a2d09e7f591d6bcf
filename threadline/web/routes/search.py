"""The search page: a query box with its toggles, facets that filter, highlights, pages.

Toggles map onto the workbench's search: *fuzzy* allows typos; *exact* sends the
query as one quoted phrase. Transliteration (Дмитрий = Dmitry) is part of name
matching itself, so it is always on and the page says so instead of faking a switch.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from threadline.web.render import Pages, number
from threadline.web.visitor import Page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_PAGE = 500
FACETS = (
    ("schema", "Type"),
    ("dataset", "Dataset"),
    ("country", "Country"),
    ("doc_type", "Document type"),
    ("sender", "Sender"),
    ("recipient", "Recipient"),
    ("year", "Year"),
)


def year_of(text: str) -> int | None:
    """A year filter from the query string; anything but a year is no filter."""
    text = text.strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= 9999 else None


def phrase(text: str) -> str:
    """The query as one exact phrase (its own quotes dropped)."""
    inner = text.replace('"', " ").strip()
    return f'"{inner}"' if inner else ""


@router.get("/search")
def search(
    web: Page,
    q: str = "",
    schema: str = "",
    dataset: str = "",
    country: str = "",
    doc_type: str = "",
    sender: str = "",
    recipient: str = "",
    year: str = "",
    fuzzy: str = "",
    exact: str = "",
    opts: str = "",
    page: str = "1",
) -> HTMLResponse:
    # A checkbox left unticked is not sent: `opts` says the form was used at all.
    use_fuzzy = bool(fuzzy) if opts else True
    use_exact = bool(exact)
    params: dict[str, str | int | list[str] | None] = {
        "q": q,
        "schema": schema,
        "dataset": dataset,
        "country": country,
        "doc_type": doc_type,
        "sender": sender,
        "recipient": recipient,
        "year": year if year_of(year) else "",
        "opts": "1",
        "fuzzy": "on" if use_fuzzy else None,
        "exact": "on" if use_exact else None,
    }
    pages = Pages(number(page, 1, 1, MAX_PAGE), PAGE_SIZE, 0)
    result = None
    sent = phrase(q) if use_exact else q.strip()
    if sent or any(params[name] for name, _ in FACETS):
        result = web.bench.search(
            sent,
            schema=schema or None,
            dataset=dataset or None,
            country=country or None,
            doc_type=doc_type or None,
            sender=sender or None,
            recipient=recipient or None,
            year=year_of(year),
            limit=PAGE_SIZE,
            offset=pages.offset,
            fuzzy=use_fuzzy and not use_exact,
        )
        pages = Pages(pages.number, PAGE_SIZE, result.total)
    datasets = [] if result is not None else web.bench.datasets()
    filters = [(name, label, params[name]) for name, label in FACETS if params[name]]
    return web.page(
        "search.html",
        q=q,
        sent=sent,
        fuzzy=use_fuzzy,
        exact=use_exact,
        params=params,
        result=result,
        pages=pages,
        facets=FACETS,
        filters=filters,
        datasets=datasets,
    )
