"""The checkpoint signing keys: one current Ed25519 key, and every public key ever used.

Rotation makes a new private key and discards the old one (a leaked old key can then
sign nothing new), but keeps its public key, so checkpoints it signed still verify.
Layout of the key directory:

    signing.pem          the current private key, PKCS#8 PEM, mode 0600
    public/<key_id>.pem  every public key, current and retired
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from threadline.audit.errors import AuditError

PRIVATE_FILE = "signing.pem"
PUBLIC_DIR = "public"


def key_id(public: Ed25519PublicKey) -> str:
    """A short stable name of a public key: the first 16 hex digits of its SHA-256."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def fingerprint(public: Ed25519PublicKey) -> str:
    """What an operator records to trust a key: `sha256:` and the hex of its raw bytes' hash."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def public_pem(public: Ed25519PublicKey) -> bytes:
    """A public key as SubjectPublicKeyInfo PEM."""
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _staged(folder: Path, data: bytes) -> Path:
    """`data` in a new file of its own in `folder`, mode 0600 from the start (chmod after
    writing would leave a window), synced; a unique name, so processes never share it."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(name)


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file atomically, readable by its owner only (mode 0600)."""
    private_dir(path.parent)
    os.replace(_staged(path.parent, data), path)


def create_private(path: Path, data: bytes) -> bytes:
    """Write a secret file only if it does not exist, atomically, and return what it
    holds: `data`, or what another process (a second server worker) wrote first. Both
    then use the same secret, where writing each its own would leave one of them with
    a secret no file holds."""
    private_dir(path.parent)
    staged = _staged(path.parent, data)
    try:
        os.link(staged, path)  # fails if the file exists: whoever links first wins
    except FileExistsError:
        return read_private(path)
    finally:
        staged.unlink()
    return data


def private_dir(path: Path) -> Path:
    """Make a folder (and its parents) that only its owner can enter, if missing."""
    missing = [p for p in (path, *path.parents) if not p.is_dir()]
    for folder in reversed(missing):
        # 0700 at creation (umask can only remove bits); existing folders are left as
        # they are, they may be the operator's own.
        folder.mkdir(mode=0o700, exist_ok=True)
    return path


def load_public(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file."""
    try:
        public = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise AuditError(f"{path}: not a readable public key ({error})") from error
    if not isinstance(public, Ed25519PublicKey):
        raise AuditError(f"{path} is not an Ed25519 public key")
    return public


def read_private(path: Path) -> bytes:
    """Read a secret file, refusing one that others can read (as ssh does)."""
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditError(f"{path} is readable by other users; run: chmod 600 {path}")
    return path.read_bytes()


def load_public_keys(directory: Path) -> dict[str, Ed25519PublicKey]:
    """Every `<key_id>.pem` public key in a directory, checked against its name."""
    keys: dict[str, Ed25519PublicKey] = {}
    for path in sorted(directory.glob("*.pem")) if directory.is_dir() else []:
        public = serialization.load_pem_public_key(path.read_bytes())
        if not isinstance(public, Ed25519PublicKey) or key_id(public) != path.stem:
            raise AuditError(f"{path} is not the Ed25519 key its name says")
        keys[path.stem] = public
    return keys


class Keyring:
    """The signing key of one data directory, created on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._private: Ed25519PrivateKey | None = None

    def _key(self) -> Ed25519PrivateKey:
        if self._private is None:
            path = self.directory / PRIVATE_FILE
            self._private = self._load(path) if path.exists() else self._install()
        return self._private

    @staticmethod
    def _load(path: Path) -> Ed25519PrivateKey:
        key = serialization.load_pem_private_key(read_private(path), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise AuditError(f"{path} is not an Ed25519 private key")
        return key

    def _install(self, replace: bool = False) -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.generate()
        public = key.public_key()
        # The public half first: a crash in between leaves a key nobody signed with.
        private_dir(self.directory)
        public_dir = private_dir(self.directory / PUBLIC_DIR)
        (public_dir / f"{key_id(public)}.pem").write_bytes(public_pem(public))
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = self.directory / PRIVATE_FILE
        if replace:
            write_private(path, pem)
            return key
        # Another process may have installed its key first: sign with that one.
        return key if create_private(path, pem) == pem else self._load(path)

    @property
    def current_id(self) -> str:
        """The id of the key that signs new checkpoints."""
        return key_id(self._key().public_key())

    def current_public_pem(self) -> bytes:
        """The current public key, to publish beside checkpoints."""
        return public_pem(self._key().public_key())

    def sign(self, message: bytes) -> tuple[str, bytes]:
        """Sign with the current key; return its id and the signature."""
        key = self._key()
        return key_id(key.public_key()), key.sign(message)

    def rotate(self) -> str:
        """Replace the signing key with a new one; return the new key's id."""
        self._private = self._install(replace=True)
        return self.current_id

    def current_public(self) -> Ed25519PublicKey:
        """The public half of the current key."""
        return self._key().public_key()

    def current_fingerprint(self) -> str:
        """The fingerprint of the current key, for the operator to record."""
        return fingerprint(self._key().public_key())

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """Every public key this keyring ever signed with, by id (none if it never signed:
        reading never makes a key, so a deleted key folder stays visibly empty)."""
        return load_public_keys(self.directory / PUBLIC_DIR)


def verify_signature(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    """Whether `signature` is `public`'s signature of `message`."""
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
