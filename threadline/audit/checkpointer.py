"""Writes signed checkpoints of a log when the policy says one is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from threadline.audit.checkpoint import Checkpoint, CheckpointPlaces, CheckpointPolicy, parse_time
from threadline.audit.errors import AuditError
from threadline.audit.event import utc_timestamp
from threadline.audit.keys import Keyring
from threadline.audit.log import AuditLog
from threadline.audit.merkle import TreeBuilder, leaf_hash


def _now() -> datetime:
    return datetime.now(UTC)


class Checkpointer:
    """Signs the log's head into both places, extending the last checkpoint's tree.

    The new root is computed from the last checkpoint's compact tree plus the entries
    added since, re-hashed from their data. It must equal the log's own head: if an
    older row was changed behind the log's back, this refuses to sign rather than
    bless the change.
    """

    def __init__(
        self,
        log: AuditLog,
        keyring: Keyring,
        places: CheckpointPlaces,
        policy: CheckpointPolicy | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.log = log
        self.keyring = keyring
        self.places = places
        self.policy = policy or CheckpointPolicy()
        self.clock = clock
        self._last = places.latest()
        self._last_time = parse_time(self._last.time) if self._last else clock()
        self._started = clock()

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
        tree = TreeBuilder(last.size, last.frontier) if last else TreeBuilder()
        if head.size < tree.size:
            raise AuditError(
                f"the audit log has {head.size} entries, fewer than its last checkpoint ({tree.size}); run verify"
            )
        leaves: list[bytes] = []
        for expected, entry in enumerate(self.log.entries(tree.size, head.size), tree.size):
            digest = leaf_hash(entry.data)
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
        return checkpoint
