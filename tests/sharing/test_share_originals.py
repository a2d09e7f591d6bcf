"""Original files travel with a shared case: each shared document's own file (an
attachment taken out of its e-mail), checked by its hash on import, and kept by the
receiver so its pages can be drawn there. A container's file, a file under a
withheld marking, and every file with `files=False` stay home, and the bundle says
which and why."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.ingest.documents.makers import email_bytes, pdf_bytes, write, zip_bytes
from tests.sharing.conftest import sender_settings
from tests.sharing.test_share import members
from threadline.app.workbench import Workbench
from threadline.audit.keys import fingerprint, public_pem
from threadline.cases.share import (
    CONTENTS,
    MANIFEST,
    SIGNED_PREFIX,
    BundleError,
    manifest_bytes,
    original_name,
    write_bundle,
)
from threadline.errors import NotFoundError
from threadline.settings import Settings

LEDGER = pdf_bytes(["Cover", "Transfer to Halcyon Crest"])
TERMS = pdf_bytes(["Terms of the consulting agreement"])
SECRET = pdf_bytes(["Our source's notes"])
ARCHIVE = zip_bytes({"inside.txt": b"Something nobody pinned"})


@dataclass
class World:
    sender: Workbench
    case_id: str
    ids: dict[str, str]  # file name -> document id


def _documents(bench: Workbench, dataset: str) -> dict[str, str]:
    return {
        next(r.value for r in rows if r.prop == "fileName"): rows[0].entity_id
        for rows in bench.store.iter_entities(dataset)
        if any(r.prop == "fileName" for r in rows)
    }


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    leak, secret = tmp_path / "leak", tmp_path / "secret"
    write(leak, "ledger.pdf", LEDGER)
    write(leak, "deal.eml", email_bytes("Deal", "See attached", {"terms.pdf": TERMS}))
    write(leak, "bundle.zip", ARCHIVE)
    write(secret, "notes.pdf", SECRET)
    with Workbench(sender_settings(tmp_path / "a")) as bench:
        bench.ingest([leak], "leak")
        bench.ingest([secret], "secret")
        bench.mark("secret", "no-share")
        ids = {**_documents(bench, "leak"), **_documents(bench, "secret")}
        case = bench.case_create("Ledger", "follow the transfer", "leak,secret")
        for name in ("ledger.pdf", "terms.pdf", "bundle.zip", "notes.pdf"):
            bench.case_pin(case.id, ids[name])
        yield World(bench, case.id, ids)


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Workbench]:
    with Workbench(Settings(data_dir=tmp_path / "b", instance_name="Desk B")) as bench:
        yield bench


def test_documents_files_travel_and_open_on_the_receiver(
    world: World, receiver: Workbench, tmp_path: Path
) -> None:
    sender = world.sender
    report = sender.case_share(world.case_id, tmp_path / "case.zip", recipient="partner")
    assert report.files == 2
    packed = members(report.path)
    originals = {n: d for n, d in packed.items() if n.startswith("originals/")}
    assert sorted(originals.values()) == sorted([LEDGER, TERMS])  # the attachment alone
    assert SECRET not in b"".join(packed.values())  # withheld by its marking
    home = {f["entity_id"]: f["reason"] for f in report.withheld["files"]}
    assert list(home) == [world.ids["bundle.zip"]]
    assert "archive or folder" in home[world.ids["bundle.zip"]]
    assert orjson.loads(packed["withheld.json"])["files"] == report.withheld["files"]
    share = [e for e in sender.accountability.events() if e.action == "case.share"][-1]
    assert "files=2" in (share.detail or "")

    done = receiver.case_import(report.path, trust=sender.case_key().fingerprint)
    assert done.files == 2
    for name, data in (("ledger.pdf", LEDGER), ("terms.pdf", TERMS)):
        assert receiver.document_file(world.ids[name]).path.read_bytes() == data
    assert receiver.document_view(world.ids["ledger.pdf"]).drawable
    assert receiver.document_page(world.ids["ledger.pdf"], 2).png.startswith(b"\x89PNG")
    with pytest.raises(NotFoundError):
        receiver.document_file(world.ids["bundle.zip"])


def test_no_files_packs_none(world: World, tmp_path: Path) -> None:
    report = world.sender.case_share(world.case_id, tmp_path / "c.zip", files=False)
    assert report.files == 0
    assert not [n for n in members(report.path) if n.startswith("originals/")]


def _signed(bundle: Path, target: Path, originals: dict[str, bytes]) -> tuple[Path, str]:
    """The bundle's contents with these originals, signed by a new key."""
    key = Ed25519PrivateKey.generate()
    packed = members(bundle)
    files: dict[str, bytes | Path] = {name: packed[name] for name in CONTENTS}
    files.update(originals)
    header = orjson.loads(packed[MANIFEST])
    for field in ("files", "format"):
        header.pop(field)
    header["instance"]["public_key"] = public_pem(key.public_key()).decode()
    manifest = manifest_bytes(header, files)
    path = write_bundle(target, manifest, key.sign(SIGNED_PREFIX + manifest), files)
    return path, fingerprint(key.public_key())


def test_an_original_must_be_named_by_its_hash_and_belong_to_a_document(
    world: World, receiver: Workbench, tmp_path: Path
) -> None:
    sent = world.sender.case_share(world.case_id, tmp_path / "ok.zip", recipient="partner")
    ledger = next(n for n, d in members(sent.path).items() if d == LEDGER)
    swapped, key = _signed(sent.path, tmp_path / "swapped.zip", {ledger: SECRET})
    with pytest.raises(BundleError, match=r"swapped\.zip: originals/.* not named by its own"):
        receiver.case_import(swapped, trust=key)
    stray = original_name(hashlib.sha256(SECRET).hexdigest())
    extra, key = _signed(sent.path, tmp_path / "extra.zip", {stray: SECRET})
    with pytest.raises(BundleError, match=r"extra\.zip: originals/.*no shared document"):
        receiver.case_import(extra, trust=key)
    assert receiver.store.count_statements() == 0
