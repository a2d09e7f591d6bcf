"""The witness's small HTTP service (stdlib only), run by `threadline audit witness serve`.

POST /add-checkpoint  {"old": N, "proof": [hex...], "checkpoint": {...},
                       "public_key": PEM}    -> 200 {"cosignature": {...}}
                       409 {"size": N} when the witness last saw another size
                       403 untrusted or bad log signature, 422 proof fails, 400 bad body
GET  /checkpoint      -> 200 {"checkpoint": {...}, "cosignature": {...}} or 404
GET  /key             -> 200 {"key_id", "fingerprint", "public_key"}
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.cosignature import head_from_wire, head_to_wire
from threadline.audit.keys import fingerprint, key_id, public_pem
from threadline.audit.witness import Witness, WitnessRefusal

MAX_BODY = 1 << 20  # a proof is ~64 hashes; anything near this is not a client of ours


def _public_key(pem: Any) -> Ed25519PublicKey:
    public = serialization.load_pem_public_key(str(pem).encode())
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError("public_key is not an Ed25519 key")
    return public


def _handler(witness: Witness) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "threadline-witness"

        def log_message(self, format: str, *args: Any) -> None:  # stdlib's name
            """Quiet: the witness's record is its history file, not stderr."""

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # the stdlib's method name
            if self.path == "/key":
                public = witness.public_key
                self._send(
                    200,
                    {
                        "key_id": key_id(public),
                        "fingerprint": fingerprint(public),
                        "public_key": public_pem(public).decode(),
                    },
                )
            elif self.path == "/checkpoint":
                latest = witness.latest()
                if latest is None:
                    self._send(404, {"error": "no checkpoint cosigned yet"})
                else:
                    body = {
                        "checkpoint": head_to_wire(latest[0]),
                        "cosignature": latest[1].to_wire(),
                    }
                    self._send(200, body)
            else:
                self._send(404, {"error": f"no such path {self.path}"})

        def do_POST(self) -> None:  # the stdlib's method name
            if self.path != "/add-checkpoint":
                self._send(404, {"error": f"no such path {self.path}"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                if not 0 < length <= MAX_BODY:
                    raise ValueError(f"a body of {length} bytes")
                data = json.loads(self.rfile.read(length))
                old = int(data["old"])
                proof = [bytes.fromhex(node) for node in data["proof"]]
                checkpoint = head_from_wire(data["checkpoint"])
                log_key = _public_key(data["public_key"])
            except (KeyError, TypeError, ValueError) as error:
                self._send(400, {"error": f"bad request: {error}"})
                return
            try:
                cosignature = witness.add(old, proof, checkpoint, log_key)
            except WitnessRefusal as refusal:
                body: dict[str, Any] = {"error": str(refusal)}
                if refusal.size is not None:
                    body["size"] = refusal.size
                self._send(refusal.status, body)
                return
            self._send(200, {"cosignature": cosignature.to_wire()})

    return Handler


def serve(
    witness: Witness, host: str, port: int, ready: Callable[[str], None] = lambda url: None
) -> None:
    """Answer requests until interrupted; `ready` gets the URL once the port is bound."""
    with ThreadingHTTPServer((host, port), _handler(witness)) as server:
        bound_host, bound_port = server.server_address[:2]
        ready(f"http://{bound_host!s}:{bound_port}")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
