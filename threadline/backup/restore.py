"""Restoring a backup into a data directory: checked first, then put in place whole.

Every file is checked against the manifest before anything is written; the files are
copied into a hidden folder beside the data directory (each hashed again as it is
copied) and the folder is renamed into place. A data directory that holds anything is
refused unless the caller forces the restore, which replaces it. The second
checkpoint place, if the settings name one, must be new or empty: the old one
remembers entries that the restored log no longer has.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from threadline.backup.errors import BackupError
from threadline.backup.files import copy_file, is_empty, staging, swap_in
from threadline.backup.layout import AUDIT_FILE, CONFIG_DIR, SECOND_PLACE, STORE_FILE, Layout
from threadline.backup.manifest import Manifest, check, safe_path


@dataclass(frozen=True)
class Restored:
    """A restore done: the backup's manifest, and its config file if it had one."""

    manifest: Manifest
    config: Path | None  # the backed-up config file, left in the backup


def restore_backup(source: Path, layout: Layout, *, force: bool = False) -> Restored:
    """Put the backup in `source` in place as `layout`'s data directory."""
    source = source.expanduser().resolve()
    target = layout.data_dir
    if source == target or target in source.parents or source in target.parents:
        raise BackupError(f"{source}: a backup cannot be restored into or around itself")
    manifest = check(source)
    if not force and not is_empty(target):
        raise BackupError(
            f"{target}: the data directory is not empty; restore into a new one, "
            "or use --force to replace it"
        )
    if layout.second is not None and not is_empty(layout.second):
        raise BackupError(
            f"{layout.second}: the second checkpoint place is not empty; its checkpoints "
            "sign entries the backup does not hold. Name a new place with --checkpoint-dir"
        )
    if (layout.store_db, layout.audit_db) != (target / STORE_FILE, target / AUDIT_FILE):
        raise BackupError(
            "restore writes the data directory's own store and audit log: unset "
            "THREADLINE_STORE_URL and THREADLINE_AUDIT_URL (or their config entries)"
        )
    entries = [PurePosixPath(f.path) for f in manifest.files]
    second = SECOND_PLACE if any(p.parts[0] == SECOND_PLACE for p in entries) else None
    stage = staging(target, "restore")
    second_stage = staging(layout.second, "restore") if layout.second is not None else None
    try:
        for entry in manifest.files:
            parts = PurePosixPath(entry.path).parts
            if parts[0] == CONFIG_DIR:
                continue
            if parts[0] == SECOND_PLACE:
                where = second_stage
                parts = parts[1:]
            else:
                where = stage
            if where is None:
                continue  # no second place now: the backup keeps its copy
            copied = copy_file(safe_path(source, entry.path), where.joinpath(*parts))
            if copied != (entry.size, entry.sha256):
                raise BackupError(f"{source / entry.path}: changed while it was restored")
        if second_stage is not None and second is None:
            # The backup had no second place: start it from the primary checkpoints.
            primary = stage / layout.checkpoints.name
            for path in sorted(primary.rglob("*")) if primary.is_dir() else []:
                if path.is_file():
                    copy_file(path, second_stage / path.relative_to(primary))
        if second_stage is not None and layout.second is not None:
            swap_in(second_stage, layout.second)  # it was empty: undone by emptying it
            second_stage = layout.second
        swap_in(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if second_stage is not None:
            shutil.rmtree(second_stage, ignore_errors=True)
        raise
    configs = [safe_path(source, f.path) for f in manifest.files if f.path.startswith(CONFIG_DIR)]
    return Restored(manifest, configs[0] if configs else None)
