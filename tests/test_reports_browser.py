"""In a real browser: a campaigner reads the four-monthly report and invites an outside reviewer;
the reviewer opens the emailed link on a phone, contests the outcome with a comment, and the campaigner
sees the verdict. No console errors (the CSP holds: charts are inline SVG without inline styles).

Set SCREENSHOT_DIR to keep screenshots of each page at phone and laptop size."""

import os
import re

import pytest

from tests.report_seed import PERIOD, seed_period
from tests.studio_support import PASSWORD, account

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}


def _shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=os.path.join(folder, f"{name}-{size}.png"), full_page=True)


def _watch(page, problems: list) -> None:
    # The form sent without a comment answers 400 on purpose; any other error is a problem.
    page.on(
        "console",
        lambda message: (
            message.type == "error" and "status of 400" not in message.text and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))


def test_report_and_an_outside_review_in_the_browser(app, live_server, browser, mailbox, run_jobs):
    seeded = seed_period()
    account("campaigner", "campagne@example.org")
    problems = []

    studio = browser.new_context(viewport=SIZES["laptop"]).new_page()
    _watch(studio, problems)
    studio.goto(f"{live_server}/studio/login")
    studio.fill("#email", "campagne@example.org")
    studio.fill("#password", PASSWORD)
    studio.click("button[type=submit]")
    studio.wait_for_url(f"{live_server}/studio/")
    studio.click("nav a[href='/studio/reports']")
    _shoot(studio, "reports-index")
    studio.click(f"a[href='/studio/reports/{PERIOD}']")
    assert "9" in studio.inner_text(".report-summary .metric-totals")
    assert studio.locator(".report-chart svg rect").count() >= 6
    _shoot(studio, "report")

    studio.goto(f"{live_server}/studio/impact/{seeded.law_outcome.id}/edit")
    studio.fill("#review #name", "Prof. A. de Vries")
    studio.fill("#review #email", "a.devries@example.org")
    studio.fill("#review #affiliation", "Universiteit Leiden")
    studio.check("#review #public")
    studio.click("#review button[type=submit]")
    studio.wait_for_selector("text=De uitnodiging is verstuurd.")
    _shoot(studio, "outcome-edit")

    run_jobs()
    [invitation] = [m for m in mailbox.messages if "beoordelen" in m["Subject"]]
    link = re.search(r"/review/[\w-]+", invitation.get_body(("plain",)).get_content()).group(0)

    reviewer = browser.new_context(viewport=SIZES["phone"]).new_page()
    _watch(reviewer, problems)
    reviewer.goto(f"{live_server}{link}")
    assert "Kamer neemt verbod op gezichtsherkenning aan" in reviewer.inner_text("main")
    _shoot(reviewer, "review")
    reviewer.set_viewport_size(SIZES["phone"])
    reviewer.click("text=Ik betwist dit")
    reviewer.click("button:has-text('Oordeel versturen')")
    assert "Licht uw kanttekening of bezwaar kort toe." in reviewer.inner_text("main")
    reviewer.fill("#comment", "Het verbod kwam er door een uitspraak van de rechter.")
    reviewer.click("button:has-text('Oordeel versturen')")
    reviewer.wait_for_selector("text=Dank u wel")

    studio.goto(f"{live_server}/studio/impact/{seeded.law_outcome.id}/edit")
    assert "Betwist" in studio.inner_text("#review")
    assert "uitspraak van de rechter" in studio.inner_text("#review")
    assert not problems, problems
