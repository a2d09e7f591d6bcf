"""A writer for the backup drill, run as its own process: in a loop it ingests two new
people into the `live` dataset, judges them the same, and searches (an audit event),
until a stop file appears. It counts finished rounds in a progress file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import orjson

from threadline.app.workbench import Workbench


def main(data_dir: Path, stop: Path, progress: Path) -> None:
    folder = data_dir.parent / "writer-files"
    folder.mkdir(exist_ok=True)
    with Workbench(data_dir=data_dir) as bench:
        round_ = 0
        while not stop.exists():
            left, right = f"live-{round_}-a", f"live-{round_}-b"
            path = folder / f"round-{round_}.ijson"
            people = [
                {"id": i, "schema": "Person", "properties": {"name": [f"Writer {round_} Person"]}}
                for i in (left, right)
            ]
            path.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in people))
            bench.ingest([path], "live")
            bench.judge(left, right, "same")
            bench.search("writer")
            round_ += 1
            tmp = progress.with_suffix(".tmp")
            tmp.write_text(str(round_))
            os.replace(tmp, progress)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
