"""Tesseract for the OCR tests: Debian's `tesseract-ocr` (with English), installed with
apt if it is missing, once, whichever test worker asks first."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def ensure_tesseract() -> str:
    """The tesseract program's path, installing the Debian package if need be."""
    found = shutil.which("tesseract")
    if found is not None:
        return found
    with open(Path(tempfile.gettempdir()) / "threadline-tesseract.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = shutil.which("tesseract")
        if found is not None:
            return found
        apt = shutil.which("apt-get")
        if apt is None:
            pytest.fail("tesseract is missing and apt-get is not available to install it")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update"], check=True, env=env, capture_output=True)
        install = [apt, "install", "-y", "--no-install-recommends", "tesseract-ocr"]
        subprocess.run(install, check=True, env=env, capture_output=True)
    found = shutil.which("tesseract")
    if found is None:
        pytest.fail("apt-get installed tesseract-ocr, but the tesseract program is missing")
    return found
