"""What the extraction processes' forkserver preloads (issue 14): the package's own
imports are lazy, so an extraction process loads what extraction needs, and a main
script run by path (the `threadline` console script) is imported once, in the
forkserver, not again in every extraction process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run as a script by path, as the console script is: its imports are to be preloaded.
SCRIPT = """
import json
from threadline.ingest.documents.blob import hash_file
from threadline.ingest.documents.preload import main_imports
print(json.dumps(main_imports()))
"""

LAZY = """
import sys
import threadline.ingest.documents.child
heavy = ["threadline.app.workbench", "threadline.ingest.pipeline", "threadline.store.sql"]
print(sorted(name for name in heavy if name in sys.modules))
"""


def _run(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, timeout=120, cwd=cwd
    )
    return done.stdout.strip()


def test_a_script_run_by_path_has_its_imports_preloaded(tmp_path: Path) -> None:
    script = tmp_path / "main_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    names = _run(str(script))
    assert '"threadline.ingest.documents.blob"' in names
    assert '"threadline.ingest.documents.preload"' in names
    assert '"__main__"' not in names


def test_a_module_run_by_name_adds_nothing(tmp_path: Path) -> None:
    # multiprocessing does not run a `python -m` main again in a child.
    package = tmp_path / "mainpackage"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "__main__.py").write_text(SCRIPT, encoding="utf-8")
    assert _run("-m", "mainpackage", cwd=tmp_path) == "[]"


def test_an_extraction_process_imports_neither_the_workbench_nor_the_store() -> None:
    assert _run("-c", LAZY) == "[]"
