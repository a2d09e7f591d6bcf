"""A prepare hook for extraction processes in tests (`sandbox.Pool`): the smallest
socket buffer to the parent, so that a file of a few pages fills it. A module of its
own, light to import in each new child: its time counts against the first file's."""

from __future__ import annotations

from threadline.ingest.documents import child


def small_buffer() -> None:
    """In a child: the kernel raises a one-byte buffer to its minimum (a few KiB)."""
    child.BUFFER_BYTES = 1
