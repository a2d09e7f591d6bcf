"""Salted hashes for erased values: stable per log, different across logs, salt kept secret."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from threadline.audit import AuditError, load_salt, redact
from threadline.audit.redact import SALT_FILE


def test_redact_is_salted_sha256(tmp_path: Path) -> None:
    salt = load_salt(tmp_path)
    assert len(salt) == 32
    expected = hashlib.sha256(salt + "Jürgen Doe".encode()).hexdigest()
    assert redact("Jürgen Doe", salt) == "sha256:" + expected
    assert redact("Jürgen Doe".encode(), salt) == redact("Jürgen Doe", salt)
    assert "Jürgen" not in redact("Jürgen Doe", salt)


def test_salt_is_created_once_and_private(tmp_path: Path) -> None:
    first = load_salt(tmp_path)
    assert load_salt(tmp_path) == first
    assert stat.S_IMODE((tmp_path / SALT_FILE).stat().st_mode) == 0o600
    assert load_salt(tmp_path / "other-log") != first
    assert redact("x", first) != redact("x", load_salt(tmp_path / "other-log"))


def test_damaged_salt_is_refused(tmp_path: Path) -> None:
    load_salt(tmp_path)
    (tmp_path / SALT_FILE).write_bytes(b"short")
    with pytest.raises(AuditError):
        load_salt(tmp_path)
