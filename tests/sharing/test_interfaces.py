"""The CLI and the HTTP API round trips: `case key`, `case share`, `case import`, and
`POST /cases/{id}/share`, `POST /cases/import`, `GET /sharing/key`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.cli.runner import cli, ok
from tests.live_server import LiveServer
from tests.sharing.conftest import Shared, load, sender_settings
from threadline.access import Level
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

ENV = {"THREADLINE_SHARE_RECIPIENTS": '{"partner": ["confidential"]}'}


def test_cli_round_trip(shared: Shared, tmp_path: Path) -> None:
    sender, receiver = shared.bench.data_dir, tmp_path / "b"
    shared.bench.close()  # the CLI opens the data dir itself
    key = ok(sender, "case", "key")
    assert key.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "a.pem").write_text(key.stdout)
    bundle = tmp_path / "acme.zip"
    done = ok(
        sender,
        "case",
        "share",
        shared.case_id,
        "--to",
        str(bundle),
        "--recipient",
        "partner",
        env=ENV,
    )
    assert done.stdout.strip() == str(bundle) and "withheld 3 statement(s)" in done.stderr
    refused = cli(receiver, "case", "import", str(bundle))
    assert refused.code == 1 and "unknown key" in refused.stderr
    imported = ok(
        receiver, "case", "import", str(bundle), "--trust", str(tmp_path / "a.pem"), "--json"
    )
    report = orjson.loads(imported.stdout)
    assert (report["statements"], report["pins"], report["notes"]) == (9, 3, 2)
    shown = ok(receiver, "case", "show", report["case_id"], "--json").json()
    assert isinstance(shown, dict) and len(shown["pins"]) == 3


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[str, str, str, str, str]]:
    """Two servers (auth on): the sender's with bob in the case, the receiver's with ria."""
    a, b = tmp_path / "a", tmp_path / "b"
    with Workbench(sender_settings(a)) as bench:
        world = load(bench, tmp_path / "sources")
        bob = bench.user_add("bob").token
        for dataset in ("registry", "leak", "protected"):
            bench.grant("bob", dataset, Level.READ)
        bench.clear("bob", "confidential")
        bench.case_member(world.case_id, "bob", "editor")
        fingerprint = bench.case_key().fingerprint
    with Workbench(Settings(data_dir=b)) as bench:
        ria = bench.user_add("ria").token
    sending = create_app(sender_settings(a))
    receiving = create_app(Settings(data_dir=b))
    with LiveServer(sending) as one, LiveServer(receiving) as two:
        yield one.url, two.url, world.case_id, f"{bob}|{ria}", fingerprint


def test_http_round_trip(servers: tuple[str, str, str, str, str]) -> None:
    sender, receiver, case_id, tokens, fingerprint = servers
    bob, ria = tokens.split("|")
    with httpx.Client(base_url=f"{sender}/api/v1", headers={"Authorization": f"Bearer {bob}"}) as c:
        assert (
            c.get("/sharing/key", headers={"X-Purpose": "sharing"}).json()["fingerprint"]
            == fingerprint
        )
        answer = c.post(f"/cases/{case_id}/share", params={"recipient": "partner"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/zip"
        # bob holds no `no-share`: that collection is beyond his reach (x1 pin, a note).
        assert answer.headers["x-withheld"] == "2"
        bundle = answer.content
    with httpx.Client(
        base_url=f"{receiver}/api/v1", headers={"Authorization": f"Bearer {ria}"}
    ) as c:
        files = {"file": ("acme.zip", bundle, "application/zip")}
        refused = c.post("/cases/import", files=files)
        assert (
            refused.status_code == 400 and "acme.zip" in refused.text and "/tmp" not in refused.text
        )
        sneaky = c.post("/cases/import", files=files, data={"trust": "/etc/passwd"})
        assert sneaky.status_code == 400
        done = c.post("/cases/import", files=files, data={"trust": fingerprint})
        assert done.status_code == 201, done.text
        assert done.json()["statements"] == 9
        case = c.get(f"/cases/{done.json()['case_id']}")
        assert case.status_code == 200 and len(case.json()["pins"]) == 3
        # The markings arrived with the data: ria is not cleared for confidential.
        purpose = {"X-Purpose": "reading the import"}
        assert c.get("/entities/p1", headers=purpose).status_code == 200
        assert c.get("/entities/l1", headers=purpose).status_code == 404
