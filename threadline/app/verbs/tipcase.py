"""Turning a tip into documents: its text and files laid out in a folder for document
ingest, and the document each became, to pin in the tip's case."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import document_id
from threadline.ingest.namespace import DatasetNamespace
from threadline.store import Store
from threadline.tips import Tip, Vault
from threadline.tips.vault import private_folder

TEXT_NAME = "tip.txt"


@dataclass(frozen=True)
class Staged:
    """One file laid out for ingest: the id of the document it becomes (before the
    dataset signs it) and what its pin will say."""

    document_id: str
    comment: str


def stage(tip: Tip, vault: Vault, folder: Path) -> list[Staged]:
    """Lay the tip out in `folder`: its text as `tip.txt`, each file as `N/name`
    (its place in the tip, so two files of one name stay two). The text comes first."""
    private_folder(folder)
    staged: list[Staged] = []
    if tip.text:
        text = folder / TEXT_NAME
        text.write_text(tip.text, encoding="utf-8")
        staged.append(Staged(_document(text), f"The tip as received on {tip.received_at}"))
    for file in tip.files:
        placed = folder / str(file.position) / file.name
        vault.place(file.sha256, placed)
        staged.append(Staged(_document(placed), f"File {file.name!r} sent with the tip"))
    return staged


def _document(path: Path) -> str:
    return document_id(Blob(path.name, path.name, file=path), None)


def staged_documents(store: Store, staged: list[Staged], dataset: str) -> Iterator[tuple[str, str]]:
    """The (document id, comment) of each staged file that ingest made a document of
    in `dataset`, in order, each once. Ingest signs ids with the dataset unless the
    local admin ingested them, so both forms are looked for."""
    namespace = DatasetNamespace(dataset)
    seen: set[str] = set()
    for item in staged:
        candidates = [item.document_id, namespace.sign(item.document_id)]
        found = store.statements_for(candidates)
        for candidate in candidates:
            rows = found.get(candidate, [])
            if candidate not in seen and any(r.dataset == dataset for r in rows):
                seen.add(candidate)
                yield candidate, item.comment
                break
