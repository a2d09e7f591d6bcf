"""Sharing cases between threadline instances: share a case as a signed bundle (a
download), import one (an upload), and read this instance's public key.

Over HTTP `trust` is a key fingerprint only, never a path: a client must not make
the server read its own files. The bundle is written to a temporary folder and
returned as an attachment once the disclosure is on record.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.routes.cases import InCase
from threadline.api.uploads import safe_name, save
from threadline.cases.share import BundleError
from threadline.errors import InputError

router = APIRouter(tags=["sharing"], responses=responses())

CaseId = Annotated[str, Path(min_length=1, max_length=64)]
ZIP = "application/zip"
_FINGERPRINT = re.compile(r"(?:sha256:)?[0-9a-fA-F]{64}")
BUNDLE: dict[int | str, dict[str, Any]] = {
    200: {"description": "The signed case bundle (a zip)", "content": {ZIP: {}}}
}


class ImportOut(BaseModel):
    """What an import wrote."""

    case_id: str
    instance: str
    fingerprint: str
    datasets: list[str]
    statements: int
    pins: int
    notes: int
    withheld: dict[str, Any]
    files: int = 0  # original files kept


class KeyOut(BaseModel):
    """This instance's bundle signing key."""

    instance: str
    key_id: str
    fingerprint: str
    public_key: str


@router.post("/cases/{case_id}/share", response_class=Response, responses=BUNDLE)
def case_share(
    bench: InCase,
    case_id: CaseId,
    recipient: Annotated[str | None, Query(max_length=64)] = None,
    files: Annotated[bool, Query(description="Pack the documents' original files")] = True,
) -> Response:
    """`Workbench.case_share(case_id, to, recipient=recipient, files=files)`: the bundle
    as a download; `X-Withheld` counts what the policy kept home (listed in its
    withheld.json), `X-Files` the original files packed."""
    with tempfile.TemporaryDirectory(prefix="threadline-share-") as folder:
        name = f"case-{case_id}.zip"
        to = FilePath(folder) / name
        report = bench.case_share(case_id, to, recipient=recipient, files=files)
        content = report.path.read_bytes()
    withheld = report.withheld
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Withheld": str(withheld["statements"] + len(withheld["pins"]) + len(withheld["notes"])),
        "X-Files": str(report.files),
    }
    return Response(content, media_type=ZIP, headers=headers)


@router.post("/cases/import", response_model=ImportOut, status_code=201)
def case_import(
    bench: Bench,
    file: Annotated[UploadFile, File(description="A bundle written by `case share`")],
    trust: Annotated[
        str | None, Form(max_length=80, description="The sender's key fingerprint")
    ] = None,
) -> ImportOut:
    """`Workbench.case_import(path, trust=trust)`: import a shared case bundle."""
    if trust is not None and not _FINGERPRINT.fullmatch(trust.strip()):
        raise InputError("trust", "give the sender's key fingerprint (sha256:<64 hex digits>)")
    with tempfile.TemporaryDirectory(prefix="threadline-import-") as folder:
        path = save(file.file, FilePath(folder), "bundle.zip")
        try:
            report = bench.case_import(path, trust=trust)
        except BundleError as error:  # named as uploaded: the server's folders are its own
            raise BundleError(safe_name(file.filename, "bundle.zip"), error.message) from None
    return ImportOut(**asdict(report))


@router.get("/sharing/key", response_model=KeyOut)
def case_key(bench: Bench) -> KeyOut:
    """`Workbench.case_key()`: the public key other instances trust to import bundles."""
    return KeyOut(**asdict(bench.case_key()))
