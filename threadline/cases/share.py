"""The signed case bundle one threadline hands another: a zip of JSON files, a manifest
naming each file's sha256, and a detached Ed25519 signature over the manifest.

Layout (docs/sharing.md):

    manifest.json      format, sending instance (id, name, public key), case, recipient,
                       created, and {name: {sha256, size}} of every other file
    manifest.sig       hex of the signature over `SIGNED_PREFIX + manifest.json`
    case.json          the case header, its pins and its notes
    statements.jsonl   one statement per line, with its full provenance and markings
    sources.json       the source files those statements came from
    withheld.json      what the sharing policy kept home: counts and ids, no values
    originals/<sha256> the original file of a shared document, named by its hash

Reading checks everything before anything is returned: the member names, their sizes,
the signature, and every file's hash (an original's also against its name). The caller
decides whether to trust the key.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from threadline.audit.keys import fingerprint, verify_signature
from threadline.cases.errors import CaseError

FORMAT = "threadline.share/1"
# Signatures over a manifest can never be mistaken for checkpoint signatures (same key).
SIGNED_PREFIX = f"{FORMAT}\n".encode()
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CONTENTS = ("case.json", "statements.jsonl", "sources.json", "withheld.json")
MAX_MEMBER_BYTES = 1 << 30  # what one member may unpack to
MAX_MANIFEST_BYTES = 1 << 20
ORIGINALS = "originals/"
_ORIGINAL = re.compile(r"originals/[0-9a-f]{64}")
MAX_ORIGINALS = 10_000  # original files in one bundle


class BundleError(CaseError):
    """A bundle that is malformed, tampered with, or signed by a key not trusted."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Bundle:
    """A bundle's checked contents: the manifest, its signer, and each file's bytes."""

    manifest: dict[str, Any]
    public_key: Ed25519PublicKey
    files: dict[str, bytes]

    @property
    def fingerprint(self) -> str:
        """The signer's key fingerprint, as `threadline case key` prints it."""
        return fingerprint(self.public_key)

    def json(self, name: str) -> Any:
        """One JSON member, parsed."""
        return orjson.loads(self.files[name])

    def lines(self, name: str) -> list[Any]:
        """One JSON-lines member, parsed."""
        return [orjson.loads(line) for line in self.files[name].splitlines() if line.strip()]

    @property
    def originals(self) -> dict[str, bytes]:
        """The original files the bundle carries, by sha256 (checked against it)."""
        return {
            name.removeprefix(ORIGINALS): data
            for name, data in self.files.items()
            if name.startswith(ORIGINALS)
        }


def original_name(sha256: str) -> str:
    """The bundle member of an original file."""
    return ORIGINALS + sha256


def digest(data: bytes) -> str:
    """The hex sha256 of a member's bytes."""
    return hashlib.sha256(data).hexdigest()


Member = bytes | Path  # a member's bytes, or a file to pack as it is (an original)


def _listed(data: Member) -> dict[str, Any]:
    if isinstance(data, Path):
        with data.open("rb") as handle:
            return {
                "sha256": hashlib.file_digest(handle, "sha256").hexdigest(),
                "size": data.stat().st_size,
            }
    return {"sha256": digest(data), "size": len(data)}


def manifest_bytes(header: dict[str, Any], files: dict[str, Member]) -> bytes:
    """The manifest of these files, in a stable byte form (what is signed)."""
    listed = {name: _listed(data) for name, data in files.items()}
    body = {"format": FORMAT, **header, "files": listed}
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)


def write_bundle(path: Path, manifest: bytes, signature: bytes, files: dict[str, Member]) -> Path:
    """Write the zip next to `path`, then move it into place (never half a bundle)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest)
            archive.writestr(SIGNATURE, signature.hex())
            for name, data in files.items():
                if isinstance(data, Path):
                    archive.write(data, name)
                else:
                    archive.writestr(name, data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _read(archive: zipfile.ZipFile, path: Path, name: str, limit: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise BundleError(path, f"{name} is larger than {limit:,} bytes")
    with archive.open(info) as handle:
        data = handle.read(limit + 1)  # the header's size may lie; the bytes cannot
    if len(data) > limit:
        raise BundleError(path, f"{name} is larger than {limit:,} bytes")
    return data


def _public_key(path: Path, manifest: dict[str, Any]) -> Ed25519PublicKey:
    instance = manifest.get("instance")
    pem = instance.get("public_key") if isinstance(instance, dict) else None
    try:
        public = load_pem_public_key(str(pem).encode())
    except ValueError:
        raise BundleError(path, "manifest field instance.public_key is not a PEM key") from None
    if not isinstance(public, Ed25519PublicKey):
        raise BundleError(path, "manifest field instance.public_key is not an Ed25519 key")
    return public


def read_bundle(path: Path) -> Bundle:
    """The bundle at `path`, its signature and every file's hash checked."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BundleError(path, f"not a readable bundle ({error})") from None
    with archive:
        names = archive.namelist()
        originals = {n for n in names if _ORIGINAL.fullmatch(n)}
        expected = {MANIFEST, SIGNATURE, *CONTENTS, *originals}
        if len(names) != len(set(names)) or set(names) != expected:
            odd = sorted(set(names) ^ expected) or ["a duplicate member"]
            raise BundleError(path, f"unexpected or missing files: {', '.join(odd)}")
        if len(originals) > MAX_ORIGINALS:
            raise BundleError(path, f"carries more than {MAX_ORIGINALS:,} original files")
        raw = _read(archive, path, MANIFEST, MAX_MANIFEST_BYTES)
        signature_hex = _read(archive, path, SIGNATURE, 1024)
        try:
            manifest = orjson.loads(raw)
            signature = bytes.fromhex(signature_hex.decode("ascii").strip())
        except (orjson.JSONDecodeError, UnicodeDecodeError, ValueError) as error:
            raise BundleError(path, f"unreadable manifest or signature ({error})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BundleError(path, f"manifest field format is not {FORMAT!r}")
        public = _public_key(path, manifest)
        if not verify_signature(public, signature, SIGNED_PREFIX + raw):
            raise BundleError(path, "the manifest's signature does not verify: refused")
        listed = manifest.get("files")
        if not isinstance(listed, dict) or set(listed) != {*CONTENTS, *originals}:
            raise BundleError(path, "manifest field files does not list the bundle's files")
        files: dict[str, bytes] = {}
        for name in (*CONTENTS, *sorted(originals)):
            data = _read(archive, path, name, MAX_MEMBER_BYTES)
            entry = listed[name]
            found = digest(data)
            if not isinstance(entry, dict) or entry.get("sha256") != found:
                raise BundleError(path, f"{name} does not match its sha256 in the manifest")
            if name in originals and name != original_name(found):
                raise BundleError(path, f"{name} is not named by its own sha256")
            files[name] = data
    return Bundle(manifest, public, files)
