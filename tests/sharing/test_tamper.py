"""A bundle changed in any way after signing is refused, naming what is wrong; and a
validly signed bundle with a bad field is refused naming the file, line and field."""

from __future__ import annotations

import zipfile
from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.sharing.conftest import Shared
from threadline.app.workbench import Workbench
from threadline.audit.keys import fingerprint, public_pem
from threadline.cases.share import (
    CONTENTS,
    MANIFEST,
    SIGNATURE,
    SIGNED_PREFIX,
    BundleError,
    manifest_bytes,
    write_bundle,
)


def rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of the zip with members replaced (or dropped, for None) or added."""
    with zipfile.ZipFile(source) as archive:
        found = {name: archive.read(name) for name in archive.namelist()}
    for name, data in change.items():
        if data is None:
            found.pop(name)
        else:
            found[name] = data
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in found.items():
            archive.writestr(name, data)
    return target


@pytest.fixture
def bundle(shared: Shared, tmp_path: Path) -> Path:
    return shared.bench.case_share(shared.case_id, tmp_path / "ok.zip", recipient="partner").path


def read(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


@pytest.mark.parametrize("member", [*CONTENTS, MANIFEST, SIGNATURE])
def test_changing_any_file_is_refused(
    member: str, bundle: Path, shared: Shared, receiver: Workbench, tmp_path: Path
) -> None:
    data = read(bundle, member)
    if member == SIGNATURE:
        changed = (b"00" + data[2:]) if not data.startswith(b"00") else (b"11" + data[2:])
    elif member == MANIFEST:
        changed = data.replace(b'"partner"', b'"someone"')
    else:
        changed = data.replace(b"Jane Roe", b"Jane Doe").replace(b"[]", b"[ ]") + b"\n"
    assert changed != data
    bad = rewrite(bundle, tmp_path / "bad.zip", {member: changed})
    with pytest.raises(BundleError) as refused:
        receiver.case_import(bad, trust=shared.bench.case_key().fingerprint)
    assert str(bad) in str(refused.value)
    assert "signature" in str(refused.value) or member in str(refused.value)
    assert receiver.store.count_statements() == 0
    refusals = [e for e in receiver.accountability.events() if e.action == "case.import"]
    assert refusals[-1].outcome.startswith("failed:")  # a refused import is on record


@pytest.mark.parametrize(
    "change",
    [{"extra.txt": b"hello"}, {"withheld.json": None}, {}],
    ids=["extra file", "missing file", "not a zip"],
)
def test_a_bundle_of_the_wrong_shape_is_refused(
    change: dict[str, bytes | None], bundle: Path, receiver: Workbench, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.zip"
    if change:
        rewrite(bundle, bad, change)
    else:
        bad.write_bytes(b"PK not really")
    with pytest.raises(BundleError, match=r"bad\.zip"):
        receiver.case_import(bad)


def test_a_bad_field_in_a_signed_bundle_names_file_line_and_field(
    bundle: Path, receiver: Workbench, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    files = {name: read(bundle, name) for name in CONTENTS}
    lines = files["statements.jsonl"].splitlines()
    broken = orjson.loads(lines[1])
    broken.pop("entity_id")
    files["statements.jsonl"] = b"\n".join([lines[0], orjson.dumps(broken), *lines[2:]])
    header = orjson.loads(read(bundle, MANIFEST))
    header.pop("files")
    header.pop("format")
    header["instance"]["public_key"] = public_pem(key.public_key()).decode()
    manifest = manifest_bytes(header, files)
    path = write_bundle(tmp_path / "odd.zip", manifest, key.sign(SIGNED_PREFIX + manifest), files)
    with pytest.raises(BundleError, match=r"odd.zip: statements.jsonl line 2: field 'entity_id'"):
        receiver.case_import(path, trust=fingerprint(key.public_key()))
    assert receiver.store.count_statements() == 0
