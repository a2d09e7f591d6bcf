"""HTML and SVG with active content: scripts, handlers, frames and links to the canary
and the listener, and markup built to exhaust a parser (depth, size, entities)."""

from __future__ import annotations

from tests.ingest.hostile.entry import Entry
from tests.ingest.hostile.target import Target

ACTIVE = "HTML and SVG with scripts"
SCRIPT_MARK = "SCRIPTMARK7c2a"  # inside scripts and styles only: HTML text must not hold it


def _active_html(target: Target) -> bytes:
    url, file = target.url, target.file_url
    return f"""<!DOCTYPE html><html><head><title>active page</title>
<base href="{url}/base/"><meta http-equiv="refresh" content="0;url={url}/refresh">
<link rel="stylesheet" href="{file}"><link rel="import" href="{url}/import">
<style>@import url("{url}/style.css"); /* {SCRIPT_MARK} */</style>
<script>fetch("{url}/script"); var x = "{SCRIPT_MARK}";</script>
<script src="{file}"></script></head>
<body onload="fetch('{url}/onload')"><p>visible words</p>
<img src="{url}/img.png" onerror="alert(1)"><iframe src="{file}"></iframe>
<object data="{file}"></object><embed src="{url}/embed">
<a href="javascript:fetch('{url}')">click</a><svg><script>/* {SCRIPT_MARK} */</script></svg>
<form action="{url}/form"><input name="q" value="v"></form></body></html>""".encode()


def _deep(_: Target) -> bytes:
    return b"<html><body>" + b"<div>" * 200_000 + b"deep text" + b"</div>" * 200_000


def _huge_attribute(_: Target) -> bytes:
    return b'<html><body><p title="' + b"A" * (8 << 20) + b'">short</p></body></html>'


def _entities(_: Target) -> bytes:
    return b"<html><body><p>" + b"&amp;&lt;&#x41;&#65;" * 500_000 + b"</p></body></html>"


def _utf7(target: Target) -> bytes:
    return (
        b'<html><head><meta charset="utf-7"></head><body>+ADw-script+AD4-fetch(+ACI-'
        + target.url.encode() + b"+ACI-)+ADw-/script+AD4-</body></html>"
    )  # fmt: skip


def _bogus_charset(_: Target) -> bytes:
    return b'<html><head><meta charset="x-evil-charset"></head><body>\xff\xfe\x00text</body></html>'


def _svg_script(target: Target) -> bytes:
    return f"""<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('{target.url}')">
<script>fetch("{target.url}/svg");</script><text>svg text</text></svg>""".encode()


def _svg_links(target: Target) -> bytes:
    return f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<image xlink:href="{target.file_url}" width="9" height="9"/>
<use xlink:href="{target.url}/sprite.svg#a"/>
<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="{target.file_url}"/>
</foreignObject></svg>""".encode()


def _svg_as_png(target: Target) -> bytes:
    return _svg_script(target).replace(b"svg text", b"an SVG named .png")


MAKERS = [
    Entry("active.html", ACTIVE, _active_html),
    Entry("active.htm", ACTIVE, lambda t: _active_html(t).replace(b"visible", b"shown")),
    Entry("deep-divs.html", ACTIVE, _deep),
    Entry("huge-attribute.html", ACTIVE, _huge_attribute),
    Entry("entities.html", ACTIVE, _entities),
    Entry("utf7.html", ACTIVE, _utf7),
    Entry("bogus-charset.html", ACTIVE, _bogus_charset),
    Entry("nul-bytes.html", ACTIVE, lambda t: b"<html><body>a\0b\0c</body></html>"),
    Entry("script.svg", ACTIVE, _svg_script),
    Entry("links.svg", ACTIVE, _svg_links),
    Entry("svg-named.png", ACTIVE, _svg_as_png),
    Entry("script-only.html", ACTIVE, lambda t: f"<script>{SCRIPT_MARK}</script>".encode()),
]
