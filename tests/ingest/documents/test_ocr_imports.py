"""An extraction process that reads scans does not load numpy and pandas, which
pytesseract imports when they are installed and OCR here never uses (issue 14)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

SCRIPT = """
import sys
from threadline.ingest.documents import ocr
loaded = set(sys.modules)
ocr._tesseract()
print(sorted(name for name in ("numpy", "pandas") if name in set(sys.modules) - loaded))
"""


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs the tesseract program")
def test_reading_scans_in_a_one_thread_process_loads_no_numpy_or_pandas() -> None:
    pytest.importorskip("pytesseract")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
