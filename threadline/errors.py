"""The error tree: every failure a user can cause is one of these, with a clear message."""

from __future__ import annotations

from pathlib import Path


class ThreadlineError(Exception):
    """Base class of every error threadline raises on purpose."""


class ConfigError(ThreadlineError):
    """Settings or arguments that cannot work together."""


class NotFoundError(ThreadlineError):
    """An entity, dataset or file that does not exist."""


class IndexBusyError(ThreadlineError):
    """Another process holds the search index's write lock for too long."""


class IndexOutdated(ThreadlineError):
    """A derived index built by another version, with other fields: rebuild it."""


class IndexBehind(IndexOutdated):
    """The search index lags the store by more than a search catches up on its own."""


class GraphBuilding(ThreadlineError):
    """The link graph's view is being built in the background: try again in
    `retry_after` seconds (`percent` done, if known)."""

    def __init__(self, message: str, retry_after: int, percent: int | None = None) -> None:
        self.retry_after = retry_after
        self.percent = percent
        super().__init__(message)

    def __reduce__(self) -> tuple[type[GraphBuilding], tuple[str, int, int | None]]:
        # Picklable as built, as InputError is.
        return (type(self), (str(self), self.retry_after, self.percent))


class InputError(ThreadlineError):
    """Bad input data; names the file and, where known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # Picklable as built, so a process pool hands it back instead of breaking.
        return (type(self), (self.path, self.message, self.line))


class MappingError(InputError):
    """A mapping that names an unknown schema, property or column."""


class IngestAborted(ThreadlineError):
    """A file failed to ingest; nothing of it was written."""

    def __init__(self, error: InputError) -> None:
        self.error = error
        super().__init__(f"{error} (nothing from this file was written)")

    def __reduce__(self) -> tuple[type[IngestAborted], tuple[InputError]]:
        return (type(self), (self.error,))
