"""Making a backup: a consistent snapshot of a data directory while writers run.

The order is what makes it consistent. The store is copied first, then the audit log:
every change writes a `started` event before it touches the store, so the log copy
holds an event for every change in the store copy (the log may run a little further).
The checkpoints of the log copy's size or less are copied (later ones sign entries
the copy does not have), and the copy's own head is signed with the data directory's
key, so the backup's log verifies on its own. Files are written owner-only into a
hidden folder, hashed into `manifest.json`, and renamed to the destination at the end.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

from threadline.audit import (
    Checkpointer,
    CheckpointPlaces,
    Keyring,
    SQLAuditLog,
    audit_url,
    utc_timestamp,
    verify,
)
from threadline.audit.checkpoint import KEYS_DIR
from threadline.backup.errors import BackupError
from threadline.backup.files import (
    copy_file,
    copy_sqlite,
    fsync_dir,
    is_empty,
    is_sqlite,
    owner_only,
    settle_sqlite,
    staging,
    swap_in,
)
from threadline.backup.layout import CONFIG_DIR, LEFT_OUT, SECOND_PLACE, Layout
from threadline.backup.manifest import MANIFEST, FileEntry, Manifest, digest

# The store's counts in a copy, for the manifest (given by the caller: no store here).
Summarise = Callable[[Path], dict[str, Any]]


def make_backup(
    layout: Layout, dest: Path, summarise: Summarise, *, config: Path | None = None
) -> Manifest:
    """Write a backup of the data directory to `dest` (missing or empty)."""
    dest = dest.expanduser().resolve()
    if not is_empty(dest):
        raise BackupError(f"{dest}: the backup folder must be new or empty")
    if dest == layout.data_dir or layout.data_dir in dest.parents:
        raise BackupError(f"{dest}: a backup cannot go inside the data directory it copies")
    stage = staging(dest, "backup")
    try:
        manifest = _fill(layout, stage, summarise, config)
        (stage / MANIFEST).write_bytes(manifest.to_json())
        (stage / MANIFEST).chmod(0o600)
        fsync_dir(stage)
        swap_in(stage, dest)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return manifest


def _fill(layout: Layout, stage: Path, summarise: Summarise, config: Path | None) -> Manifest:
    created = utc_timestamp()
    for name, path in layout.databases().items():  # the store first, then the log
        copy_sqlite(path, stage / name)
    places = CheckpointPlaces(
        stage / layout.checkpoints.name,
        stage / SECOND_PLACE if layout.second is not None else None,
    )
    log = SQLAuditLog(audit_url(stage), "full")
    try:
        # Checkpoints before keys: a key that signed a copied checkpoint is then copied.
        size = log.size()
        _copy_checkpoints(layout.checkpoints, places.primary, size)
        if layout.second is not None and places.second is not None:
            _copy_checkpoints(layout.second, places.second, size)
        _copy_files(layout, stage)
        keyring = Keyring(stage / layout.keys.name)
        signed = Checkpointer(log, keyring, places).checkpoint()
        report = verify(log, places, keyring.public_keys())
    finally:
        log.close()
    if config is not None and config.is_file():
        copy_file(config, stage / CONFIG_DIR / config.name)
    summary = summarise(stage)
    for path in stage.rglob("*"):
        if path.is_file() and is_sqlite(path):
            settle_sqlite(path)
    owner_only(stage)
    files = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        size_bytes, sha = digest(path)
        files.append(FileEntry(path.relative_to(stage).as_posix(), size_bytes, sha))
    return Manifest(
        created=created,
        threadline=version("threadline"),
        source=str(layout.data_dir),
        files=tuple(files),
        audit_entries=signed.size,
        audit_root=signed.root.hex(),
        audit_verified=report.summary(),
        summary=summary,
        left_out=dict(LEFT_OUT),
    )


def _copy_files(layout: Layout, stage: Path) -> None:
    """Copy every other file of the data directory: keys, model, anything new."""
    for path in sorted(layout.data_dir.rglob("*")):
        relative = PurePosixPath(path.relative_to(layout.data_dir).as_posix())
        if not path.is_file() or not layout.backed_up(relative):
            continue
        target = stage.joinpath(*relative.parts)
        try:
            if is_sqlite(path):
                copy_sqlite(path, target)
            else:
                copy_file(path, target)
        except FileNotFoundError:
            continue  # replaced or removed since the walk saw it (a write in progress)


def _copy_checkpoints(place: Path, target: Path, size: int) -> None:
    """Copy a checkpoint place's files, except those of checkpoints beyond `size`
    entries (files named by a tree size: checkpoints, and anything kept beside them)."""
    if not place.is_dir():
        return
    for path in sorted(place.rglob("*")):
        if not path.is_file() or path.name.endswith(".tmp"):
            continue
        if path.stem.isdigit() and path.parent.name != KEYS_DIR and int(path.stem) > size:
            continue  # it signs (or cosigns) entries the copied log does not hold
        copy_file(path, target / path.relative_to(place))
