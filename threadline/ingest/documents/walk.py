"""Folders given to ingest, walked into the files they hold."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from threadline.errors import InputError


@dataclass(frozen=True)
class Found:
    """A file to ingest, and where it was found: `folder` is None for a file given by
    name; for a file found in a folder, its path relative to that folder is recorded."""

    path: Path
    folder: Path | None = None

    @property
    def relative(self) -> str:
        """The path shown for it: relative to its folder, or its name."""
        if self.folder is None:
            return self.path.name
        return self.path.relative_to(self.folder).as_posix()


def expand_paths(paths: list[Path]) -> list[Found]:
    """The files given, with every folder replaced by the files inside it, recursively,
    in name order. Hidden files and folders (".git", ".DS_Store") are left out, and
    symbolic links to folders are not followed (a link loop cannot trap the walk)."""
    found: list[Found] = []
    for path in paths:
        if not path.is_dir():
            found.append(Found(path))
            continue
        before = len(found)
        for root, folders, files in os.walk(path, followlinks=False):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    found.append(Found(Path(root) / name, path))
        if len(found) == before:
            raise InputError(path, "is a folder with no files to ingest")
    return found
