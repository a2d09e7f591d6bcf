"""Keys the operator trusts from outside the data directory: fingerprints or PEM files.

Someone who can write the data directory can replace its signing key, rewrite the log
and re-sign it; a verifier that trusts whatever key it finds there sees nothing wrong.
So the operator records the key's fingerprint when the log starts (`threadline audit
init` prints it) and passes it to `verify` by flag, `THREADLINE_AUDIT_TRUSTED_KEY` or
the config file. Several keys (after a rotation) are separated by commas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.keys import fingerprint, key_id, load_public, load_public_keys
from threadline.errors import ConfigError

_HEX = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


@dataclass(frozen=True)
class TrustedKeys:
    """Fingerprints (and keys read from PEM files) that may sign checkpoints."""

    fingerprints: frozenset[str]
    keys: tuple[Ed25519PublicKey, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, spec: str, *, name: str = "trusted key") -> TrustedKeys:
        """Read `sha256:HEX`, bare 64-digit hex, or a PEM file path; comma-separated."""
        prints: set[str] = set()
        keys: list[Ed25519PublicKey] = []
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            if match := _HEX.fullmatch(item.lower()):
                prints.add("sha256:" + match.group(1))
                continue
            path = Path(item).expanduser()
            if not path.is_file():
                raise ConfigError(
                    f"{name} {item!r} is neither a sha256 fingerprint (64 hex digits, "
                    "as `threadline audit init` prints it) nor a public key file"
                )
            public = load_public(path)
            keys.append(public)
            prints.add(fingerprint(public))
        if not prints:
            raise ConfigError(f"{name} is empty")
        return cls(frozenset(prints), tuple(keys))

    def trusts(self, public: Ed25519PublicKey) -> bool:
        """Whether this public key is one the operator recorded."""
        return fingerprint(public) in self.fingerprints

    def select(
        self, candidates: Iterable[Mapping[str, Ed25519PublicKey]]
    ) -> dict[str, Ed25519PublicKey]:
        """The trusted keys among candidates (public keys found anywhere), by key id."""
        found = {key_id(public): public for public in self.keys}
        for keys in candidates:
            for kid, public in keys.items():
                if self.trusts(public):
                    found[kid] = public
        return found


def found_keys(directories: Iterable[Path]) -> list[dict[str, Ed25519PublicKey]]:
    """The public keys in each directory (missing ones give none)."""
    return [load_public_keys(directory) for directory in directories]
