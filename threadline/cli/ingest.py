"""`threadline ingest`: files in, statements out, with a progress bar and a summary."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from threadline.cli.console import RichProgress, err, out, print_json
from threadline.cli.context import workbench
from threadline.ingest.tabular import parse_maps


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="FtM JSONL, FtM mapping YAML, CSV or XLSX files; documents (PDF, office, "
            "text, HTML, e-mail, archives); folders (every file in them, as documents)."
        ),
    ],
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset", "-d", help="Dataset (collection) name; a mapping's own name by default."
        ),
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="FtM schema for a plain CSV/XLSX, e.g. Person.")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help='property=column for a plain CSV/XLSX, e.g. name="Full name".'),
    ] = None,
    key: Annotated[
        list[str] | None,
        typer.Option(
            "--key", help="Column(s) that identify a record (default: all mapped columns)."
        ),
    ] = None,
    skip_errors: Annotated[
        bool, typer.Option("--skip-errors", help="Write the good rows and report the bad ones.")
    ] = False,
    confine_to: Annotated[
        Path | None,
        typer.Option(
            "--confine-to",
            help="Read only files inside this folder (the files given and every file a "
            "mapping names, symlinks followed).",
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="Country code (e.g. us) where phone numbers without a +prefix are dialed, "
            "unless the mapping gives one.",
        ),
    ] = None,
    ocr_lang: Annotated[
        str | None,
        typer.Option(
            "--ocr-lang",
            help="Tesseract languages for scans and images, e.g. deu+eng (default: the "
            "ocr_lang setting, eng).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Ingest files again that the dataset already holds (same bytes, mapping "
            "and options), which a re-run otherwise skips.",
        ),
    ] = False,
) -> None:
    """Ingest files into a dataset: every value keeps its file, row and hash."""
    maps = parse_maps(map_ or [])
    with workbench(ctx) as bench:
        reports = bench.ingest(
            paths,
            dataset,
            schema=schema,
            maps=maps,
            keys=key or [],
            skip_errors=skip_errors,
            confine_to=confine_to,
            country=country,
            ocr_lang=ocr_lang,
            force=force,
            progress=RichProgress(),
        )
    failed = 0
    documents_failed: list[str] = []
    skipped = 0
    for report in reports:
        if report.skipped:
            skipped += 1
            err.print(
                f"skipped {report.path}: already ingested into {report.dataset}", markup=False
            )
            continue
        for problem in report.failed:
            documents_failed.append(str(problem))
            err.print(f"[red]failed[/] {escape(str(problem))}", markup=True, highlight=False)
        for warning in report.warnings:
            err.print(f"note: {warning}", markup=False, highlight=False)
        rate = report.records / report.seconds if report.seconds else 0.0
        err.print(
            f"ingested {Path(report.path).name} into {report.dataset} ({report.kind}): "
            f"{report.records:,} records, {report.entities:,} entities, "
            f"{report.statements:,} statements, {len(report.errors)} errors, "
            f"{len(report.notices)} values discarded, {rate:,.0f} records/s",
            markup=False,
        )
        for error in report.errors:
            failed += 1
            err.print(f"[yellow]skipped[/] {escape(str(error))}", markup=True, highlight=False)
        for notice in report.notices[:_NOTICES_SHOWN]:
            err.print(f"discarded: {notice}", markup=False, highlight=False)
        if len(report.notices) > _NOTICES_SHOWN:
            err.print(f"... and {len(report.notices) - _NOTICES_SHOWN:,} more values discarded")
    if failed:
        err.print(f"{failed} bad record(s) skipped; the rest was written.")
    if skipped:
        err.print(
            f"{skipped} file(s) skipped: already ingested (same bytes, dataset, mapping and "
            "options); --force ingests them again."
        )
    if documents_failed:
        err.print(
            f"{len(documents_failed)} document(s) could not be extracted; they are kept with "
            "the reason (see `threadline failures`)."
        )


def failures(
    ctx: typer.Context,
    dataset: Annotated[
        str | None, typer.Option("--dataset", "-d", help="Only this dataset's documents.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List every document that could not be extracted, or only in part, with its file
    and the reasons."""
    with workbench(ctx) as bench:
        found = bench.failures(dataset)
    if as_json:
        for item in found:
            print_json(asdict(item))
        return
    for item in found:
        names = ", ".join(item.file_names) or "(no name)"
        reason = "; ".join(item.errors) or "(no reason recorded)"
        out.print(f"{item.dataset}\t{names}\t{item.entity_id}\t{reason}", markup=False)
    partial = sum(1 for item in found if item.status != "failure")
    read_in_part = f", {partial} read in part (some pages failed)" if partial else ""
    err.print(f"{len(found) - partial} failed document(s){read_in_part}")


_NOTICES_SHOWN = 20  # discarded values listed one by one; the rest are counted


def register(app: typer.Typer) -> None:
    """Add the ingest and failures verbs."""
    app.command("ingest")(ingest)
    app.command("failures")(failures)
