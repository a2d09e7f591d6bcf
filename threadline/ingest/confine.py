"""Where ingest may read: the folder a caller allows, and never the data directory.

A mapping names the files it reads (`csv_url`), and on a server the mapping comes from
a client. Every such name is checked here, in ingest itself, so that no caller (API,
web upload, CLI, library) can forget it: the name must be a plain relative or absolute
file path (no URL, scheme, NUL or Windows separator), and the file it reaches, after
every symlink is followed, must lie inside the allowed folder and outside the data
directory's own files (store, audit log, keys). The refusal reads the same whether or
not the file exists, so it tells nothing about the server's disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from threadline.errors import InputError

# A scheme (`file:`, `http:`) or a Windows drive (`C:`) before any slash.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
MAX_NAME_CHARS = 1024


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


@dataclass(frozen=True)
class Confinement:
    """The folder ingest may read inside (None: anywhere), and folders it never reads."""

    root: Path | None = None
    forbidden: tuple[Path, ...] = ()

    @classmethod
    def of(cls, root: Path | None, data_dir: Path | None) -> Confinement:
        """Confinement to `root` (resolved), with the data directory always off limits."""
        forbidden = (data_dir.resolve(),) if data_dir is not None else ()
        return cls(root.resolve() if root is not None else None, forbidden)

    def allows(self, path: Path) -> bool:
        """Whether a resolved path may be read."""
        if self.root is not None and not _inside(path, self.root):
            return False
        # The allowed folder may itself lie in the data directory (server uploads).
        within_root = self.root is not None and _inside(path, self.root)
        return within_root or not any(_inside(path, f) for f in self.forbidden)

    def check_path(self, path: Path) -> Path:
        """The resolved path of a file given to ingest; InputError if it may not be read."""
        resolved = _resolve(path, str(path))
        if not self.allows(resolved):
            raise InputError(path, self._refusal())
        return resolved

    def check_name(self, mapping: Path, name: object, line: int | None) -> Path:
        """The resolved path of a file a mapping names, relative to the mapping's folder."""
        if not isinstance(name, str):
            raise InputError(mapping, f"csv_url must be a file name, not {name!r}", line)
        problem = _name_problem(name)
        if problem is not None:
            raise InputError(mapping, f"csv_url {_shown(name)}: {problem}", line)
        resolved = _resolve(mapping.parent / name, name)
        if not self.allows(resolved):
            raise InputError(mapping, f"csv_url {_shown(name)}: {self._refusal()}", line)
        return resolved

    def _refusal(self) -> str:
        if self.root is not None:
            return "is outside the folder this ingest may read"
        return "is inside threadline's own data directory"


def _shown(name: str) -> str:
    return repr(name if len(name) <= 80 else name[:80] + "…")


def _name_problem(name: str) -> str | None:
    if not name.strip():
        return "is empty"
    if len(name) > MAX_NAME_CHARS:
        return f"is longer than {MAX_NAME_CHARS} characters"
    if "\x00" in name:
        return "contains a NUL character"
    if "\\" in name:
        return "uses a backslash; write paths with '/'"
    if _SCHEME.match(name) or "://" in name:
        return "must be a file path, not a URL"
    return None


def _resolve(path: Path, shown: str) -> Path:
    """The absolute path with every symlink followed; never raises for a missing file."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError) as exc:
        raise InputError(shown, f"cannot be read: {exc.__class__.__name__}") from None
