"""Tesseract through its library (`documents.tessapi`): the same text as the program
reads in the same image, for grey and colour pages, and a deadline that stops it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from threadline.ingest.documents import ocr, tessapi

from .tesseract import ensure_tesseract

LINES = [
    "Invoice for consulting services rendered",
    "Halcyon Crest Ltd 9900 EUR, due 2026-03-01",
    "Account: DE89 3704 0044 0532 0130 00",
    "the builder's fee (net) & VAT 19%",
]


@pytest.fixture(scope="module", autouse=True)
def tesseract() -> str:
    path = ensure_tesseract()
    if tessapi.engine("eng") is None:
        pytest.skip("libtesseract cannot be loaded here: the program is used instead")
    return path


def page(mode: str, size: int = 40) -> Image.Image:
    """Typed lines on a page, grey or colour, as a scanner makes them."""
    image = Image.new(mode, (1600, 140 + 90 * len(LINES)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    for number, line in enumerate(LINES):
        draw.text((50, 50 + 90 * number), line, fill="black" if mode == "L" else "navy", font=font)
    return image


def program(image: Image.Image, tmp_path: Path) -> str:
    """What the tesseract program writes for the image, as `ocr` used to run it."""
    path = tmp_path / "page.pnm"
    image.save(path, format="PPM")
    done = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "eng"],
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_the_library_reads_what_the_program_reads(mode: str, tmp_path: Path) -> None:
    image = page(mode)
    engine = tessapi.engine("eng")
    assert engine is not None
    text = engine.read(image, seconds=60)
    assert text == program(image, tmp_path)
    assert "Halcyon Crest" in text


def test_read_image_gives_the_programs_text(tmp_path: Path) -> None:
    image = page("L", size=36)
    text = ocr.read_image(image, ocr.OcrOptions(cache=tmp_path / "cache"))
    assert text == program(image, tmp_path)
    assert tessapi.version() == ocr._tesseract()[1]  # the library was the one used


def test_a_deadline_stops_the_recognition_and_the_engine_reads_on() -> None:
    engine = tessapi.engine("eng")
    assert engine is not None
    big = page("L").resize((3200, 1400))
    with pytest.raises(tessapi.TimedOut):
        engine.read(big, seconds=0.001)
    assert "consulting services" in engine.read(page("L"), seconds=60)


def test_languages_it_cannot_start_with_leave_the_program_to_say_why() -> None:
    assert tessapi.engine("xyz") is None
