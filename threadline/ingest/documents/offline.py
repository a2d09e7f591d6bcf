"""Cutting an extraction process off the network: a parser of untrusted files has no
reason to open a connection (an external DTD, an image URL in a document, an exploit
calling home), so the process that runs it gets none.

On Linux the process moves into a new, empty network namespace: it then has only a
loopback interface that is down, so no address, local or remote, can be reached,
whatever library (Python or C) tries. That needs CAP_SYS_ADMIN or unprivileged user
namespaces; where the kernel refuses both, Python's own sockets for internet
addresses are refused instead, which stops every Python library but not C code
that opens sockets itself. Connections the process already holds (the pipe to its
parent) are kept.
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
from typing import Any

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
NAMESPACE = "network namespace"
SOCKETS = "Python sockets refused"
_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkRefused(OSError):
    """A connection attempted from an extraction process."""


def go_offline() -> str:
    """Take this process off the network; return how (`NAMESPACE` or `SOCKETS`)."""
    if sys.platform == "linux" and _unshare():
        return NAMESPACE
    _refuse_sockets()
    return SOCKETS


def _unshare() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    # Unprivileged: a user namespace of its own grants the right to make the other.
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:  # keep the same ids inside, so files stay readable as before
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"{gid} {gid} 1")
    except OSError:
        pass  # the namespace holds even if the ids cannot be mapped
    return True


def _refuse_sockets() -> None:
    original = socket.socket

    class Refused(original):  # type: ignore[misc, valid-type]
        def __init__(self, family: Any = -1, *args: Any, **kwargs: Any) -> None:
            if family in _INTERNET or family == -1:
                raise NetworkRefused("document extraction has no network access")
            super().__init__(family, *args, **kwargs)

    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise NetworkRefused("document extraction has no network access")

    socket.socket = Refused  # type: ignore[misc]
    socket.getaddrinfo = no_lookup
    socket.create_connection = no_lookup
