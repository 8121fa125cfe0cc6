"""Signing the demo petition in Arabic and in Ukrainian in Chromium, on a phone: the page has the right
lang and dir, nothing sticks out sideways, the title, the count and the first field show without
scrolling, axe finds nothing; the confirmation mail comes in that language, the letter to officials in
Dutch."""

import pytest

from campaign.extensions import db
from campaign.seeding import seed_demo
from tests.browser_support import axe_violations, horizontal_overflow, screenshot, watch_origins
from tests.delivery_helpers import deliver_all, letters_to
from tests.helpers import confirm_url

pytestmark = pytest.mark.browser

SLUG = "stop-gezichtsherkenning"  # the demo petition that sends a letter per supporter
EXPECTED = {
    "ar": ("rtl", "أوقفوا المراقبة الجماعية بتقنية التعرف على الوجوه", "فاطمة الزهراء"),
    "uk": ("ltr", "Зупиніть масове стеження за допомогою розпізнавання облич", "Олена Коваленко"),
}


@pytest.mark.parametrize("language", EXPECTED)
def test_signing_the_demo_petition_in(language, app, live_server, browser, mailbox, run_jobs, tmp_path):
    seed_demo()
    db.session.commit()
    direction, title, name = EXPECTED[language]
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
    others = watch_origins(page, live_server)
    page.goto(f"{live_server}/petitions/{SLUG}?lang={language}")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == direction
    assert page.inner_text("h1") == title
    assert horizontal_overflow(page) <= 0
    for selector in ("h1", ".progress .count", "#name"):  # seen on a phone without scrolling
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= 844, selector
    assert axe_violations(page) == []
    screenshot(page, f"sign-{language}-390x844", tmp_path)

    page.fill("#name", name)
    page.fill("#email", f"{language}@example.nl")
    page.fill("#postcode", "3511 AB")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/check-email*")
    assert page.get_attribute("html", "lang") == language  # the choice is remembered

    run_jobs()
    (mail,) = [m for m in mailbox.wait_for(1) if m["X-Envelope-To"] == f"{language}@example.nl"]
    assert mail["Content-Language"] == language
    html = mail.get_body(("html",)).get_content()
    assert f'<html lang="{language}" dir="{direction}">' in html and title in html
    page.goto(confirm_url(mail))
    assert page.get_attribute("html", "lang") == language
    page.click("form button[type=submit]")
    page.wait_for_url("**/thanks*")
    assert page.get_attribute("html", "dir") == direction

    deliver_all(run_jobs)
    letters = letters_to(mailbox.messages, "minister.justitie@example.org")
    assert letters, "no letter to the demo minister"
    text = letters[-1].get_body(("plain",)).get_content()
    assert "Stop massasurveillance met gezichtsherkenning" in text and title not in text
    assert letters[-1]["Content-Language"] == "nl"
    assert not others, others
