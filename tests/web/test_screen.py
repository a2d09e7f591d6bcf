"""The screening page in real Chromium: upload a list, map its columns, see each row's
candidates with links (every value escaped), and download the results."""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import SignIn, Site
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
    summary = page.locator("#screen-summary")
    expect(summary).to_contain_text("1 with candidates")
    table = page.locator("#screen-table")
    link = table.get_by_role("link", name=STORY.contractor).first
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("/entities/")
    expect(table).to_contain_text("no candidates")
    expect(table).to_contain_text(XSS)  # shown as text, never run
    assert page.locator("#screen-table img").count() == 0 and dialogs == []
    link.click()
    page.wait_for_url("**/entities/**")
    expect(page.locator("h1")).to_contain_text(STORY.contractor)
    page.go_back()
    page.goto(f"{site.url}/screen")
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(listed))
    page.get_by_label("The rows are").select_option("LegalEntity")
    page.get_by_label("Columns (one property=column per line)").fill("name=Name")
    page.get_by_label("Download CSV").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Screen").click()
    assert download.value.suggested_filename == "officials-screened.csv"
    saved = tmp_path / "results.csv"
    download.value.save_as(saved)
    with saved.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["Note"] for r in rows} == {"contractor", XSS}
    assert any(r["caption"] == STORY.contractor for r in rows)


def test_a_bad_column_is_named_on_the_page(
    page: Page, site: Site, signed_in: SignIn, tmp_path: Path
) -> None:
    signed_in(page, "ben")
    page.goto(f"{site.url}/screen")
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(_list(tmp_path / "l.csv")))
    page.get_by_label("Columns (one property=column per line)").fill("name=Nom")
    page.get_by_role("button", name="Screen").click()
    expect(page.locator("main")).to_contain_text("no column 'Nom'")
