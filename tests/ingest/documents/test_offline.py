"""`offline`: a process that went offline reaches no address, by either way the
module has (run in a child interpreter, so this test process keeps its network)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

PROBE = """
import socket
from threadline.ingest.documents import offline
{call}
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print("connected")
except OSError as refused:
    print("refused", type(refused).__name__)
"""


@pytest.mark.parametrize(
    "call",
    [
        "assert offline.go_offline() in (offline.NAMESPACE, offline.SOCKETS)",
        "offline._refuse_sockets()",
    ],
    ids=["as available", "sockets refused"],
)
def test_an_offline_process_reaches_nothing(call: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        code = textwrap.dedent(PROBE.format(call=call, port=listener.getsockname()[1]))
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused "), done.stdout
