"""RFC 6962 Merkle tree hashing, tree heads, and inclusion and consistency proofs.

Hashes of leaves are the unit everywhere: a log keeps them beside its entries, and a
proof never needs the entries themselves. Verification follows RFC 9162 §2.1.3.2 and
§2.1.4.2, which state RFC 6962's proofs as loops over bit positions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """The hash of one entry: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_hash(hashes: Sequence[bytes]) -> bytes:
    """The Merkle tree hash (MTH) of a list of leaf hashes."""
    if not hashes:
        return EMPTY_ROOT
    tree = TreeBuilder()
    tree.extend(hashes)
    return tree.root()


class TreeBuilder:
    """The compact form of a growing tree: one hash per perfect subtree, O(log n) memory.

    The perfect subtrees of sizes given by the bits of n, folded from the right, are
    exactly RFC 6962's split at the largest power of two; so appending costs O(1)
    amortised and the root of any size is O(log n), which lets a verifier check every
    checkpoint of a long log in one pass.
    """

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if len(frontier) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} subtrees")
        self.size = size
        self._stack = list(frontier)

    @property
    def frontier(self) -> tuple[bytes, ...]:
        """The roots of the perfect subtrees, largest (leftmost) first."""
        return tuple(self._stack)

    def copy(self) -> TreeBuilder:
        """An independent builder at the same size."""
        return TreeBuilder(self.size, self._stack)

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash."""
        node = leaf
        size = self.size
        # Each trailing 1-bit of the old size is a subtree the new leaf completes.
        while size & 1:
            node = node_hash(self._stack.pop(), node)
            size >>= 1
        self._stack.append(node)
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add leaf hashes in order."""
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        """The tree head of the leaves added so far."""
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def inclusion_proof(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path (RFC 6962 §2.1.1) of leaf `index` in the tree of `hashes`."""
    if not 0 <= index < len(hashes):
        raise ValueError(f"leaf {index} is not in a tree of {len(hashes)}")
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*inclusion_proof(hashes[:k], index), root_hash(hashes[k:])]
    return [*inclusion_proof(hashes[k:], index - k), root_hash(hashes[:k])]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether `proof` shows leaf hash `leaf` at `index` in the tree of `size` with `root`."""
    if not 0 <= index < size:
        return False
    fn, sn, node = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = node_hash(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and node == root


def consistency_proof(hashes: Sequence[bytes], first: int) -> list[bytes]:
    """The proof (RFC 6962 §2.1.2) that the tree of `first` leaves is a prefix of `hashes`."""
    if not 0 <= first <= len(hashes):
        raise ValueError(f"size {first} is not a prefix of a tree of {len(hashes)}")
    if first in (0, len(hashes)):
        return []
    return _subproof(first, hashes, True)


def _subproof(m: int, hashes: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if complete else [root_hash(hashes)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, hashes[:k], complete), root_hash(hashes[k:])]
    return [*_subproof(m - k, hashes[k:], False), root_hash(hashes[:k])]


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree (`first`, `first_root`) is a prefix of (`second`, ...)."""
    if not 0 <= first <= second:
        return False
    if first == 0:
        # The empty tree is a prefix of every tree; RFC 6962 defines no proof for it.
        return not proof and first_root == EMPTY_ROOT
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if first & (first - 1) == 0:
        # A power of two is a whole subtree the verifier already knows.
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(node, fr), node_hash(node, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def extension_proof(
    old_size: int, old_frontier: Sequence[bytes], new_leaves: Sequence[bytes]
) -> list[bytes]:
    """The consistency proof from a tree, given by its compact form, to that tree with
    `new_leaves` appended: `consistency_proof` without needing the older leaves.

    Every node such a proof takes from the old tree is one of its perfect subtrees
    (the frontier) or a fold of the last few of them, so a log can prove it extends
    what a witness saw from a checkpoint's frontier and the leaves added since.
    """
    size = old_size + len(new_leaves)
    if len(old_frontier) != old_size.bit_count():
        raise ValueError(f"a tree of {old_size} leaves has {old_size.bit_count()} subtrees")
    if old_size in (0, size):
        return []
    spans: list[tuple[int, int]] = []
    start = 0
    for bit in reversed(range(old_size.bit_length())):
        if old_size >> bit & 1:
            spans.append((start, start + (1 << bit)))
            start += 1 << bit
    nodes = dict(zip(spans, old_frontier, strict=True))

    def old(lo: int, hi: int) -> bytes:
        if (lo, hi) in nodes:
            return nodes[(lo, hi)]
        parts = [nodes[span] for span in spans if span[0] >= lo]
        if hi != old_size or not parts or not any(span[0] == lo for span in spans):
            raise ValueError(f"[{lo}, {hi}) is not made of the old tree's subtrees")
        node = parts[-1]
        for left in reversed(parts[:-1]):
            node = node_hash(left, node)
        return node

    def new(lo: int, hi: int) -> bytes:
        return root_hash(new_leaves[lo - old_size : hi - old_size])

    def sub(lo: int, hi: int, complete: bool) -> list[bytes]:
        # RFC 6962 SUBPROOF over the span [lo, hi), with m = old_size - lo.
        if old_size == hi:
            return [] if complete else [old(lo, hi)]
        k = _split(hi - lo)
        if old_size <= lo + k:
            return [*sub(lo, lo + k, complete), new(lo + k, hi)]
        return [*sub(lo + k, hi, False), old(lo, lo + k)]

    return sub(0, size, True)
