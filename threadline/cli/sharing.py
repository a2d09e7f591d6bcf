"""`threadline case share`, `case import` and `case key`: signed case bundles between
threadline instances (docs/sharing.md)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from threadline.cli.cases import case_app
from threadline.cli.console import err, print_json
from threadline.cli.context import workbench

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in data.items()}


def share(
    ctx: typer.Context,
    case_id: CaseId,
    to: Annotated[Path, typer.Option("--to", help="The bundle file to write (a .zip).")],
    recipient: Annotated[
        str | None,
        typer.Option(
            "--recipient",
            help="Who receives it: the markings configured for them in share_recipients "
            "may leave; without one, only unmarked data does.",
        ),
    ] = None,
    files: Annotated[
        bool,
        typer.Option(
            "--files/--no-files",
            help="Pack the kept original files of the shared documents (the default).",
        ),
    ] = True,
    as_json: AsJson = False,
) -> None:
    """Write a signed bundle of the case for another threadline; lists what was withheld."""
    with workbench(ctx) as bench:
        report = bench.case_share(case_id, to, recipient=recipient, files=files)
    if as_json:
        print_json(_plain(asdict(report)))
        return
    withheld = report.withheld
    err.print(
        f"shared {report.statements} statement(s), {report.pins} pin(s) and "
        f"{report.notes} note(s) with {escape(report.recipient or '(unnamed recipient)')}"
        + (f", and {report.files} original file(s)" if report.files else "")
    )
    if withheld.get("files"):
        err.print(
            f"{len(withheld['files'])} document file(s) stayed home: see withheld.json "
            "in the bundle"
        )
    if withheld.get("statements") or withheld.get("pins") or withheld.get("notes"):
        err.print(
            f"withheld {withheld['statements']} statement(s), {len(withheld['pins'])} pin(s) "
            f"and {len(withheld['notes'])} note(s): see withheld.json in the bundle"
        )
    typer.echo(str(report.path))


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A bundle written by `case share`.")],
    trust: Annotated[
        str | None,
        typer.Option(
            "--trust",
            help="The sender's public key file or sha256 fingerprint (as `case key` prints "
            "it), if it is not in share_trusted_keys.",
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Import a shared case: signature checked, provenance kept, sender recorded."""
    with workbench(ctx) as bench:
        report = bench.case_import(file, trust=trust)
    if as_json:
        print_json(asdict(report))
        return
    err.print(
        f"imported {report.statements} statement(s), {report.pins} pin(s) and "
        f"{report.notes} note(s) from {escape(report.instance)} ({report.fingerprint})"
        + (f", and {report.files} original file(s)" if report.files else "")
    )
    typer.echo(report.case_id)


def key(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Print this instance's public key (PEM), which other instances trust to import
    its bundles; its fingerprint goes to stderr."""
    with workbench(ctx) as bench:
        found = bench.case_key()
    if as_json:
        print_json(asdict(found))
        return
    err.print(f"instance {escape(found.instance)}, key {found.fingerprint}")
    typer.echo(found.public_key, nl=False)


def register(app: typer.Typer) -> None:
    """Add `share`, `import` and `key` to the case verb group."""
    case_app.command("share")(share)
    case_app.command("import")(import_)
    case_app.command("key")(key)
