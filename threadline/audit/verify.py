"""Checks a log against its signed checkpoints and names the first bad entry.

One pass over the log: every entry's index must follow the last, its stored leaf hash
must match its data, and at each checkpoint the tree must have the signed root. The
checkpoints' own leaf hashes, once their root authenticates them, say exactly which
entry differs; and they chain from one checkpoint to the next, which checks that
successive checkpoints are consistent even where the log is damaged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.checkpoint import Checkpoint, CheckpointPlaces
from threadline.audit.log import AuditLog
from threadline.audit.merkle import TreeBuilder


@dataclass(frozen=True)
class Problem:
    """One finding; `index` is the first bad entry it implies, if it implies one."""

    index: int | None
    message: str


@dataclass(frozen=True)
class VerifyReport:
    """What verification found: ok only if there is no problem at all."""

    entries: int
    checkpoints: int
    signed: int
    first_bad_index: int | None
    problems: tuple[Problem, ...]
    # Entries after the last signed checkpoint: nothing protects them yet.
    unsigned: int = 0
    # What the check could not rule out (untrusted keys, no witness), for people.
    notes: tuple[str, ...] = field(default=())
    # The Merkle root of the first `signed` entries, which the checkpoints vouch for.
    root: bytes = b""

    @property
    def ok(self) -> bool:
        """Whether the log and every checkpoint verified."""
        return not self.problems

    def summary(self) -> str:
        """One line for people: ok with counts, or the first problem."""
        if self.ok:
            return (
                f"ok: {self.entries} entries, {self.checkpoints} checkpoints, {self.signed} signed"
            )
        first = next((p for p in self.problems if p.index == self.first_bad_index), None)
        return (first or self.problems[0]).message


class _Reader:
    """Reads the log once, in order, stopping at the first bad entry."""

    def __init__(self, log: AuditLog) -> None:
        self._entries = log.entries()
        self.position = 0
        self.bad: Problem | None = None

    def fail(self, index: int, message: str) -> None:
        if self.bad is None or index < (self.bad.index or 0):
            self.bad = Problem(index, message)

    def read(self, end: int | None, covered_by: str = "") -> list[bytes]:
        hashes: list[bytes] = []
        while self.bad is None and (end is None or self.position < end):
            entry = next(self._entries, None)
            pos = self.position
            if entry is None:
                if end is not None:
                    self.fail(
                        pos, f"truncated: log has {pos} entries but {covered_by} covers {end}"
                    )
                break
            if entry.index != pos:
                found = "is missing" if entry.index > pos else f"is followed by index {entry.index}"
                self.fail(pos, f"entry {pos}: {found} (removed, inserted or renumbered)")
            elif entry.computed_leaf_hash() != entry.leaf_hash:
                self.fail(pos, f"entry {pos}: stored leaf hash does not match its data")
            else:
                hashes.append(entry.leaf_hash)
                self.position += 1
        return hashes


def verify(
    log: AuditLog,
    places: CheckpointPlaces,
    keys: Mapping[str, Ed25519PublicKey],
    anchors: Sequence[tuple[str, Checkpoint]] = (),
) -> VerifyReport:
    """Verify a log against the checkpoints in both places, reporting missing copies."""
    found = {place: places.read(place) for place in places.all()}
    problems: list[Problem] = []
    if log.size():
        for place in [place for place in found if not place.is_dir()]:
            # Named once, rather than once for every checkpoint it should hold.
            problems.append(Problem(None, f"the checkpoint place {place} is missing (deleted?)"))
            del found[place]
    checkpoints: list[Checkpoint] = []
    for size in sorted({size for copies in found.values() for size in copies}):
        readable: list[Checkpoint] = []
        for place, copies in found.items():
            item = copies.get(size)
            if item is None:
                problems.append(Problem(None, f"checkpoint {size} is missing from {place}"))
            elif isinstance(item, str):
                problems.append(Problem(None, f"unreadable checkpoint: {item}"))
            elif item not in readable:
                readable.append(item)
        if len(readable) > 1:
            problems.append(Problem(None, f"the copies of checkpoint {size} differ"))
        checkpoints.extend(readable)
    return verify_checkpoints(log, checkpoints, keys, problems, anchors)


def verify_checkpoints(
    log: AuditLog,
    checkpoints: Iterable[Checkpoint],
    keys: Mapping[str, Ed25519PublicKey],
    problems: Sequence[Problem] = (),
    anchors: Sequence[tuple[str, Checkpoint]] = (),
) -> VerifyReport:
    """Verify a log against a collection of checkpoints (signatures, roots, chain).

    `anchors` are named tree heads checked elsewhere (a witness's cosigned one): the
    log must hold them as it holds its own checkpoints."""
    found = list(problems)
    good: list[tuple[str, Checkpoint]] = []
    for cp in sorted(checkpoints, key=lambda c: c.size):
        if cp.key_id not in keys:
            found.append(Problem(None, f"checkpoint {cp.size}: signed by unknown key {cp.key_id}"))
        elif not cp.signature_ok(keys):
            found.append(Problem(None, f"checkpoint {cp.size}: signature does not verify"))
        else:
            good.append((f"checkpoint {len(good) + 1} (size {cp.size})", cp))
    # Stable: at equal sizes the local checkpoint, with its leaf hashes, comes first.
    good = sorted([*good, *anchors], key=lambda item: item[1].size)
    reader = _Reader(log)
    tree = TreeBuilder()
    verified = 0
    for name, cp in good:
        if cp.size <= tree.size:
            if cp.size < tree.size or cp.root != tree.root():
                found.append(Problem(None, f"{name} disagrees with another signed checkpoint"))
            continue
        start = tree.size
        tile: list[bytes] | None = None
        if cp.first <= start and cp.first + len(cp.leaves) == cp.size:
            trial = tree.copy()
            trial.extend(cp.leaves[start - cp.first :])
            if trial.root() == cp.root:
                tile = list(cp.leaves[start - cp.first :])
            else:
                found.append(Problem(None, f"{name}: its leaf hashes do not match its root"))
        hashes = reader.read(cp.size, name)
        if tile is not None:
            for offset, (mine, signed) in enumerate(zip(hashes, tile, strict=False)):
                if mine != signed:
                    reader.fail(
                        start + offset,
                        f"entry {start + offset} differs from the one {name} signed "
                        "(altered, inserted or reordered)",
                    )
                    break
            tree.extend(tile)
        elif reader.bad is None and len(hashes) == cp.size - start:
            tree.extend(hashes)
            if tree.root() != cp.root:
                # Without the signed leaf hashes the damage is only known to lie in here.
                reader.fail(start, f"entries {start}..{cp.size - 1} do not match {name}")
                break
        else:
            found.append(Problem(None, f"{name} and later ones cannot be checked"))
            break
        verified += 1
    if reader.bad is None:
        reader.read(None)
    entries = log.size()
    unsigned = max(entries - tree.size, 0)
    if reader.bad is not None:
        found.insert(0, reader.bad)
    elif unsigned and not tree.size:
        found.append(
            Problem(
                None, f"no signed checkpoint covers the log: all {unsigned} entries are unprotected"
            )
        )
    elif unsigned:
        found.append(
            Problem(
                None,
                f"{unsigned} entries after the last checkpoint (size {tree.size}) are "
                "unprotected: no signed checkpoint covers them",
            )
        )
    return VerifyReport(
        entries=entries,
        checkpoints=verified,
        signed=tree.size,
        first_bad_index=reader.bad.index if reader.bad else None,
        problems=tuple(found),
        unsigned=unsigned,
        root=tree.root() if tree.size else b"",
    )
