"""Writes signed checkpoints of a log when the policy says one is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from threadline.audit.checkpoint import Checkpoint, CheckpointPlaces, CheckpointPolicy, parse_time
from threadline.audit.errors import AuditError
from threadline.audit.event import utc_timestamp
from threadline.audit.keys import Keyring
from threadline.audit.log import AuditLog
from threadline.audit.merkle import TreeBuilder, extension_proof
from threadline.audit.witness_client import WitnessClient

logger = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class Checkpointer:
    """Signs the log's head into both places, extending the last checkpoint's tree.

    The new root is computed from the last checkpoint's compact tree plus the entries
    added since, re-hashed from their data. It must equal the log's own head: if an
    older row was changed behind the log's back, this refuses to sign rather than
    bless the change. With a witness, each new checkpoint is sent to be cosigned; a
    witness that cannot be reached or refuses is logged (and `unwitnessed` says why)
    but blocks nothing: the checkpoint is kept locally and the next one catches up.
    """

    def __init__(
        self,
        log: AuditLog,
        keyring: Keyring,
        places: CheckpointPlaces,
        policy: CheckpointPolicy | None = None,
        clock: Callable[[], datetime] = _now,
        witness: WitnessClient | None = None,
        fresh: Callable[[], bool] | None = None,
    ) -> None:
        self.log = log
        self.keyring = keyring
        self.places = places
        self.policy = policy or CheckpointPolicy()
        self.clock = clock
        self._last = places.latest()
        self._last_time = parse_time(self._last.time) if self._last else clock()
        self._started = clock()
        self.witness = witness
        # Whether a log with no checkpoint may have one started over it: only if it was
        # empty before this process wrote, else its checkpoints were deleted and a new
        # chain would bless whatever happened to the log meanwhile.
        self.fresh = fresh
        self.unwitnessed: str | None = None

    @property
    def last(self) -> Checkpoint | None:
        """The most recent checkpoint written or found in the primary place."""
        return self._last

    def maybe_checkpoint(self, size: int | None = None) -> Checkpoint | None:
        """Write a checkpoint if the policy says one is due; return it if written.

        `size` is the log's size if the caller knows it (it just appended), which
        saves asking the log."""
        done = self._last.size if self._last else 0
        since = self._last_time if self._last else self._started
        size = self.log.size() if size is None else size
        if not self.policy.due(size - done, self.clock() - since):
            return None
        return self.checkpoint()

    def checkpoint(self) -> Checkpoint:
        """Sign the log's current head now (or return the last one if nothing is new)."""
        last = self._last
        head = self.log.head()
        if last is not None and head.size == last.size and head.root == last.root:
            return last
        if last is None and head.size and self.fresh is not None and not self.fresh():
            raise AuditError(
                f"the audit log has {head.size} entries but no checkpoint (deleted?); "
                "not starting a new chain over them: run verify"
            )
        tree = TreeBuilder(last.size, last.frontier) if last else TreeBuilder()
        if head.size < tree.size:
            raise AuditError(
                f"the audit log has {head.size} entries, fewer than its last checkpoint ({tree.size}); run verify"
            )
        leaves: list[bytes] = []
        for expected, entry in enumerate(self.log.entries(tree.size, head.size), tree.size):
            digest = entry.computed_leaf_hash()
            if entry.index != expected or digest != entry.leaf_hash:
                raise AuditError(
                    f"audit entry {expected} changed before it was checkpointed; run verify"
                )
            leaves.append(digest)
        first = tree.size
        tree.extend(leaves)
        if tree.size != head.size or tree.root() != head.root:
            raise AuditError("the audit log no longer extends its last checkpoint; run verify")
        time = utc_timestamp(self.clock())
        key_id = self.keyring.current_id
        signed_by, signature = self.keyring.sign(
            Checkpoint.message(head.size, head.root, time, key_id)
        )
        checkpoint = Checkpoint(
            head.size, head.root, time, signed_by, signature, first, tuple(leaves), tree.frontier
        )
        self.places.write(checkpoint, self.keyring.current_public_pem())
        self._last = checkpoint
        self._last_time = parse_time(time)
        if self.witness is not None:
            self._witness(checkpoint)
        return checkpoint

    def _witness(self, checkpoint: Checkpoint) -> None:
        assert self.witness is not None
        try:
            self.witness.submit(
                checkpoint,
                self.keyring.current_public_pem(),
                lambda old: self.proof(old, checkpoint),
            )
        except (AuditError, ValueError) as error:
            self.unwitnessed = str(error)
            logger.warning(
                "audit checkpoint %d kept locally, not witnessed: %s", checkpoint.size, error
            )
        else:
            self.unwitnessed = None

    def proof(self, old: int, checkpoint: Checkpoint) -> list[bytes]:
        """The consistency proof from the log's tree of `old` entries to `checkpoint`.

        The old tree comes from the local checkpoint of that size if there is one (its
        frontier), the new leaves from `checkpoint`'s own; whatever is missing is read
        from the log, whose stored hashes the witness then checks through the proof."""
        if old <= 0 or old >= checkpoint.size:
            return []
        found = self.places.get(old)
        if found is not None:
            frontier = found.frontier
        else:
            tree = TreeBuilder()
            tree.extend(entry.leaf_hash for entry in self.log.entries(0, old))
            frontier = tree.frontier
        leaves = list(checkpoint.leaves[max(old - checkpoint.first, 0) :])
        if checkpoint.first > old:
            earlier = [entry.leaf_hash for entry in self.log.entries(old, checkpoint.first)]
            leaves = earlier + leaves
        return extension_proof(old, frontier, leaves)
