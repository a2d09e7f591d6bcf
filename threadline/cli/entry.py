"""The `threadline` console script's entry point.

It imports nothing at its top level: multiprocessing runs a main script given by path
again in every process it starts (the document extraction processes among them), so
what this module imports, each of them would import too.
"""

from __future__ import annotations


def main(args: list[str] | None = None) -> None:
    """Run the command line (`threadline.cli.app.main`)."""
    from threadline.cli.app import main as run

    run(args)
