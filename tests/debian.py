"""Debian programs the tests need (tesseract, java...), installed with apt by the test
set-up when they are missing: once, whichever test worker asks first, under a file lock.
CI starts from a clean machine, and nothing but the project's own files installs them."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def ensure_program(program: str, package: str) -> str:
    """The path of `program`, installing Debian's `package` first if it is missing."""
    found = shutil.which(program)
    if found is not None:
        return found
    with open(Path(tempfile.gettempdir()) / f"threadline-apt-{package}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = shutil.which(program)
        if found is not None:
            return found
        apt = shutil.which("apt-get")
        if apt is None or os.geteuid() != 0:
            pytest.fail(f"{program} is missing, and apt-get cannot install {package} (needs root)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update"], check=True, env=env, capture_output=True)
        install = [apt, "install", "-y", "--no-install-recommends", package]
        subprocess.run(install, check=True, env=env, capture_output=True)
    found = shutil.which(program)
    if found is None:
        pytest.fail(f"apt-get installed {package}, but {program} is still missing")
    return found
