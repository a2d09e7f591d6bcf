"""Verification against trust from outside the data directory: operator keys and a witness.

`verify` alone trusts the keys it is given. This picks them: only the keys whose
fingerprints the operator recorded, if any were named (else every key found in the
data directory, with a note that a rewrite re-signed with that key is undetectable);
and with a witness, its latest cosigned checkpoint is one more tree head the log must
hold, which catches a log cut short or rewritten even when every local checkpoint is gone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from threadline.audit.checkpoint import KEYS_DIR, Checkpoint, CheckpointPlaces
from threadline.audit.errors import AuditError
from threadline.audit.log import AuditLog
from threadline.audit.trust import TrustedKeys, found_keys
from threadline.audit.verify import Problem, VerifyReport, verify
from threadline.audit.witness_client import WitnessClient

UNTRUSTED = (
    "signatures were checked only against the keys found in the data directory: someone "
    "who can write it can rewrite the log and re-sign it undetected. Record the "
    "fingerprint that `threadline audit init` prints and pass it with --trusted-key"
)
NO_WITNESS = (
    "no witness: cutting the log short and deleting the later checkpoints in both places "
    "is not detectable; run `threadline audit witness serve` elsewhere and set its URL"
)


def audit_witness(url: str | None, witness_key: str | None) -> WitnessClient | None:
    """The client of the witness at `url` (None without one), trusting `witness_key` if named."""
    if not url:
        return None
    keys = TrustedKeys.parse(witness_key, name="witness key") if witness_key else None
    return WitnessClient(url, keys)


def audit_anchors(
    trusted_key: str | None, witness_url: str | None, witness_key: str | None
) -> tuple[TrustedKeys | None, WitnessClient | None]:
    """The trusted keys and the witness that `verify_anchored` takes, from their settings."""
    trusted = TrustedKeys.parse(trusted_key) if trusted_key else None
    return trusted, audit_witness(witness_url, witness_key)


def verify_anchored(
    log: AuditLog,
    places: CheckpointPlaces,
    key_dirs: Iterable[Path],
    trusted: TrustedKeys | None = None,
    witness: WitnessClient | None = None,
) -> VerifyReport:
    """Verify the log with keys from the key folders (only trusted ones, if named) and,
    if given, against the witness's latest cosigned checkpoint."""
    notes: list[str] = []
    problems: list[Problem] = []
    candidates = found_keys([*key_dirs, *(place / KEYS_DIR for place in places.all())])
    if trusted is None:
        keys = dict(candidates[0]) if candidates else {}
        notes.append(UNTRUSTED)
    else:
        keys = trusted.select(candidates)
    anchors: list[tuple[str, Checkpoint]] = []
    witnessed: int | None = None
    if witness is None:
        notes.append(NO_WITNESS)
    else:
        try:
            head = witness.latest()
        except AuditError as error:
            problems.append(Problem(None, f"not checked against the witness: {error}"))
        else:
            if head is None:
                notes.append(f"the witness at {witness.url} has cosigned nothing yet")
                witnessed = 0
            else:
                witnessed = head.checkpoint.size
                label = f"the witness's checkpoint (size {witnessed})"
                anchors.append((label, head.checkpoint))
                if not head.trusted:
                    notes.append(
                        "the witness's cosignature was checked against the key it sent; "
                        "name its fingerprint (audit_witness_key) to trust it"
                    )
    report = verify(log, places, keys, anchors)
    if witnessed is not None and report.ok and report.entries > witnessed:
        notes.append(f"{report.entries - witnessed} entries are not yet witnessed")
    return dataclasses.replace(
        report,
        problems=report.problems + tuple(problems),
        notes=report.notes + tuple(notes),
    )
