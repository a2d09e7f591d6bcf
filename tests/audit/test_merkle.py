"""RFC 6962 hashing and proofs, against a naive model, published vectors and Hypothesis."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.audit.merkle import (
    EMPTY_ROOT,
    TreeBuilder,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)


def naive_mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 MTH over raw entries, written straight from the text."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


# The test vectors of certificate-transparency (merkle_tree_test data).
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_CONSISTENCY = {
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}
CT_HASHES = [leaf_hash(leaf) for leaf in CT_LEAVES]


def _leaves(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def test_empty_tree_is_hash_of_nothing() -> None:
    assert root_hash([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("n", range(1, 9))
def test_published_roots(n: int) -> None:
    assert root_hash(CT_HASHES[:n]).hex() == CT_ROOTS[n - 1]
    assert naive_mth(CT_LEAVES[:n]).hex() == CT_ROOTS[n - 1]


@pytest.mark.parametrize(("first", "second"), sorted(CT_CONSISTENCY))
def test_published_consistency_proofs(first: int, second: int) -> None:
    proof = consistency_proof(CT_HASHES[:second], first)
    assert [node.hex() for node in proof] == CT_CONSISTENCY[(first, second)]
    roots = bytes.fromhex(CT_ROOTS[first - 1]), bytes.fromhex(CT_ROOTS[second - 1])
    assert verify_consistency(first, second, *roots, proof)


def test_published_inclusion_path() -> None:
    path = inclusion_proof(CT_HASHES, 0)
    assert [node.hex() for node in path] == CT_CONSISTENCY[(1, 8)]


@pytest.mark.parametrize("n", [*range(0, 70), 127, 128, 129, 1000, 1023, 1024, 1025])
def test_roots_match_naive_model(n: int) -> None:
    leaves = _leaves(n)
    assert root_hash([leaf_hash(x) for x in leaves]) == naive_mth(leaves)


def test_builder_roots_at_every_size_and_resume_from_frontier() -> None:
    leaves = _leaves(300)
    tree = TreeBuilder()
    for i, leaf in enumerate(leaves):
        tree.append(leaf_hash(leaf))
        assert tree.root() == naive_mth(leaves[: i + 1])
        resumed = TreeBuilder(tree.size, tree.frontier)
        assert resumed.root() == tree.root()
    with pytest.raises(ValueError):
        TreeBuilder(5, [b"x" * 32])


def test_every_small_proof_verifies() -> None:
    hashes = [leaf_hash(x) for x in _leaves(33)]
    for n in range(1, 34):
        root = root_hash(hashes[:n])
        for i in range(n):
            assert verify_inclusion(hashes[i], i, n, inclusion_proof(hashes[:n], i), root)
        for m in range(0, n + 1):
            proof = consistency_proof(hashes[:n], m)
            assert verify_consistency(m, n, root_hash(hashes[:m]), root, proof)


sizes = st.integers(min_value=1, max_value=300).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n - 1))
)


@given(sizes, st.data())
def test_inclusion_proofs_verify_and_reject_alterations(
    case: tuple[int, int], data: st.DataObject
) -> None:
    n, index = case
    hashes = [leaf_hash(x) for x in _leaves(n)]
    root = root_hash(hashes)
    proof = inclusion_proof(hashes, index)
    assert verify_inclusion(hashes[index], index, n, proof, root)
    assert not verify_inclusion(leaf_hash(b"forged"), index, n, proof, root)
    assert not verify_inclusion(hashes[index], index, n, proof, leaf_hash(b"other root"))
    other = data.draw(st.integers(min_value=0, max_value=n - 1))
    if hashes[other] != hashes[index]:
        assert not verify_inclusion(hashes[other], index, n, proof, root)
    if proof:
        at = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        bad = list(proof)
        bad[at] = bytes(b ^ 0xFF for b in bad[at])
        assert not verify_inclusion(hashes[index], index, n, bad, root)
        assert not verify_inclusion(hashes[index], index, n, proof[:-1], root)


@given(
    st.integers(min_value=1, max_value=300).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n))
    )
)
def test_consistency_proofs_verify_and_reject_alterations(case: tuple[int, int]) -> None:
    n, m = case
    hashes = [leaf_hash(x) for x in _leaves(n)]
    old, new = root_hash(hashes[:m]), root_hash(hashes)
    proof = consistency_proof(hashes, m)
    assert verify_consistency(m, n, old, new, proof)
    forged = root_hash([*hashes[: max(m - 1, 0)], leaf_hash(b"forged")]) if m else leaf_hash(b"x")
    assert not verify_consistency(m, n, forged, new, proof)
    if m == 0:
        return  # the empty tree is a prefix of every tree: nothing else to reject
    assert not verify_consistency(m, n, old, leaf_hash(b"other"), proof)
    if m < n:
        for at in range(len(proof)):
            bad = list(proof)
            bad[at] = bytes(b ^ 1 for b in bad[at])
            assert not verify_consistency(m, n, old, new, bad)
        assert not verify_consistency(m, n, old, new, proof[:-1])


def test_out_of_range_requests() -> None:
    hashes = [leaf_hash(x) for x in _leaves(4)]
    with pytest.raises(ValueError):
        inclusion_proof(hashes, 4)
    with pytest.raises(ValueError):
        consistency_proof(hashes, 5)
    assert not verify_inclusion(hashes[0], 4, 4, [], root_hash(hashes))
    assert not verify_consistency(5, 4, EMPTY_ROOT, EMPTY_ROOT, [])
