"""Security of the pages: hostile data renders inert, changes need the CSRF token, and
a case is reachable only by its members (an unknown id looks the same)."""

from __future__ import annotations

import re

import httpx
import orjson
from playwright.sync_api import FilePayload, Page, expect

from tests.conftest import entity
from tests.web.conftest import PASSWORD, Site, shot, sign_in
from threadline.app.context import Context
from threadline.ingest.namespace import DatasetNamespace

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = '"><script>window.__xss=1</script>'
# Uploaded by ana (not the local admin), the ids are signed with their dataset.
PERSON, COMPANY = (DatasetNamespace("tips").sign(i) for i in ("xss-person", "xss-company"))
PAYLOADS = [
    entity("xss-person", "Person", name=IMG, notes=SCRIPT, country="de"),
    entity("xss-company", "Company", name=SCRIPT, notes=IMG),
    entity("xss-owns", "Ownership", owner="xss-person", asset="xss-company", role=IMG),
]


def _upload(page: Page, site: Site) -> None:
    """Load the payloads through the ingest page, with one broken line to report."""
    lines = [orjson.dumps(e) for e in PAYLOADS] + [b"{not json"]
    page.goto(f"{site.url}/ingest")
    page.set_input_files(
        "#ingest-file",
        files=[
            FilePayload(name="tips.jsonl", mimeType="application/json", buffer=b"\n".join(lines))
        ],
    )
    page.get_by_label("Dataset name").fill("tips")
    page.get_by_label(re.compile("Keep the good rows")).check()
    page.get_by_role("button", name="Upload and load").click()
    page.wait_for_url("**/ingest/jobs/**")
    expect(page.locator("#job-state")).to_have_text("done")
    expect(page.locator("#job-reports tbody tr")).to_have_count(1)
    expect(page.locator("#job-errors tbody tr")).to_have_count(1)
    expect(page.locator("#job-errors tbody td").nth(1)).to_have_text("4")
    shot(page, "ingest-row-errors")


