"""`threadline audit witness serve`: run a witness that countersigns audit checkpoints.

It is its own small process with its own state folder and key, meant for another disk,
user or host than the data directory; it opens no workbench.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from threadline.audit.keys import fingerprint
from threadline.audit.trust import TrustedKeys
from threadline.audit.witness import Witness
from threadline.audit.witness_server import serve as serve_witness

witness_app = typer.Typer(
    help="An audit witness: countersigns checkpoints that extend the last one it saw.",
    no_args_is_help=True,
)


@witness_app.command("serve")
def serve(
    state: Annotated[
        Path, typer.Option("--state", help="The witness's own folder (key and last checkpoint).")
    ],
    log_key: Annotated[
        str,
        typer.Option(
            "--log-key",
            help="Fingerprint(s) or public key file(s) of the log's signing key, comma-separated.",
        ),
    ],
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, help="Port (0: any free one).")] = 8790,
) -> None:
    """Serve the witness over HTTP until interrupted; print its URL and key fingerprint."""
    witness = Witness(state, TrustedKeys.parse(log_key, name="--log-key"))

    def ready(url: str) -> None:
        print(f"witness {url} key {fingerprint(witness.public_key)}", flush=True)

    serve_witness(witness, host, port, ready)
