"""In a real browser: a campaigner logs in, writes, previews and publishes a petition; a supporter signs it
in another browser; the campaigner sees the signature in the studio list and in the CSV export."""

import pytest

from tests import factories
from tests.helpers import confirm_url
from tests.studio_support import PASSWORD, account

pytestmark = pytest.mark.browser


def test_campaigner_publishes_and_a_supporter_signs(app, live_server, browser, mailbox, run_jobs):
    factories.theme("technologie")
    factories.target(name="Minister Digitale Zaken", email="minister.digitaal@example.org")
    factories.target(name="Kamercommissie Digitaal", email="commissie.digitaal@example.org")
    account("campaigner", "campagne@example.org")

    studio = browser.new_context().new_page()
    studio.goto(f"{live_server}/studio/login")
    studio.fill("#email", "campagne@example.org")
    studio.fill("#password", PASSWORD)
    studio.click("button[type=submit]")
    studio.wait_for_url(f"{live_server}/studio/")

    studio.click("nav a[href='/studio/petitions']")
    studio.click("text=Nieuwe petitie")
    studio.select_option("#theme_id", label="Technologie en mensenrechten")
    studio.fill("#title", "Geen algoritmes zonder toezicht")
    studio.fill("#slug", "algoritmes-toezicht")
    studio.fill("#summary", "Toezicht op algoritmes bij de overheid.")
    studio.fill(
        "#body", "Wij vragen **onafhankelijk toezicht**.\n\n- transparantie\n- een mensenrechtentoets"
    )
    studio.fill("#goal", "5000")
    studio.check("text=Minister Digitale Zaken")
    studio.check("text=Kamercommissie Digitaal")
    studio.click("button:has-text('Opslaan')")
    studio.wait_for_selector("text=De petitie is opgeslagen.")

    studio.click("text=Voorbeeld")
    assert studio.inner_text("h1") == "Geen algoritmes zonder toezicht"
    assert studio.inner_text(".body strong") == "onafhankelijk toezicht"
    assert "Kamercommissie Digitaal" in studio.inner_text(".targets")
    assert "Voorbeeld" in studio.inner_text(".flash-preview")
    studio.go_back()
    studio.click("button:has-text('Publiceren')")
    studio.wait_for_selector("text=De petitie is gepubliceerd.")

    supporter = browser.new_context().new_page()  # another browser: no studio session
    supporter.goto(f"{live_server}/petitions/algoritmes-toezicht")
    supporter.fill("#name", "Sanne Jansen")
    supporter.fill("#email", "sanne@example.nl")
    supporter.fill("#postcode", "1011 AB")
    supporter.check("#consent")
    supporter.click("button[type=submit]")
    supporter.wait_for_url("**/check-email")
    run_jobs()
    supporter.goto(confirm_url(mailbox.wait_for(1)[0]))
    supporter.click("text=Ja, ik bevestig mijn handtekening")
    supporter.wait_for_url("**/thanks")

    studio.click("a:has-text('Handtekeningen')")
    assert "sanne@example.nl" in studio.inner_text("table.signatures")
    with studio.expect_download() as download:
        studio.click("text=Bevestigde handtekeningen exporteren (CSV)")
    exported = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Sanne Jansen,sanne@example.nl,1011 AB,NL" in exported
