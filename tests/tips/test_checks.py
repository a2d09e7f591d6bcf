"""The ingest's malicious-file caps at intake: bombs refused by their declared sizes,
nothing unpacked, everything else kept with its kind."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.ingest.documents.limits import DocumentLimits
from threadline.tips import check_file


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that claims a size: its header only (no pixel data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


def test_a_zip_bomb_is_refused_by_its_declared_sizes(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", {"zeros.bin": bytes(4 << 20)})
    with pytest.raises(InputError, match=r"bomb\.zip: .*zip bomb"):
        check_file(bomb, "bomb.zip")
    # The same caps whatever the zip is called: an office file is a zip too.
    with pytest.raises(InputError, match="zip bomb"):
        check_file(bomb, "report.docx")


def test_too_many_members_or_bytes_are_refused(tmp_path: Path) -> None:
    many = _zip(tmp_path / "many.zip", {f"{n}.txt": b"x" for n in range(30)})
    with pytest.raises(InputError, match="holds 30 files, more than the 20 allowed"):
        check_file(many, "many.zip", DocumentLimits(max_members=20))
    big = _zip(tmp_path / "big.zip", {"a.txt": bytes(range(256)) * 400})
    with pytest.raises(InputError, match="expands to 102,400 bytes"):
        check_file(big, "big.zip", DocumentLimits(max_expanded_bytes=100_000))


def test_a_huge_image_is_refused_from_its_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pixels"):
        check_file(_png_header(tmp_path / "huge.png", 20_000, 20_000), "huge.png")
    assert check_file(_png_header(tmp_path / "small.png", 20, 20), "small.png") == "image"


def test_other_files_are_kept_with_their_kind_and_archives_stay_packed(tmp_path: Path) -> None:
    fine = _zip(tmp_path / "fine.zip", {"a.txt": b"hello"})
    assert check_file(fine, "fine.zip") == "zip"
    # A gzip or tar is not opened at intake, however it expands: ingest bounds it later.
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        data = bytes(4 << 20)
        info = tarfile.TarInfo("zeros.bin")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    tgz = tmp_path / "zeros.tar.gz"
    tgz.write_bytes(packed.getvalue())
    assert check_file(tgz, "zeros.tar.gz") == "tar"
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert check_file(broken, "broken.zip") == "zip"  # kept: ingest notes the failure
    text = tmp_path / "note"
    text.write_text("plain words")
    assert check_file(text, "note") == "text"
