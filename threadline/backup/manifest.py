"""The manifest of a backup: what it holds, each file's size and SHA-256, and when.

`manifest.json` sits at the top of a backup folder. Restore checks every file against
it before writing anything, so a damaged or altered backup is refused whole. The
hashes find damage, not a forger who rewrites the manifest too: the audit log's
signed checkpoints are what prove the log untouched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from threadline.backup.errors import BackupError

FORMAT = "threadline-backup/v1"
MANIFEST = "manifest.json"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    """One file of the backup: its path inside the backup folder, size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a backup holds and the state it captured."""

    created: str
    threadline: str
    source: str
    files: tuple[FileEntry, ...]
    audit_entries: int  # the audit log's size in the snapshot
    audit_root: str  # its Merkle root, signed by the backup's last checkpoint
    audit_verified: str  # what `audit verify` said of the snapshot
    summary: dict[str, Any] = field(default_factory=dict)  # the store's counts
    left_out: dict[str, str] = field(default_factory=dict)  # derived views, and why
    format: str = FORMAT

    def to_json(self) -> bytes:
        """The manifest file's content."""
        data = asdict(self)
        data["files"] = [asdict(f) for f in self.files]
        return json.dumps(data, indent=1, sort_keys=True).encode()

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of a backup folder; `BackupError` naming the problem."""
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise BackupError(f"{folder}: not a threadline backup (no {MANIFEST})") from None
        except (OSError, ValueError) as error:
            raise BackupError(f"{path}: unreadable manifest ({error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(f"{path}: field 'format' is not {FORMAT!r}")
        try:
            files = tuple(
                FileEntry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"]
            )
            return cls(
                created=str(data["created"]),
                threadline=str(data["threadline"]),
                source=str(data["source"]),
                files=files,
                audit_entries=int(data["audit_entries"]),
                audit_root=str(data["audit_root"]),
                audit_verified=str(data["audit_verified"]),
                summary=dict(data.get("summary") or {}),
                left_out=dict(data.get("left_out") or {}),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BackupError(f"{path}: missing or malformed field {error}") from None


def safe_path(folder: Path, name: str) -> Path:
    """`name` inside `folder`, refusing absolute paths and `..` (a manifest could be
    made to point anywhere)."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
        raise BackupError(f"{folder / MANIFEST}: file path {name!r} leaves the backup")
    return folder.joinpath(*parts)


def digest(path: Path) -> tuple[int, str]:
    """A file's size and SHA-256 (hex)."""
    hasher = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return size, hasher.hexdigest()


def check(folder: Path) -> Manifest:
    """The manifest of a backup folder once every file it lists is there, whole and
    unchanged; otherwise `BackupError` naming the first file that is not."""
    manifest = Manifest.read(folder)
    for entry in manifest.files:
        path = safe_path(folder, entry.path)
        if not path.is_file():
            raise BackupError(f"{path}: listed in the manifest but missing")
        size, sha = digest(path)
        if (size, sha) != (entry.size, entry.sha256):
            raise BackupError(
                f"{path}: does not match the manifest (size {size}, expected {entry.size}; "
                "SHA-256 differs)"
                if size != entry.size
                else f"{path}: SHA-256 does not match the manifest (damaged or altered)"
            )
    return manifest
