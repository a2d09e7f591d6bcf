"""Terminal output: results to stdout, progress and messages to stderr."""

from __future__ import annotations

import sys
from typing import Any

import orjson
from rich.console import Console, ConsoleDimensions
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from threadline.progress import Rates

# Output that is not a terminal (a pipe, a file) is as wide as its longest line: a
# table cut to Rich's default 80 columns ("Bru…") would lose what `grep` or a script reads.
PIPED_WIDTH = 1_000_000


class _Console(Console):
    """A Rich console as wide as its terminal, or, when it writes elsewhere, as wide as
    `COLUMNS` says or else unlimited (Rich would take 80 columns, or the width of
    whichever of stdin and stderr is a terminal)."""

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        if self._width is not None or self.is_terminal:
            return size
        columns = self._environ.get("COLUMNS", "")
        return size._replace(width=int(columns) if columns.isdigit() else PIPED_WIDTH)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        width, height = new_size
        self._width, self._height = width, height


out = _Console(highlight=False, soft_wrap=True)
err = _Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """One JSON object per line on stdout."""
    sys.stdout.write(orjson.dumps(data).decode("utf-8") + "\n")


def em_to_rich(text: str) -> str:
    """Search highlights use <em>; show them bold in the terminal."""
    import html

    from rich.markup import escape

    parts = text.split("<em>")
    result = escape(html.unescape(parts[0]))
    for part in parts[1:]:
        hit, _, rest = part.partition("</em>")
        result += f"[bold yellow]{escape(html.unescape(hit))}[/]" + escape(html.unescape(rest))
    return result


class RichProgress:
    """Draws threadline progress on stderr with rate and ETA."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._rates = Rates()  # of units counted beside the bar (pages, beside files)

    def begin(self, label: str, total: int | None, unit: str) -> None:
        speed = (
            TransferSpeedColumn()
            if unit == "bytes"
            else TextColumn("{task.fields[rate]}", justify="right")
        )
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn() if unit != "bytes" else TextColumn(""),
            speed,
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            transient=False,
            disable=not err.is_terminal,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total, rate="")
        self._rates = Rates()

    def advance(self, amount: int) -> None:
        if self._progress is None or self._task is None:
            return
        self._progress.advance(self._task, amount)
        task = self._progress.tasks[0]
        if task.speed:
            also = self._rates.text()
            rate = f"{task.speed:,.0f}/s" + (f" · {also}" if also else "")
            self._progress.update(self._task, rate=rate)

    def count(self, unit: str, amount: int) -> None:
        """Pages (say) done beside the bar's files: shown as a rate after the bar's."""
        self._rates.add(unit, amount)

    def end(self) -> None:
        if self._progress is not None:
            self._progress.stop()
        self._progress = None
        self._task = None
