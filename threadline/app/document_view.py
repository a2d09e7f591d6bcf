"""What a reader sees of one document: its pages, the file it came from, and for an
e-mail its headers, its thread and its attachments; and the policy for handing the
file back (which types a browser may be told, and a safe file name).

Built from entities already filtered to what the reader may read: this module does
no I/O of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from threadline.model.entity import Entity

EMAIL_HEADERS = (("from", "From"), ("to", "To"), ("cc", "Cc"), ("date", "Date"))
# Types a browser may be told as they are: none of them runs anything. Anything else
# (HTML, SVG, XML, scripts, office files with macros...) goes as octet-stream.
PASSIVE_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/tiff",
        "image/webp",
        "image/bmp",
        "text/plain",
        "text/csv",
    }
)
OCTET_STREAM = "application/octet-stream"
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\"<>|:*?]+')


@dataclass(frozen=True)
class DocRef:
    """Another document, as a link: its id, caption, schema and file name."""

    id: str
    caption: str
    schema: str
    file_name: str = ""
    date: str = ""


@dataclass(frozen=True)
class PageRef:
    """One page of a document: its number and its own entity id."""

    number: int
    id: str


@dataclass
class DocumentView:
    """A document as the reader may see it."""

    entity: Entity
    page: int | None = None  # when a single page was asked for (a Page's id)
    pages: list[PageRef] = field(default_factory=list)
    file_name: str = ""
    sha256: str = ""
    size: int | None = None
    media_type: str = ""
    kept: bool = False  # the original file is in the data directory
    drawable: bool = False  # its pages can be drawn as images (a kept PDF)
    headers: list[tuple[str, list[str]]] = field(default_factory=list)  # an e-mail's
    subject: str = ""
    thread: list[DocRef] = field(default_factory=list)  # the e-mail's thread, by date
    attachments: list[DocRef] = field(default_factory=list)  # child documents
    parent: DocRef | None = None

    @property
    def is_email(self) -> bool:
        return self.entity.schema.is_a("Email")


@dataclass(frozen=True)
class DocumentFile:
    """An original file to hand back: where it is kept, and how to label it."""

    path: Path
    name: str
    media_type: str
    sha256: str
    size: int


def first(entity: Entity, prop: str) -> str:
    """The entity's first value of `prop`, or ""."""
    values = entity.proxy.get(prop, quiet=True)
    return values[0] if values else ""


def safe_type(mime: str) -> str:
    """The content type to send: the stored one only if it is passive."""
    base = mime.split(";")[0].strip().lower()
    return base if base in PASSIVE_TYPES else OCTET_STREAM


def safe_name(name: str, fallback: str) -> str:
    """A file name to offer: no path, no control characters, not empty."""
    cleaned = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_NAME.sub("_", cleaned).strip(" .")
    return cleaned[:200] or fallback


def doc_ref(entity: Entity) -> DocRef:
    """A link to a document."""
    return DocRef(
        entity.id,
        entity.caption,
        entity.schema.name,
        first(entity, "fileName"),
        first(entity, "date"),
    )


def email_headers(entity: Entity) -> list[tuple[str, list[str]]]:
    """From, To, Cc and Date, as stored (only those the message has)."""
    shown = []
    for prop, label in EMAIL_HEADERS:
        values = entity.proxy.get(prop, quiet=True)
        if values:
            shown.append((label, list(values)))
    return shown


def thread_of(entity: Entity, messages: dict[str, tuple[str, str]]) -> set[str]:
    """The ids of the messages in the same thread as `entity`: those its
    `In-Reply-To` leads to, and those replying to any of them, transitively.
    `messages` maps entity ids to (message id, in-reply-to)."""
    by_message: dict[str, set[str]] = {}
    replies: dict[str, set[str]] = {}
    for entity_id, (message_id, reply_to) in messages.items():
        if message_id:
            by_message.setdefault(message_id, set()).add(entity_id)
        if reply_to:
            replies.setdefault(reply_to, set()).add(entity_id)
    own = messages.get(entity.id) or (first(entity, "messageId"), first(entity, "inReplyTo"))
    seen = {entity.id}
    todo = [own]
    while todo:
        message_id, reply_to = todo.pop()
        linked = by_message.get(reply_to, set()) | replies.get(message_id, set())
        for other in linked - seen:
            seen.add(other)
            todo.append(messages[other])
    return seen
