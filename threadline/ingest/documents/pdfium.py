"""One lock for every call into pdfium, from any thread.

pdfium is not thread-safe (pypdfium2 says so), and a server draws page images in its
request threads while ingest jobs extract PDFs in others: two threads in pdfium at
once crash the process. Every caller opens, reads, renders and closes under `LOCK`,
and does slow work (OCR, PNG encoding) outside it, on copies of what it needs.
"""

from __future__ import annotations

import threading

LOCK = threading.RLock()
