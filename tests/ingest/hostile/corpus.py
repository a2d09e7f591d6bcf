"""The whole hostile corpus, written to a folder, with the on-disk tricks (symlinks)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.ingest.hostile import archives, images, mail, markup, pdfs, xmlbombs
from tests.ingest.hostile.entry import REFUSED, Entry
from tests.ingest.hostile.target import Target

SYMLINKS = "symlinks"
CONTROL = "control"
CONTROL_TOKEN = "harmlesscontroltoken"  # a benign file's word: search must still find it

MAKERS: list[Entry] = [
    *archives.MAKERS,
    *xmlbombs.MAKERS,
    *images.MAKERS,
    *pdfs.MAKERS,
    *markup.MAKERS,
    *mail.MAKERS,
    Entry("control.txt", CONTROL, lambda t: f"A benign note: {CONTROL_TOKEN}.\n".encode()),
]


def _symlinks(folder: Path, target: Target) -> list[Entry]:
    """Links in the folder that lead out of it (to the canary, to its folder, nowhere, in
    a loop) and a named pipe."""
    links = folder / "links"
    links.mkdir()
    (links / "to-canary.txt").symlink_to(target.canary)
    (links / "to-canary-relative.txt").symlink_to(os.path.relpath(target.canary, links))
    (links / "dangling.pdf").symlink_to(links / "missing.pdf")
    (links / "loop-a.txt").symlink_to(links / "loop-b.txt")
    (links / "loop-b.txt").symlink_to(links / "loop-a.txt")
    (links / "chain.txt").symlink_to(links / "to-canary.txt")
    os.mkfifo(links / "pipe.txt")  # opening it to read would block for ever
    # Links to folders are not walked (so they have no report of their own).
    (links / "to-outside-dir").symlink_to(target.canary.parent, target_is_directory=True)
    (links / "to-self-dir").symlink_to(links, target_is_directory=True)
    names = sorted(p.name for p in links.iterdir() if not p.name.endswith("-dir"))
    return [Entry(f"links/{name}", SYMLINKS, None, REFUSED) for name in names]


def build(folder: Path, target: Target) -> list[Entry]:
    """Write every hostile file into `folder` (which must exist); the entries written."""
    for entry in MAKERS:
        assert entry.make is not None
        (folder / entry.name).write_bytes(entry.make(target))
    return [*MAKERS, *_symlinks(folder, target)]
