"""Running the real `threadline` command in-process: the same `main` as the console
script (so errors print as `error: ...` with exit code 1), without a process start-up
per command.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson
import typer
import typer.testing
from click.testing import CliRunner

from threadline.cli.app import app, main

# `main` calls the Typer app, and Typer turns it into a Click command tree on every
# call: for some hundred commands that is most of the time of a short command run
# in-process (0.4 s of 0.45). The tree of `app` is built once here and given to every
# later call, in every test of a process that imports this module; it is the same tree
# (Click commands keep no state between runs).
_build_command = typer.main.get_command
_BUILT = _build_command(app)


def _built_once(typer_instance: typer.Typer) -> typer.core.TyperCommand | typer.core.TyperGroup:
    built = _BUILT if typer_instance is app else _build_command(typer_instance)
    assert isinstance(built, typer.core.TyperCommand | typer.core.TyperGroup)
    return built


typer.main.get_command = _built_once
typer.testing._get_command = _built_once  # type: ignore[attr-defined]  # CliRunner.invoke's

# The acting context comes from these; a developer's own must not leak into tests.
CLEAN_ENV: dict[str, str | None] = {
    "THREADLINE_DATA_DIR": None,
    "THREADLINE_TOKEN": None,
    "THREADLINE_CASE": None,
    "THREADLINE_PURPOSE": None,
    "COLUMNS": "200",
}


@dataclass(frozen=True)
class Done:
    """A finished command: its exit code and what it printed."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        """Stdout as one JSON value."""
        return orjson.loads(self.stdout)

    def lines(self) -> list[dict[str, object]]:
        """Stdout as JSON lines."""
        return [orjson.loads(line) for line in self.stdout.splitlines() if line.strip()]


def cli(
    data_dir: Path,
    *args: str,
    token: str | None = None,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
) -> Done:
    """Run `threadline --data-dir DATA_DIR [--token TOKEN] ARGS...`."""
    argv = ["--data-dir", str(data_dir)]
    if token is not None:
        argv += ["--token", token]
    argv += list(args)
    with CliRunner().isolation(input=input, env={**CLEAN_ENV, **(env or {})}) as streams:
        try:
            main(argv)
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        sys.stdout.flush()  # the runner's text wrappers buffer what reaches the bytes
        sys.stderr.flush()
        stdout, stderr = (s.getvalue().decode("utf-8") for s in streams[:2])
    return Done(code, stdout, stderr)


def ok(
    data_dir: Path,
    *args: str,
    token: str | None = None,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
) -> Done:
    """Run a command that must succeed."""
    done = cli(data_dir, *args, token=token, env=env, input=input)
    assert done.code == 0, f"{args}: exit {done.code}\n{done.stderr}"
    return done
