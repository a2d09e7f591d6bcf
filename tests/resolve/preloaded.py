"""A module a forkserver preloads in a test (test_address_worker)."""

from __future__ import annotations

import os

_IMPORTED_BY = os.getpid()


def loaded_before() -> bool:
    """Whether this module came with the process, imported by the process it was forked
    from, rather than imported here when the call was unpickled."""
    return os.getpid() != _IMPORTED_BY
