"""A tip becomes one case and a sending one tip, however often asked: a second call
(a double click, a retried request) gets what the first one made, also when both
run at the same time, against the real SQLite store."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.tips.conftest import as_user
from threadline.app.context import Context
from threadline.app.verbs.tipcase import TipOpened
from threadline.app.workbench import Workbench
from threadline.errors import InputError
from threadline.tips import Tip, TipError, TipStatus
from threadline.tips.records import ANONYMOUS

ANON = Context(actor=ANONYMOUS)


def _upload(tmp_path: Path, name: str, data: bytes) -> tuple[str, Path]:
    folder = tmp_path / "upload" / f"{len(list(tmp_path.glob('upload/*')))}"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    return name, folder / name


def _events(bench: Workbench, action: str) -> list[tuple[str, str]]:
    return [(e.outcome, e.detail) for e in bench.accountability.events() if e.action == action]


def _cases(bench: Workbench) -> list[str]:
    return [c.id for c in bench.accountability.cases.cases()]


def test_opening_a_tip_twice_gives_its_one_case(tipped: Workbench, tmp_path: Path) -> None:
    sent = _upload(tmp_path, "memo.txt", b"Zeta Trading memo")
    tip = tipped.acting(ANON).tip_submit("Zeta Trading pays the harbour master.", [sent])
    uma = as_user(tipped, "uma")
    first = uma.tip_case(tip.id, name="Harbour")
    again = uma.tip_case(tip.id, name="Harbour, again")
    assert not first.repeated and again.repeated
    assert again.case.id == first.case.id and again.pinned == first.pinned
    assert again.tip.status is TipStatus.OPENED and again.case.name == "Harbour"
    assert again.message == (
        f"tip {tip.id} was already opened as case {first.case.id} by uma on "
        f"{first.tip.decided_at}; nothing new was made"
    )
    assert _cases(tipped) == [first.case.id]
    assert len(uma.case_show(first.case.id).pins) == 2
    done = [d for o, d in _events(tipped, "tip.case") if o == "ok"]
    assert done == ["", f"repeated: already opened as case {first.case.id}"]
    assert len([o for o, _ in _events(tipped, "ingest") if o == "ok"]) == 1


def test_two_triagers_at_once_make_one_case(tipped: Workbench) -> None:
    tip = tipped.acting(ANON).tip_submit("Both of us click at once.")
    start = threading.Barrier(2)

    def open_it(user: str) -> TipOpened:
        bench = as_user(tipped, user)
        start.wait()
        return bench.tip_case(tip.id)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(open_it, ["uma", "uma"]))
    assert sorted(r.repeated for r in results) == [False, True]
    assert {r.case.id for r in results} == set(_cases(tipped)) and len(_cases(tipped)) == 1
    assert tipped._tips.tip(tip.id).case_id == results[0].case.id


def test_a_failure_after_the_case_is_made_is_retried_into_the_same_case(
    tipped: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    tip = tipped.acting(ANON).tip_submit("The pin fails the first time.")
    uma = as_user(tipped, "uma")
    pin = Workbench.case_pin

    def broken(self: Workbench, *args: object, **kwargs: object) -> object:
        raise OSError("disk full")

    monkeypatch.setattr(Workbench, "case_pin", broken)
    with pytest.raises(OSError, match="disk full"):
        uma.tip_case(tip.id)
    left = tipped._tips.tip(tip.id)
    (made,) = _cases(tipped)
    assert (left.status, left.case_id, left.decided_by) == (TipStatus.NEW, made, None)
    monkeypatch.setattr(Workbench, "case_pin", pin)
    opened = uma.tip_case(tip.id)
    assert (opened.case.id, opened.repeated) == (made, False) and _cases(tipped) == [made]
    assert [p.entity_id for p in uma.case_show(made).pins] == list(opened.pinned)


def test_a_rejected_tip_opens_no_case(tipped: Workbench) -> None:
    tip = tipped.acting(ANON).tip_submit("Nonsense.")
    uma = as_user(tipped, "uma")
    uma.tip_reject(tip.id, "Not credible")
    with pytest.raises(TipError, match=r"was rejected by uma on .*only a new tip opens a case"):
        uma.tip_case(tip.id)
    assert _cases(tipped) == []


def _send(bench: Workbench, text: str, *files: tuple[str, Path], key: str | None) -> Tip:
    return bench.acting(ANON).tip_submit(text, list(files), idempotency_key=key)


def test_a_retried_sending_with_its_key_keeps_one_tip(tipped: Workbench, tmp_path: Path) -> None:
    key = "3f2c1a9e-5d7b-4c1e-9a0b-2e8f6d4c3b21"
    first = _send(tipped, "The port fees.", _upload(tmp_path, "fees.csv", b"a,b\n"), key=key)
    retry = _upload(tmp_path, "fees.csv", b"a,b\n")
    again = _send(tipped, " The port fees. ", retry, key=key)
    assert again == first and retry[1].exists()  # the retry's file is not taken
    assert [t.id for t in as_user(tipped, "uma").tip_list()] == [first.id]
    submits = [(o, d) for o, d in _events(tipped, "tip.submit") if o == "ok"]
    assert submits[1] == ("ok", "repeated: the tip this key sent before; nothing kept")
    with pytest.raises(TipError, match="this key was sent before with another tip"):
        _send(tipped, "Other text.", key=key)
    with pytest.raises(TipError, match="this key was sent before with another tip"):
        _send(tipped, "The port fees.", _upload(tmp_path, "fees.csv", b"other"), key=key)
    other = _send(tipped, "The port fees.", key="another-key")
    assert other.id != first.id and len(as_user(tipped, "uma").tip_list()) == 2
    for bad in ("", "has space", "x" * 201, "é"):
        with pytest.raises(InputError, match="Idempotency-Key: must be"):
            _send(tipped, "x", key=bad)


def test_two_sendings_of_one_key_at_once_keep_one_tip(tipped: Workbench, tmp_path: Path) -> None:
    uploads = [_upload(tmp_path, "a.txt", b"same bytes") for _ in range(2)]
    start = threading.Barrier(2)

    def send(upload: tuple[str, Path]) -> Tip:
        start.wait()
        return _send(tipped, "At once.", upload, key="k-at-once")

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(send, uploads)
    assert first.id == second.id
    assert [t.id for t in as_user(tipped, "uma").tip_list()] == [first.id]
    (kept,) = first.files
    assert (tipped.data_dir / "tips" / "files" / kept.sha256[:2] / kept.sha256).exists()


def test_a_second_triager_learns_who_opened_the_case_and_nothing_of_it(
    tipped: Workbench,
) -> None:
    tipped.group_member("desk", "vic")
    tip = tipped.acting(ANON).tip_submit("Two triagers, one case.")
    first = as_user(tipped, "uma").tip_case(tip.id, name="Uma's private file")
    with pytest.raises(TipError) as refused:
        as_user(tipped, "vic").tip_case(tip.id)
    said = str(refused.value)
    assert "already opened as a case by uma" in said
    assert first.case.id not in said and "Uma's private file" not in said
    assert as_user(tipped, "uma").tip_case(tip.id).repeated  # its owner still gets it
