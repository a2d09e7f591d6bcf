"""The audit events of signing in: sign-ins that succeed or fail, and unknown API tokens.

They go to the same append-only log as every workbench call (`auth.` actions, kind
consultation: a credential is checked against the access store). A failed sign-in
names the user name tried and the client, never the password; a refused token names
the client and a short salted hash of the token, never the token itself. If the event
cannot be written the request fails (503) as any audited call does.
"""

from __future__ import annotations

from fastapi import Request

from threadline.api.state import server
from threadline.app.context import Context, new_request_id
from threadline.audit import ActionKind

SIGN_IN = "auth.sign-in"
TOKEN = "auth.token"
ANONYMOUS = "(anonymous)"
TOKEN_ACTOR = "(token)"  # as the accountability layer names an unknown token's caller
HASH_CHARS = 12  # hex digits of the salted token hash: enough to tell tokens apart


def _context(request: Request) -> Context:
    request_id = request.headers.get("x-request-id") or new_request_id()
    return Context(actor=ANONYMOUS, request_id=request_id[:64])


def sign_in(request: Request, name: str, client: str, *, ok: bool) -> None:
    """Record a sign-in: by `name` if it succeeded, else anonymous, naming the name."""
    accountability = server(request).bench.accountability
    accountability.record_context(
        _context(request),
        ActionKind.CONSULTATION,
        SIGN_IN,
        (f"user:{name}",),
        outcome="ok" if ok else "denied: wrong user name or password",
        actor=name if ok else ANONYMOUS,
        detail=f"client={client}",
    )


def token_hash(request: Request, token: str) -> str:
    """A short salted hash of a token: the same token gives the same value, and the
    log's readers cannot use or look it up."""
    hashed = server(request).bench.accountability.hashed("token", token)
    return hashed[: len("token=sha256:") + HASH_CHARS]


def bad_token(request: Request, token: str, client: str) -> None:
    """Record a request refused for an unknown or revoked API token."""
    server(request).bench.accountability.record_context(
        _context(request),
        ActionKind.CONSULTATION,
        TOKEN,
        (),
        outcome="denied: invalid or revoked API token",
        actor=TOKEN_ACTOR,
        detail=f"client={client} {token_hash(request, token)}",
    )
