"""Where the bytes of tips' files are kept: the data directory's `tips/files`, one
file per sha256, owner-only and never executable. The same bytes sent twice are kept
once. A file is written under a temporary name and renamed into place, so a file
under a hash name is always whole."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

CHUNK = 1 << 20
FOLDER = "tips"


class Vault:
    """Files by sha256 under `root`."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / FOLDER / "files"

    def path(self, sha256: str) -> Path:
        """Where the bytes of this hash are (or would be)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def keep(self, source: Path) -> tuple[str, int]:
        """Move a received file into the vault; its (sha256, size)."""
        sha, size = digest(source)
        target = self.path(sha)
        private_folder(target.parent)
        if target.exists():
            source.unlink()
            return sha, size
        os.chmod(source, 0o600)  # never executable, readable by the server only
        staged = target.with_name(f".{sha}.part")
        shutil.move(source, staged)
        os.replace(staged, target)
        return sha, size

    def place(self, sha256: str, target: Path) -> None:
        """Put a copy of the bytes at `target` (a hard link where the disk allows)."""
        private_folder(target.parent)
        try:
            os.link(self.path(sha256), target)
        except OSError:
            shutil.copyfile(self.path(sha256), target)

    def discard(self, sha256: str) -> bool:
        """Delete the bytes of this hash, if kept; whether they were."""
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True


def digest(path: Path) -> tuple[str, int]:
    """A file's (sha256, size), read in chunks."""
    hashed = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            hashed.update(chunk)
            size += len(chunk)
    return hashed.hexdigest(), size


def private_folder(folder: Path) -> None:
    """Make a folder and any missing parents owner-only (`mkdir` gives the mode to
    the last one only)."""
    for parent in [*reversed(folder.parents), folder]:
        if not parent.exists():
            parent.mkdir(mode=0o700, exist_ok=True)
