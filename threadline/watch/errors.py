"""The watch layer's errors: a bad watch, an unknown one, an unsafe webhook target."""

from __future__ import annotations

from threadline.errors import NotFoundError, ThreadlineError


class WatchError(ThreadlineError):
    """A watch that cannot be made as asked; the message names the field."""


class WatchNotFound(NotFoundError):
    """No watch of that id that the caller owns."""


class UnsafeTarget(WatchError):
    """A webhook target the server must not reach (loopback, private, link-local...)."""


class DeliveryFailed(WatchError):
    """An alert could not be sent; kept on the alert and retried later."""
