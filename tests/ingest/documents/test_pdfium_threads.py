"""pdfium in several threads at once: page images drawn while PDFs are extracted.

pdfium is not thread-safe; without the shared lock this crashed a web test's server
(a segmentation fault in `PdfPage.render`). It runs in a child process, so a crash
fails the test instead of killing the test worker.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys, threading
from pathlib import Path
from threadline.app.pageimage import page_image
from threadline.demo.pdf import pdf_document
from threadline.ingest.documents.pdf import _page_text
from threadline.ingest.documents.pdfium import LOCK
import pypdfium2

folder = Path(sys.argv[1])
pdf = folder / "many.pdf"
pdf.write_bytes(pdf_document([[f"page {n} " * 40] * 30 for n in range(12)]))
failures = []

def draw(worker):
    try:
        for page in range(1, 13):
            png = page_image(pdf, f"{worker:02d}" + "0" * 62, page, folder / f"cache{worker}", "many.pdf")
            assert png.png.startswith(b"\\x89PNG")
    except Exception as error:
        failures.append(repr(error))

class Ctx:
    ocr = None
    failed_scans = {}
    on_scan = None
    def read_scan(self, image):
        return None

def read(worker):
    try:
        for _ in range(3):
            with LOCK:
                document = pypdfium2.PdfDocument(str(pdf))
            try:
                for index in range(12):
                    text, scan = _page_text(Ctx(), None, document, index + 1)
                    assert text and "page" in text and not scan
            finally:
                with LOCK:
                    document.close()
    except Exception as error:
        failures.append(repr(error))

threads = [threading.Thread(target=draw, args=(n,)) for n in range(4)]
threads += [threading.Thread(target=read, args=(n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("failures", failures)
sys.exit(1 if failures else 0)
"""


def test_pages_are_drawn_and_read_in_many_threads_at_once(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr[-2000:])
