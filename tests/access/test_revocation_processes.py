"""A revocation made by another process (or another workbench object) on the same data
directory applies to a user's very next request through an open workbench.

The user's workbench stays open throughout, with each kind of call already made once,
so anything it could keep between requests is warm. The admin's changes come from a
separate Python process running the public admin verbs, and from a second workbench
object in this process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from threadline.access import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError
from threadline.settings import Settings

_ADMIN = """
import json, sys
from threadline.app.workbench import Workbench
from threadline.settings import Settings
verb, args, kwargs = json.loads(sys.argv[2])
with Workbench(Settings(workers=1), data_dir=sys.argv[1]) as bench:
    getattr(bench, verb)(*args, **kwargs)
"""


def _elsewhere(data: Path, verb: str, *args: Any, **kwargs: Any) -> None:
    """Run an admin verb as the local admin in a separate Python process."""
    command = [sys.executable, "-c", _ADMIN, str(data), json.dumps([verb, args, kwargs])]
    subprocess.run(command, check=True, cwd=Path(__file__).parents[2], timeout=120)


def _world(tmp_path: Path) -> tuple[Path, str]:
    """A data directory with one person in `alpha`, read by uma; and uma's token."""
    data = tmp_path / "data"
    people = [entity("a-1", "Person", name="Ivan Petrov")]
    with Workbench(Settings(workers=1), data_dir=data) as admin:
        admin.ingest([write_entities(tmp_path / "alpha.ijson", people)], "alpha")
        token = admin.user_add("uma", "investigator").token
        admin.grant("uma", "alpha", "read")
    return data, token


def _sees(uma: Workbench) -> bool:
    """Whether uma's search and entity read both find the person (and agree)."""
    found = uma.search("petrov").total == 1
    try:
        uma.entity("a-1")
    except NotFoundError:
        assert not found
        return False
    assert found
    return True


def test_revocations_from_another_process_apply_on_the_next_request(tmp_path: Path) -> None:
    data, token = _world(tmp_path)
    with Workbench(Settings(workers=1), data_dir=data, context=Context(token=token)) as uma:
        assert _sees(uma)
        _elsewhere(data, "grant", "uma", "alpha", None)
        assert not _sees(uma)
        _elsewhere(data, "group_add", "desk", ["uma"])
        _elsewhere(data, "grant", "desk", "alpha", "read")
        assert _sees(uma)
        _elsewhere(data, "group_member", "desk", "uma", member=False)
        assert not _sees(uma)
        _elsewhere(data, "grant", "uma", "alpha", "read")
        assert _sees(uma)
        _elsewhere(data, "user_update", "uma", disabled=True)
        with pytest.raises(AccessDenied, match="unknown or revoked"):
            uma.search("petrov")


def test_revocations_through_another_workbench_apply_on_the_next_request(
    tmp_path: Path,
) -> None:
    data, token = _world(tmp_path)
    settings = Settings(workers=1)
    with (
        Workbench(settings, data_dir=data, context=Context(token=token)) as uma,
        Workbench(settings, data_dir=data) as admin,
    ):
        by_name = uma.acting(Context(actor="uma"))
        assert _sees(uma) and _sees(by_name)
        admin.grant("uma", "alpha", "write")
        assert uma.accountability.principal(uma.context).writable == {"alpha"}
        admin.user_update("uma", role="viewer")
        assert uma.accountability.principal(uma.context).writable == frozenset()
        assert _sees(uma)  # a viewer still reads
        admin.mark("alpha", "sealed")
        assert not _sees(uma) and not _sees(by_name)
        admin.clear("uma", "sealed")
        assert _sees(uma) and _sees(by_name)
        admin.token_revoke("uma")
        with pytest.raises(AccessDenied, match="unknown or revoked"):
            uma.search("petrov")
        assert _sees(by_name)  # by name (the server's session layer), still allowed
        admin.user_update("uma", disabled=True)
        with pytest.raises(AccessDenied, match="disabled"):
            by_name.search("petrov")
