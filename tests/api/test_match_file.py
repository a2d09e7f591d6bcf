"""`POST /match-file`: a CSV or XLSX list uploaded to a real server, screened with the
caller's access, answered as JSON, CSV or XLSX, and audited row by row and as a list."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.api.conftest import PURPOSE, World
from tests.api.test_match import NOTHING, ONLY_REGISTRY, bench_of, narrow  # noqa: F401 - fixture
from threadline.audit import ActionKind
from threadline.demo import STORY

LIST = (
    "Name,Registration,Note\n"
    f"{STORY.contractor},HRB 73518,contractor\n"
    f"{STORY.relative},,relative\n"
    "Zyxw Qvbn,,nobody\n"
).encode()
MAPS = ["name=Name", "registrationNumber=Registration"]


def _post(world: World, user: str, body: bytes, name: str = "officials.csv", **form: object):  # type: ignore[no-untyped-def] # httpx's Response, kept short
    data = {"schema": "LegalEntity", "maps": MAPS, **form}
    with world.client(user) as client:
        return client.post("/match-file", files={"file": (name, body)}, data=data)


def test_a_csv_list_answers_json_with_candidates_and_links(world: World) -> None:
    answer = _post(world, "cat", LIST)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["file"] == "officials.csv" and body["schema"] == "LegalEntity"
    assert body["sha256"] == hashlib.sha256(LIST).hexdigest()
    assert body["screened"] == 3 and body["invalid"] == 0
    header = body["header"]
    assert header[:4] == ["row", "Name", "Registration", "Note"]
    rows = [dict(zip(header, r, strict=True)) for r in body["rows"]]
    contractor = [r for r in rows if r["Note"] == "contractor"]
    assert contractor[0]["caption"] == STORY.contractor and contractor[0]["match"] == "yes"
    assert "identifier" in contractor[0]["features"]
    assert contractor[0]["link"] == f"/entities/{contractor[0]['candidate_id']}"
    assert [r["status"] for r in rows if r["Note"] == "nobody"] == ["no candidates"]
    assert body["with_candidates"] == 2 and body["matched"] >= 1


def test_csv_and_xlsx_downloads(world: World) -> None:
    answer = _post(world, "cat", LIST, format="csv")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "officials-screened.csv" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {r["Note"] for r in rows} == {"contractor", "relative", "nobody"}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in csv.reader(io.StringIO(LIST.decode())):
        sheet.append(line)
    upload = io.BytesIO()
    book.save(upload)
    answer = _post(world, "cat", upload.getvalue(), name="officials.xlsx", format="xlsx")
    assert answer.status_code == 200, answer.text
    got = load_workbook(io.BytesIO(answer.content), read_only=True).worksheets[0]
    cells = list(got.iter_rows(values_only=True))
    assert cells[0][:4] == ("row", "Name", "Registration", "Note")
    assert any(row[1] == STORY.contractor and row[4] in ("match", "candidate") for row in cells)


@pytest.mark.parametrize(
    ("maps", "named"),
    [
        (["name=Nom"], "no column 'Nom'"),
        (["colour=Name"], "has no property 'colour'"),
        (["name"], "expected property=column"),
    ],
)
def test_bad_mappings_are_named(world: World, maps: list[str], named: str) -> None:
    answer = _post(world, "cat", LIST, maps=maps)
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["detail"]
    assert "/uploads/" not in answer.json()["detail"]  # the server's folders stay its own


def test_a_damaged_list_is_named_by_its_upload_name(world: World) -> None:
    answer = _post(world, "cat", b"Name,Note\nA,b,c\n", name="broken.csv", maps=["name=Name"])
    assert answer.status_code == 400, answer.text
    detail = answer.json()["detail"]
    assert detail.startswith("broken.csv") and "columns" in detail and "/uploads/" not in detail


def test_access_control_applies_to_every_row(narrow: World) -> None:  # noqa: F811 - fixture
    answer = _post(narrow, ONLY_REGISTRY, LIST)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    header = body["header"]
    rows = [dict(zip(header, r, strict=True)) for r in body["rows"]]
    found = [r for r in rows if r["candidate_id"]]
    assert found, "the registry holds the contractor"
    assert all(r["datasets"] == "registry" for r in found)
    text = str(body["rows"])
    for elsewhere in ("BRUECKENBAU HANSA GMBH", "G.m.b.H.", STORY.relative_native):
        assert elsewhere not in text  # the leak's and procurement's spellings
    nothing = _post(narrow, NOTHING, LIST).json()
    assert nothing["with_candidates"] == 0
    assert {r[header.index("status")] for r in nothing["rows"]} == {"no candidates"}
    unauthorised = _post(narrow, ONLY_REGISTRY, LIST, dataset="leak")
    assert unauthorised.status_code == 404


def test_every_row_and_the_list_are_audited(world: World) -> None:
    log = bench_of(world).accountability
    before = len(list(log.events()))
    with world.client("cat", **{"X-Request-Id": "match-file-audit"}) as client:
        answer = client.post(
            "/match-file",
            files={"file": ("officials.csv", LIST)},
            data={"schema": "LegalEntity", "maps": MAPS, "limit": "2"},
        )
    assert answer.status_code == 200, answer.text
    events = [e for e in list(log.events())[before:] if e.request_id == "match-file-audit"]
    assert [(e.action, e.kind, e.actor, e.purpose) for e in events] == [
        ("match", ActionKind.CONSULTATION, "cat", PURPOSE)
    ] * 3 + [("match-file", ActionKind.CONSULTATION, "cat", PURPOSE)]
    body = answer.json()
    header = body["header"]
    first = [r[header.index("candidate_id")] for r in body["rows"] if r[1] == STORY.contractor]
    assert list(events[0].object_ids) == first
    digest = hashlib.sha256(LIST).hexdigest()
    assert f"file=sha256:{digest} rows=3 schema=LegalEntity" in events[-1].detail
    assert all(f"row={n}" in e.detail for n, e in zip((2, 3, 4), events, strict=False))
    logged = " ".join(e.detail for e in events)
    assert STORY.contractor not in logged and "Zyxw" not in logged  # names are hashed


def test_no_purpose_no_screening(world: World) -> None:
    with world.client("cat", purpose=None) as client:
        answer = client.post(
            "/match-file",
            files={"file": ("officials.csv", LIST)},
            data={"schema": "LegalEntity", "maps": MAPS},
        )
    assert answer.status_code == 428, answer.text
