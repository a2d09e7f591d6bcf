"""What the forkserver of the extraction processes imports before it forks them."""

from __future__ import annotations

import sys
from types import ModuleType


def main_imports() -> list[str]:
    """The modules a child imports when it runs the parent's main script again.

    multiprocessing runs a main script given by path (the `threadline` console
    script) in every child it starts, forkserver
    children included (Python 3.11's forkserver does not preload it). What that
    script imported is then imported once, in the forkserver, instead of in every
    child: pages shared with the forkserver instead of each child's own. A main
    module run by name (`python -m threadline`) is not run again: nothing to add."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        return []
    if not getattr(main, "__file__", None):
        return []
    names = set()
    for value in vars(main).values():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", "")
        if isinstance(name, str) and name in sys.modules and name not in ("__main__", "builtins"):
            names.add(name)
    return sorted(names)
