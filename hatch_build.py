"""Build the graph explorer's browser bundle while the wheel is built.

Third-party JavaScript (Cytoscape.js, fcose) comes from the npm registry through
package-lock.json and is never committed. When the bundle is missing, or older than
its sources, this hook runs `npm ci` and `npm run build` (esbuild), writing
threadline/web/static/vendor/graph.bundle.js, and puts it in the wheel as an artifact
(it is git-ignored). A released wheel carries the bundle, so installing it needs no
Node.js.

Without Node.js and npm the build fails with a message saying so. Setting
THREADLINE_SKIP_JS_BUILD=1 builds without the bundle instead (a warning is printed and
the graph page then says that its bundle is missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE = "threadline/web/static/vendor/graph.bundle.js"
SOURCES = ("package.json", "package-lock.json", "threadline/web/js")
SKIP = "THREADLINE_SKIP_JS_BUILD"


def _newest(root: Path) -> float:
    """The newest modification time among the bundle's sources."""
    times = []
    for name in SOURCES:
        path = root / name
        if path.is_dir():
            times += [p.stat().st_mtime for p in path.rglob("*.js")]
        elif path.exists():
            times.append(path.stat().st_mtime)
    return max(times, default=0.0)


def _stale(root: Path) -> bool:
    bundle = root / BUNDLE
    return not bundle.exists() or bundle.stat().st_mtime < _newest(root)


def _run(command: list[str], root: Path) -> None:
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(
            f"`{' '.join(command)}` failed while building the graph explorer's bundle "
            f"({BUNDLE}):\n{done.stdout}\n{done.stderr}"
        )


def build_bundle(root: Path) -> bool:
    """Build the bundle if it is missing or stale; False if skipped on request."""
    if not _stale(root):
        return True
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        if os.environ.get(SKIP) == "1":
            print(f"warning: {SKIP}=1 and no Node.js/npm: {BUNDLE} is not built", file=sys.stderr)
            return False
        raise RuntimeError(
            "Building threadline from source needs Node.js (20 or later) and npm to bundle "
            f"the graph explorer ({BUNDLE}). Install Node.js and npm, or set {SKIP}=1 to "
            "build without the graph explorer."
        )
    if not (root / "node_modules" / ".package-lock.json").exists() or (
        (root / "package-lock.json").stat().st_mtime
        > (root / "node_modules" / ".package-lock.json").stat().st_mtime
    ):
        _run([npm, "ci", "--no-audit", "--no-fund"], root)
    _run([npm, "run", "build"], root)
    return True


class GraphBundleHook(BuildHookInterface):  # type: ignore[type-arg]  # hatchling's generic config
    """Bundle the graph explorer's JavaScript before the wheel is built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        if build_bundle(root):
            build_data["artifacts"].append(f"/{BUNDLE}")
            build_data["artifacts"].append(f"/{BUNDLE}.LEGAL.txt")
