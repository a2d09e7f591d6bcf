"""Originals: the bytes of ingested document files, kept by their sha256 in the data
directory, so a page can be drawn and a file handed back as it arrived.

Statements name their source file by its hash and nothing else, so the hash is the
key. A file is copied once (to a staging name, checked, then renamed into place) and
never changed. A file inside another (an e-mail attachment, an archive member) is not
copied at ingest: it is taken out of its container again when first asked for
(`recover`), by the same extractor and limits, and kept from then on.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from followthemoney.proxy import EntityProxy

from threadline.app.pageimage import FOLDER as PAGE_IMAGES
from threadline.ingest.documents.blob import Blob, hash_file
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.limits import DocumentLimits
from threadline.store import Store

FOLDER = "originals"
RECOVER_SECONDS = 120.0  # to find a member again in its container


class Originals:
    """The kept files of one data directory, by content hash."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / FOLDER

    def path(self, sha256: str) -> Path | None:
        """Where the file with this hash is kept, if it is."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            return None  # a hash is the only name that reaches the disk
        found = self.root / sha256[:2] / sha256
        return found if found.is_file() else None

    def keep(self, source: Path, sha256: str) -> Path:
        """Copy a file in (once); refused if its bytes no longer have its hash."""
        kept = self.path(sha256)
        if kept is not None:
            return kept
        folder = self.root / sha256[:2]
        folder.mkdir(parents=True, exist_ok=True)
        staged = folder / f".{sha256}.{secrets.token_hex(4)}"
        try:
            shutil.copyfile(source, staged)
            if hash_file(staged) != sha256:
                raise ValueError(f"{source}: the file changed while it was being ingested")
            os.replace(staged, folder / sha256)  # atomic: never a half-written original
        finally:
            staged.unlink(missing_ok=True)
        return folder / sha256

    def keep_bytes(self, data: bytes) -> Path:
        """Keep bytes taken out of a container; the name is their hash."""
        sha256 = hashlib.sha256(data).hexdigest()
        kept = self.path(sha256)
        if kept is not None:
            return kept
        folder = self.root / sha256[:2]
        folder.mkdir(parents=True, exist_ok=True)
        staged = folder / f".{sha256}.{secrets.token_hex(4)}"
        try:
            staged.write_bytes(data)
            os.replace(staged, folder / sha256)
        finally:
            staged.unlink(missing_ok=True)
        return folder / sha256


def forget_originals(store: Store, data_dir: Path) -> int:
    """After an erasure: delete every kept file no source or document in the store
    names any more (the erased files), and every cached page image. Returns the
    number of files deleted."""
    named = {s.sha256 for s in store.sources()}
    for batch in store.iter_batches(props=("contentHash",)):
        named.update(
            value for _id, _schema, prop, _type, value, _ds in batch if prop == "contentHash"
        )
    shutil.rmtree(data_dir / PAGE_IMAGES, ignore_errors=True)  # drawn from erased files too
    root = Originals(data_dir).root
    deleted = 0
    for kept in root.glob("*/*") if root.is_dir() else ():
        if kept.name not in named:
            kept.unlink(missing_ok=True)
            deleted += 1
    return deleted


class _Finder(Extraction):
    """An extraction that watches its containers' members go by for one hash."""

    wanted: str = ""
    found: bytes | None = None

    def child(
        self, parent: EntityProxy, parent_blob: Blob, path: str, data: bytes
    ) -> Iterator[EntityProxy]:
        if self.found is None and hashlib.sha256(data).hexdigest() == self.wanted:
            self.found = data
        if self.found is not None:
            return iter(())  # found: nothing further needs extracting
        return super().child(parent, parent_blob, path, data)


def recover(originals: Originals, root_sha256: str, root_name: str, wanted: str) -> Path | None:
    """The kept file with hash `wanted`, taking it out of the kept container
    `root_sha256` (at any depth; `root_name` is its file name, which tells its
    format as at ingest) if need be; None if neither is there."""
    kept = originals.path(wanted)
    if kept is not None:
        return kept
    container = originals.path(root_sha256)
    if container is None:
        return None
    ends = time.monotonic() + RECOVER_SECONDS
    finder = _Finder(root_name, DocumentLimits(), ends)
    finder.wanted = wanted
    for _ in finder.document(Blob(root_name, root_name, container)):
        if finder.found is not None:
            break
    return originals.keep_bytes(finder.found) if finder.found is not None else None
