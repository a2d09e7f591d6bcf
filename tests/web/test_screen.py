"""The screening page in real Chromium: upload a list, map its columns, follow its
job, see each row's candidates with links (every value escaped), and download the
results (another visitor cannot)."""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import SignIn, Site, shot
from threadline.demo import STORY

XSS = "<img src=x onerror=alert(1)>"


def _list(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Name", "Registration", "Note"])
        writer.writerow([STORY.contractor, "HRB 73518", "contractor"])
        writer.writerow([f"Zyxw Qvbn {XSS}", "", XSS])
    return path


def test_screen_a_list_on_the_page_and_download_it(
    page: Page, site: Site, signed_in: SignIn, tmp_path: Path
) -> None:
    signed_in(page, "ana")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site.url}/screen")
    listed = _list(tmp_path / "officials.csv")
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(listed))
    page.get_by_label("The rows are").select_option("LegalEntity")
    page.get_by_label("Columns (one property=column per line)").fill(
        "name=Name\nregistrationNumber=Registration"
    )
    page.get_by_role("button", name="Screen").click()
    page.wait_for_url("**/screen/jobs/**")
    job_url = page.url
    expect(page.locator("#screen-state")).to_have_text("done")
    summary = page.locator("#screen-summary")
    expect(summary).to_contain_text("1 with candidates")
    table = page.locator("#screen-table")
    link = table.get_by_role("link", name=STORY.contractor).first
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("/entities/")
    expect(table).to_contain_text("no candidates")
    expect(table).to_contain_text(XSS)  # shown as text, never run
    assert page.locator("#screen-table img").count() == 0 and dialogs == []
    shot(page, "screen-job")
    link.click()
    page.wait_for_url("**/entities/**")
    expect(page.locator("h1")).to_contain_text(STORY.contractor)
    page.goto(job_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results (CSV)").click()
    assert download.value.suggested_filename == "officials-screened.csv"
    saved = tmp_path / "results.csv"
    download.value.save_as(saved)
    with saved.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["Note"] for r in rows} == {"contractor", XSS}
    assert any(r["caption"] == STORY.contractor for r in rows)


def test_another_visitor_cannot_see_or_download_a_screening(
    page: Page, site: Site, signed_in: SignIn, tmp_path: Path
) -> None:
    signed_in(page, "kim")
    page.goto(f"{site.url}/screen")
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(_list(tmp_path / "k.csv")))
    page.get_by_label("Columns (one property=column per line)").fill("name=Name")
    page.get_by_role("radio", name="XLSX").check()
    page.get_by_role("button", name="Screen").click()
    page.wait_for_url("**/screen/jobs/**")
    job_url = page.url
    expect(page.get_by_role("link", name="Download the results (XLSX)")).to_be_visible()
    page.context.clear_cookies()
    signed_in(page, "ben")
    for url in (job_url, f"{job_url}/result"):
        answer = page.goto(url)
        assert answer is not None and answer.status == 404


def test_a_bad_column_is_named_on_the_page(
    page: Page, site: Site, signed_in: SignIn, tmp_path: Path
) -> None:
    signed_in(page, "ben")
    page.goto(f"{site.url}/screen")
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(_list(tmp_path / "l.csv")))
    page.get_by_label("Columns (one property=column per line)").fill("name=Nom")
    page.get_by_role("button", name="Screen").click()
    expect(page.locator("#screen-state")).to_have_text("failed")
    expect(page.locator("#screen-error")).to_contain_text("no column 'Nom'")
