"""A supporter signs in a real browser: fills in the form, gets the mail, confirms, sees the count."""

import pytest

from tests import factories
from tests.helpers import confirm_url

pytestmark = pytest.mark.browser


def test_supporter_signs_and_confirms_in_chromium(app, live_server, browser, mailbox, run_jobs):
    petition = factories.petition(slug="browser-petitie", title="Stop de test")
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server}/petitions/{petition.slug}")
    assert page.title().startswith("Stop de test")

    page.fill("#name", "Fatima El Amrani")
    page.fill("#email", "Fatima@Example.NL")
    page.fill("#postcode", "3511 AB")
    page.check("#consent")
    page.click("button[type=submit]")
    page.wait_for_url("**/check-email")
    assert "bevestig uw handtekening" in page.content().lower()

    run_jobs()
    link = confirm_url(mailbox.wait_for(1)[0])
    assert link.startswith(live_server)
    page.goto(link)
    page.click("text=Ja, ik bevestig mijn handtekening")
    page.wait_for_url("**/thanks")
    run_jobs()
    page.goto(f"{live_server}/petitions/{petition.slug}")
    assert page.inner_text(".progress .count strong") == "1"


def test_the_form_shows_each_problem_next_to_its_field(app, live_server, browser):
    petition = factories.petition(slug="browser-fouten")
    page = browser.new_page()
    page.goto(f"{live_server}/petitions/{petition.slug}")
    page.fill("#email", "geen-adres")
    page.click("button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.inner_text("#name-error") == "Vul uw naam in."
    assert page.inner_text("#email-error") == "Dit is geen geldig e-mailadres."
    assert page.input_value("#email") == "geen-adres"
