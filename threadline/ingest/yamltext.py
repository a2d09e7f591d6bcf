"""YAML for mappings, read one strict way: the same nodes are checked and loaded.

A mapping from a client decides which files ingest opens, so the text the checks read
must be the text the loader runs. YAML offers several ways to make them differ, or to
make parsing itself expensive, and a mapping needs none of them:
- duplicate keys (a checker may read the first, a loader keeps the last);
- tags (`!!null /etc/passwd` turns a path into something a checker skips);
- anchors and aliases (shared nodes, and the "billion laughs" blow-up);
- merge keys (`<<`), several documents in one file, keys that are not plain scalars.
Each is refused with its line. The data is then built from the checked node tree, so
nothing parses the text a second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from threadline.errors import MappingError

# A mapping is a page of YAML; anything near this size is not a mapping.
MAX_YAML_BYTES = 1 << 20
MAX_DEPTH = 64


def _line(mark: Any) -> int | None:
    return int(mark.line) + 1 if mark is not None else None


def _refuse_events(path: Path | str, text: str) -> None:
    """Refuse aliases, anchors and tags before any node is built."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = _line(event.start_mark)
        if isinstance(event, AliasEvent):
            raise MappingError(path, "YAML aliases (*name) are not allowed in a mapping", line)
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise MappingError(path, "YAML anchors (&name) are not allowed in a mapping", line)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            raise MappingError(path, f"YAML tags ({event.tag}) are not allowed in a mapping", line)
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise MappingError(path, f"nested deeper than {MAX_DEPTH} levels", line)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _refuse_keys(path: Path | str, node: Node) -> None:
    """Refuse duplicate keys, merge keys and keys that are not plain text."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                line = _line(key.start_mark)
                if not isinstance(key, ScalarNode):
                    raise MappingError(path, "a key must be plain text", line)
                if key.value == "<<":
                    raise MappingError(path, "YAML merge keys (<<) are not allowed", line)
                if key.value in seen:
                    raise MappingError(path, f"duplicate key {key.value!r}", line)
                seen.add(key.value)
                stack.append(value)


def parse(path: Path | str, text: str) -> Node:
    """The checked node tree of a mapping's text; `build` turns a part of it into data."""
    if len(text.encode("utf-8", errors="replace")) > MAX_YAML_BYTES:
        raise MappingError(path, f"is larger than {MAX_YAML_BYTES >> 10} KiB")
    if "\x00" in text:
        raise MappingError(path, "contains a NUL character")
    try:
        _refuse_events(path, text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MappingError(path, f"invalid YAML: {exc}", _line(mark)) from None
    if root is None:
        raise MappingError(path, "is empty")
    _refuse_keys(path, root)
    return root


def build(path: Path | str, node: Node) -> Any:
    """The Python data of a checked node (plain dicts, lists and scalars)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MappingError(path, f"invalid YAML: {exc}", _line(mark)) from None
    finally:
        loader.dispose()
