"""How strong each kind of link is, and what a hop costs when paths are ranked.

One table: the strength of a link type, from 0 (says little) to 1 (a close, formal tie).
Types are followthemoney edge schemata, entity-reference property names, or the derived
`derived:*` kinds. A path's cost is the sum of its hops' costs, and each hop costs

    1 (the hop) + (1 - strength) (weakness) + age penalty (recency)

so a shorter path, stronger links and more recent links all lower the cost; a hop costs
between 1 and 2.5. `explain` in `paths` prints the three sums.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from threadline.graph.interval import OPEN_END, OPEN_START

Array = npt.NDArray[Any]

DEFAULT_STRENGTH: Final = 0.5

STRENGTH: Final[dict[str, float]] = {
    # Formal, documented control or kinship.
    "Ownership": 1.0,
    "Control": 1.0,
    "Directorship": 0.95,
    "Family": 0.95,
    "parent": 0.9,  # a company's parent company
    "Employment": 0.85,
    "ContractAward": 0.85,
    "Representation": 0.8,
    "Occupancy": 0.8,
    "Succession": 0.8,
    "authority": 0.8,  # a contract's awarding authority
    "Membership": 0.75,
    "Payment": 0.75,
    "Associate": 0.7,
    "Debt": 0.7,
    "owner": 0.9,  # vehicles, vessels, accounts
    "holder": 0.7,
    "operator": 0.7,
    "ProjectParticipant": 0.6,
    "addressEntity": 0.5,
    "CourtCaseParty": 0.5,
    "derived:identifier": 0.5,
    "Documentation": 0.4,
    "UnknownLink": 0.4,
    "derived:address": 0.3,
    "mentioned in": 0.3,  # a name found in a document's text (threadline.mentions)
    "proof": 0.2,
}

MAX_AGE_PENALTY: Final = 0.5
UNDATED_AGE_PENALTY: Final = 0.25
AGE_HORIZON_DAYS: Final = 20 * 365


def strength(edge_type: str) -> float:
    """The strength of a link type (the table's, or the default for unlisted types)."""
    return STRENGTH.get(edge_type, DEFAULT_STRENGTH)


def latest_day(start: int, end: int, today: int) -> int | None:
    """The most recent day an edge is known to hold: its end, today if it is still open,
    or None if the sources give no date at all."""
    if end != OPEN_END:
        return min(end, today)
    if start != OPEN_START:
        return today
    return None


def age_penalty(start: int, end: int, today: int) -> float:
    """From 0 (holds today) to MAX_AGE_PENALTY (ended 20 years ago or more)."""
    latest = latest_day(start, end, today)
    if latest is None:
        return UNDATED_AGE_PENALTY
    age = max(0, today - latest)
    return MAX_AGE_PENALTY * min(age, AGE_HORIZON_DAYS) / AGE_HORIZON_DAYS


def hop_cost(edge_type: str, start: int, end: int, today: int) -> float:
    """What one hop over such an edge adds to a path's cost (between 1 and 2.5)."""
    return 1.0 + (1.0 - strength(edge_type)) + age_penalty(start, end, today)


def hop_costs(weakness: Array, types: Array, starts: Array, ends: Array, today: int) -> Array:
    """`hop_cost` for many edges at once; `weakness` is 1 - strength by type position."""
    open_end = ends == OPEN_END
    latest = np.where(open_end, np.where(starts != OPEN_START, today, -1), np.minimum(ends, today))
    age = np.clip(today - latest, 0, AGE_HORIZON_DAYS) / AGE_HORIZON_DAYS
    penalty = np.where(latest < 0, UNDATED_AGE_PENALTY, MAX_AGE_PENALTY * age)
    return 1.0 + weakness[types] + penalty