def _inert(page: Page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0


def test_payloads_in_ingested_data_render_as_text(page: Page, site: Site) -> None:
    sign_in(page, site, "ana", purpose="Checking hostile records")
    _upload(page, site)

    page.goto(f"{site.url}/search?q=onerror")
    captions = page.locator(".hit .caption")
    expect(captions.filter(has_text=re.compile(f"^{re.escape(IMG)}$"))).to_be_visible()
    # The ownership's caption names its role and its ends: the payloads, still as text.
    owns = captions.filter(has_text=re.compile(r"^Ownership \("))
    expect(owns).to_have_text(f"Ownership ({IMG}), {IMG} → {SCRIPT}")
    _inert(page)

    page.goto(f"{site.url}/entities/{PERSON}")
    expect(page.locator("h1")).to_have_text(IMG)
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    _inert(page)

    page.goto(f"{site.url}/entities/{COMPANY}")
    expect(page.locator("h1")).to_have_text(SCRIPT)
    _inert(page)

    page.goto(f"{site.url}/graph?entity_id={PERSON}")
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    expect(page.locator("#node-list")).to_contain_text(SCRIPT)
    page.locator(f"#graph-nodes button[data-id='{COMPANY}']").click()
    expect(page.locator("#panel-body")).to_contain_text(SCRIPT)
    _inert(page)
    shot(page, "xss-inert")

    # A case named, described and annotated with payloads, worked in from the header.
    ana = site.bench.acting(Context(actor="ana", purpose="Checking hostile records"))
    case = ana.case_create(IMG, SCRIPT, "all")
    ana.case_pin(case.id, PERSON, IMG)
    ana.case_note(case.id, f"{SCRIPT} cites [[entity:{PERSON}]]")
    page.goto(f"{site.url}/cases/{case.id}")
    expect(page.locator("h1")).to_have_text(IMG)
    expect(page.locator(".note-card .text")).to_contain_text(SCRIPT)
    expect(page.locator(".note-card a.cite")).to_have_text(f"[{IMG}]")
    page.get_by_role("button", name="Work in this case").click()
    expect(page.locator(".who .work")).to_contain_text(IMG)
    _inert(page)
    page.goto(f"{site.url}/work")
    expect(page.locator("#work-case")).to_contain_text(SCRIPT)
    _inert(page)


def test_a_change_without_the_csrf_token_is_refused(site: Site) -> None:
    with httpx.Client(base_url=site.url, follow_redirects=False, timeout=30) as client:
        # Signing in from another site (no form token) is refused too.
        forged = client.post("/login", data={"username": "ana", "password": PASSWORD})
        assert forged.status_code == 403
        # The refusal is the form again, with a fresh token in its cookie.
        token = re.search(r'name="login_token" value="([^"]+)"', forged.text)
        assert token is not None
        signed = client.post(
            "/login",
            data={"username": "ana", "password": PASSWORD, "login_token": token.group(1)},
        )
        assert signed.status_code == 303
        # Reading data needs a purpose first: the page asks, then comes back.
        asked = client.get("/search", params={"q": "Sokolov"})
        assert asked.status_code == 303
        assert asked.headers["location"] == "/work?next=%2Fsearch%3Fq%3DSokolov&asked=1"
        page = client.get("/work")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None and csrf.group(1)
        case = {"name": "Forged", "purpose": "none", "scope": "all"}
        refused = client.post("/cases", data=case)
        assert refused.status_code == 403
        assert "CSRF" in refused.text
        wrong = client.post("/cases", data={**case, "csrf_token": "not-the-token"})
        assert wrong.status_code == 403
        made = client.post("/cases", data={**case, "csrf_token": csrf.group(1)})
        assert made.status_code == 303, made.text[-800:]
        assert made.headers["location"].startswith("/cases/")
        # Every page carries the strict content security policy.
        assert "script-src 'self'" in page.headers["content-security-policy"]
        # Signing out is a change too.
        assert client.post("/logout").status_code == 403
        out = client.post("/logout", data={"csrf_token": csrf.group(1)})
        assert out.status_code == 303 and out.headers["location"] == "/login"
        again = client.get("/cases")
        assert again.status_code == 303 and again.headers["location"].startswith("/login")


def test_another_users_case_is_refused_like_an_unknown_id(page: Page, site: Site) -> None:
    ana = site.bench.acting(Context(actor="ana"))
    case = ana.case_create("Private file", "Ana's own leads", "all")
    sign_in(page, site, "ben")
    theirs = page.goto(f"{site.url}/cases/{case.id}")
    assert theirs is not None and theirs.status == 403
    heading = page.locator("h1").inner_text()
    body = page.locator(".error").inner_text()
    shot(page, "case-refused")
    unknown = page.goto(f"{site.url}/cases/000000000000")
    assert unknown is not None and unknown.status == 403
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".error").inner_text() == body.replace(case.id, "000000000000")
    assert "Private file" not in page.content()
    # The list shows only ben's own cases.
    page.goto(f"{site.url}/cases")
    expect(page.get_by_text("Private file")).to_have_count(0)


def test_removed_from_the_current_case_can_still_choose_other_work(page: Page, site: Site) -> None:
    ana = site.bench.acting(Context(actor="ana"))
    case = ana.case_create("Shared file", "Leads shared with Kim", "all")
    ana.case_member(case.id, "kim", "editor")
    sign_in(page, site, "kim")
    page.goto(f"{site.url}/cases/{case.id}")
    page.get_by_role("button", name="Work in this case").click()
    expect(page.locator(".who .work")).to_contain_text("Shared file")
    ana.case_member(case.id, "kim", None)
    refused = page.goto(f"{site.url}/search?q=Sokolov")
    assert refused is not None and refused.status == 403
    page.get_by_role("link", name="Change what you are working on").click()
    page.get_by_label("Purpose (when not working in a case)").fill("Back to my own work")
    page.get_by_label("Case", exact=True).select_option("")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".who .work")).to_contain_text("Back to my own work")
