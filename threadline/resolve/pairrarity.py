"""Address token rarity within each pair, as `prepare` counts it among a two-row table.

`prepare` weighs each address token by how many of its table's addresses hold it
(`address._rarity`: log2(1 + addresses / holders)). A screened pair is read as its own
two-row table, so its rarities are those among its two addresses; `pair_rarity` gives
them for many pairs in one pass, number for number what `_rarity` gives each pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

Tokens = Sequence[str] | None


def pair_rarity(
    tokens: Sequence[Tokens],
) -> tuple[list[list[float] | None], list[float | None]]:
    """Per row (pair n is rows 2n and 2n + 1), each token's rarity within its pair and
    their sum; None for a row without an address."""
    ratios: list[float] = []  # addresses / holders, per token, in row order
    for n in range(0, len(tokens), 2):
        pair = [t for t in tokens[n : n + 2] if t is not None]
        holders = max(len(pair), 1)
        counts = Counter(token for held in pair for token in held)
        ratios += [holders / max(counts[token], 1) for held in pair for token in held]
    # One vectorised log2, as `_rarity` takes it per table.
    values = np.log2(1.0 + np.array(ratios, dtype=np.float64)).tolist()
    weights: list[list[float] | None] = []
    sums: list[float | None] = []
    at = 0
    for n in range(0, len(tokens), 2):
        running = 0.0  # `_rarity` sums by differences of a running total within the pair
        for held in tokens[n : n + 2]:
            if held is None:
                weights.append(None)
                sums.append(None)
                continue
            own = values[at : at + len(held)]
            at += len(held)
            start = running
            for value in own:
                running += value
            weights.append(own)
            sums.append(running - start)
    return weights, sums
