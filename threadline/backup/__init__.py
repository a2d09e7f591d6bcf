"""Backup and restore of a data directory: a consistent snapshot while the server runs."""

from threadline.backup.errors import BackupError
from threadline.backup.layout import LEFT_OUT, Layout
from threadline.backup.manifest import FileEntry, Manifest, check
from threadline.backup.restore import Restored, restore_backup
from threadline.backup.snapshot import make_backup

__all__ = [
    "LEFT_OUT",
    "BackupError",
    "FileEntry",
    "Layout",
    "Manifest",
    "Restored",
    "check",
    "make_backup",
    "restore_backup",
]
