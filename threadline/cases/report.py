"""The evidence bundle as one self-contained HTML page: no scripts, no external assets.

Every value is escaped with `html.escape`, note text included, so a payload in the
data renders as text. Every citation in a note becomes a link to an anchor in the
page, and every anchor a citation can point at is written, available or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from threadline.cases.bundle import anchor
from threadline.cases.chartimage import chart_html
from threadline.cases.citation import STATEMENT, iter_citations

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1,h2{line-height:1.2} .meta{color:#555} .note{border-left:3px solid #888;padding:.2rem 1rem;margin:1rem 0}
.text{white-space:pre-wrap} table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{width:11rem;background:#f4f4f4} code{word-break:break-all} :target{outline:3px solid #e90}
h1,h2,h3,td,.text{overflow-wrap:anywhere} img{max-width:100%;height:auto}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def note_html(text: str) -> str:
    """A note's text, escaped, with each citation turned into a link to its anchor."""
    parts: list[str] = []
    last = 0
    for start, end, kind, target in iter_citations(text):
        parts.append(_e(text[last:start]))
        parts.append(
            f'<a class="cite" href="#{anchor(kind, target)}">[{_e(kind)}:{_e(target)}]</a>'
        )
        last = end
    parts.append(_e(text[last:]))
    return "".join(parts)


def _rows(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in pairs)


def _statement(s: dict[str, Any]) -> str:
    source = s["source"]
    table = _rows(
        [
            ("statement id", s["id"]),
            ("entity", s["entity_id"]),
            ("schema", s["schema"]),
            ("property", s["prop"]),
            ("value", s["value"]),
            ("original value", s["original_value"]),
            ("dataset", s["dataset"]),
            ("markings", ", ".join(s.get("markings", [])) or "none"),
            ("source file", source.get("name") or "(not recorded)"),
            ("sha256", source["sha256"]),
            ("row / location", s["location"]),
            ("first seen", s["first_seen"]),
            ("last seen", s["last_seen"]),
        ]
    )
    return f'<section id="{_e(s["anchor"])}"><h3>{_e(s["prop"])}: {_e(s["value"])}</h3><table>{table}</table></section>'


def _statement_link(statement_id: str, present: set[str]) -> str:
    if statement_id in present:
        return f'<a href="#{anchor(STATEMENT, statement_id)}"><code>{_e(statement_id)}</code></a>'
    return f"<code>{_e(statement_id)}</code>"


def _timeline_row(item: dict[str, Any], present: set[str]) -> str:
    """One dated fact: its date or period, what it is in words, and its sources."""
    when = _e(item["date"])
    if item.get("end"):
        when = f"{when} to {_e(item['end'])}"
    elif item.get("prop") == "startDate":
        when = f"since {when}"
    links = [_statement_link(item["statement_id"], present)]
    if item.get("end_statement_id"):
        links.append(_statement_link(item["end_statement_id"], present))
    where = item.get("file") or "(file not recorded)"
    if item.get("location") is not None:
        where = f"{where}, row {item['location']}"
    label = item.get("label") or item["prop"]
    return (
        f"<tr><th>{when}</th><td>{_e(label)} <code>{_e(item['entity_id'])}</code> "
        f"{_e(item['prop'])} ({_e(item['dataset'])}; {_e(where)}) {' '.join(links)}</td></tr>"
    )


def _page(p: dict[str, Any]) -> str:
    """A cited document page: its excerpt and its file by name and sha256, or why it
    is not in the bundle."""
    where = f"page {p['page']}" if p.get("page") is not None else "whole document"
    if p["state"] != "ok":
        return (
            f'<section id="{_e(p["anchor"])}"><p><code>{_e(p["ref"])}</code> ({_e(where)}): '
            "not in this bundle (erased, or outside the exporter's access)</p></section>"
        )
    table = _rows(
        [
            ("document", p["document_id"]),
            ("page", p.get("page") if p.get("page") is not None else "(whole document)"),
            ("source file", p["file"]["name"] or "(not recorded)"),
            ("sha256", p["file"]["sha256"] or "(not recorded)"),
            ("dataset", p["dataset"]),
            ("markings", ", ".join(p.get("markings", [])) or "none"),
        ]
    )
    return (
        f'<section id="{_e(p["anchor"])}"><h3>{_e(p["caption"])}, {_e(where)}</h3>'
        f'<table>{table}</table><blockquote class="text">{_e(p["excerpt"])}</blockquote></section>'
    )


def render_html(bundle: dict[str, Any]) -> str:
    """The bundle (from `build_bundle`) as a complete HTML document."""
    case = bundle["case"]
    present = {s["id"] for s in bundle["statements"]}
    sources = case["sources"] if isinstance(case["sources"], str) else ", ".join(case["sources"])
    members = ", ".join(f"{m['user']} ({m['role']})" for m in case["members"])
    out = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        # Without it a phone lays the report out 980 px wide and shrinks the text.
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Evidence: {_e(case['name'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(case['name'])}</h1>",
        "<table>",
        _rows(
            [
                ("case id", case["id"]),
                ("purpose", case["purpose"]),
                ("opened by", f"{case['created_by']} at {case['created_at']}"),
                ("allowed sources", sources),
                ("members", members),
                ("exported by", f"{bundle['generated_by']} at {bundle['generated_at']}"),
                ("markings", ", ".join(bundle.get("markings", [])) or "none"),
                ("format", bundle["format"]),
            ]
        ),
        "</table><h2>Notes</h2>",
    ]
    for note in bundle["notes"]:
        out.append(
            f'<div class="note" id="note-{_e(note["id"])}"><p class="meta">{_e(note["author"])}, '
            f'{_e(note["created_at"])}</p><div class="text">{note_html(note["text"])}</div></div>'
        )
    if bundle.get("pages"):
        out.append("<h2>Cited document pages</h2>")
        out.extend(_page(p) for p in bundle["pages"])
    out.append("<h2>Statements</h2>")
    out.extend(_statement(s) for s in bundle["statements"])
    if bundle["unavailable"]:
        out.append("<h2>Unavailable statements</h2>")
        for item in bundle["unavailable"]:
            out.append(
                f'<section id="{_e(item["anchor"])}"><p><code>{_e(item["id"])}</code>: not in '
                "this bundle (erased, or outside the exporter's access)</p></section>"
            )
    if bundle["entities"]:
        out.append("<h2>Entities</h2>")
        for entity in bundle["entities"]:
            links = ", ".join(_statement_link(sid, present) for sid in entity["statements"])
            out.append(
                f'<section id="{_e(entity["anchor"])}"><h3><code>{_e(entity["id"])}</code></h3>'
                f"<p>{links or 'No statements of this entity are in the bundle.'}</p></section>"
            )
    if bundle["pins"]:
        out.append("<h2>Pinned entities</h2><table>")
        out.append(
            _rows(
                (p["entity_id"], f"{p['comment']} ({p['by']}, {p['at']})") for p in bundle["pins"]
            )
        )
        out.append("</table>")
    if bundle["timeline"]:
        out.append("<h2>Timeline</h2><table>")
        for item in bundle["timeline"]:
            out.append(_timeline_row(item, present))
        out.append("</table>")
    if bundle.get("charts"):
        out.append("<h2>Charts</h2>")
        out.extend(chart_html(chart) for chart in bundle["charts"])
    out.append("</body></html>\n")
    return "\n".join(out)
