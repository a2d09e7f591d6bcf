"""Hostile spreadsheets and mappings, built small for the tests (and big for measuring).

`python -m tests.ingest.bombs DIR` writes the three inputs of issue 12 at full size.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHUNK = 1 << 20


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """A valid workbook (openpyxl keeps its strings in xl/sharedStrings.xml)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: Iterable[bytes], path: Path) -> Path:
    """Write `data` (an XLSX) to `path` with part `name` replaced by streamed `content`."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        with target.open(name, "w", force_zip64=True) as part:
            for chunk in content:
                part.write(chunk)
    return path


def _repeat(unit: bytes, count: int) -> Iterable[bytes]:
    per_chunk = max(1, CHUNK // len(unit))
    block = unit * per_chunk
    while count >= per_chunk:
        yield block
        count -= per_chunk
    yield unit * count


def huge_string(path: Path, size: int) -> Path:
    """A workbook whose second shared string (cell A2) is `size` bytes of "A"."""
    data = xlsx_bytes([["name"], ["x"]])

    def content() -> Iterable[bytes]:
        yield f'<sst xmlns="{SHEET_NS}"><si><t>name</t></si><si><t>'.encode()
        yield from _repeat(b"A", size)
        yield b"</t></si></sst>"

    return replace_part(data, "xl/sharedStrings.xml", content(), path)


def many_strings(path: Path, count: int) -> Path:
    """A workbook with `count` shared strings (a valid two-row sheet uses two of them)."""
    data = xlsx_bytes([["name"], ["x"]])

    def content() -> Iterable[bytes]:
        yield f'<sst xmlns="{SHEET_NS}"><si><t>name</t></si><si><t>x</t></si>'.encode()
        yield from _repeat(b"<si><t>a</t></si>", count)
        yield b"</sst>"

    return replace_part(data, "xl/sharedStrings.xml", content(), path)


def sheet_xml(rows: str, dimension: str | None = None) -> bytes:
    """A worksheet part with the given `<row>` elements (cells as inline strings)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{SHEET_NS}">{dim}<sheetData>{rows}</sheetData></worksheet>'.encode()


def inline_row(number: int, *values: str) -> str:
    """A `<row>` of inline-string cells from column A on."""
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def with_sheet(path: Path, sheet: bytes) -> Path:
    """A workbook whose first sheet is `sheet`."""
    return replace_part(xlsx_bytes([["name"]]), "xl/worksheets/sheet1.xml", [sheet], path)


def alias_bomb(path: Path, depth: int = 9, width: int = 9) -> Path:
    """A mapping YAML (about 1.6 KB) whose nested aliases make `width**depth` literal
    countries, each of them unclean ("Niedlerlande"), next to a one-row CSV."""
    (path.parent / "bomb.csv").write_text("name\nACME\n", encoding="utf-8")
    level = "&a0 [" + ", ".join(["Niedlerlande"] * width) + "]"
    for k in range(1, depth):
        level = f"&a{k} [{level}, " + ", ".join([f"*a{k - 1}"] * (width - 1)) + "]"
    path.write_text(
        "bomb:\n  queries:\n    - csv_url: bomb.csv\n      entities:\n        company:\n"
        "          schema: Company\n          keys: [name]\n          properties:\n"
        "            name: {column: name}\n"
        f"            jurisdiction: {{literals: {level}}}\n",
        encoding="utf-8",
    )
    return path


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    huge_string(folder / "huge-string.xlsx", 1 << 30)
    many_strings(folder / "many-strings.xlsx", 30_000_000)
    alias_bomb(folder / "aliases.yml")
    for item in sorted(folder.iterdir()):
        print(f"{item.name}: {item.stat().st_size:,} bytes")
