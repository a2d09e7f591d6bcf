"""Local servers for the alert tests: an SMTP sink and a webhook receiver, each on a
free loopback port in a thread, keeping what they received."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Inbox:
    """What the SMTP sink received: (envelope recipients, message) per mail."""

    host: str = "127.0.0.1"
    port: int = 0
    mails: list[tuple[list[str], Message]] = field(default_factory=list)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    inbox: Inbox

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._say("220 sink ready")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sink")
            elif verb == "MAIL":
                recipients = []
                self._say("250 ok")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.inbox.mails.append((recipients, message_from_bytes(data)))
                self._say("250 kept")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


@contextmanager
def smtp_sink() -> Iterator[Inbox]:
    """A running SMTP sink; its inbox fills as mail arrives."""
    inbox = Inbox()
    handler = type("Handler", (_SMTPHandler,), {"inbox": inbox})
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        inbox.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield inbox
        finally:
            server.shutdown()
            thread.join()


@dataclass
class Hooks:
    """What the webhook receiver got: (headers, body) per request; `status` to answer."""

    url: str = ""
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 204
    location: str = ""


class _HookHandler(BaseHTTPRequestHandler):
    hooks: Hooks

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.hooks.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(self.hooks.status)
        if self.hooks.location:
            self.send_header("Location", self.hooks.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet


@contextmanager
def webhook_receiver() -> Iterator[Hooks]:
    """A running webhook receiver at `hooks.url`."""
    hooks = Hooks()
    handler = type("Handler", (_HookHandler,), {"hooks": hooks})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    hooks.url = f"http://127.0.0.1:{server.server_address[1]}/alerts?token=t0p"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
