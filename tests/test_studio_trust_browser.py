"""In a real browser (Chromium): the studio steps campaigners have to trust. Saving a petition with no
web address typed; previewing a draft with its form; closing with the confirmation step and cancelling
the hand-over inside the undo window (no mail reaches the sink); an update to 1,000 supporters of whom
3 did not opt in and 1 unsubscribes with the RFC 8058 POST (997 get the first update, 996 the next);
counts per source after signing from two sources."""

import re
from datetime import timedelta

import pytest

from campaign.delivery.settings import update_settings
from campaign.extensions import db
from campaign.models import Delivery, Petition, Signature
from campaign.models.base import utcnow
from tests import factories
from tests.helpers import confirm_url
from tests.studio_support import PASSWORD, account
from tests.test_updates import supporters

pytestmark = pytest.mark.browser


@pytest.fixture
def config_overrides():
    return {"UPDATE_MAILS_PER_MINUTE": 0}


def studio_page(browser, live_server):
    account("campaigner", "campagne@example.org")
    page = browser.new_context().new_page()
    page.goto(f"{live_server}/studio/login")
    page.fill("#email", "campagne@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/studio/")
    return page


def test_saving_with_no_web_address_typed_then_previewing_the_draft_with_its_form(
    app, live_server, browser, mailbox
):
    factories.theme("technologie")
    db.session.commit()
    studio = studio_page(browser, live_server)
    studio.goto(f"{live_server}/studio/petitions/new")
    studio.select_option("#theme_id", label="Technologie en mensenrechten")
    studio.fill("#title", "Geen gezichtsherkenning op straat!")
    studio.fill("#body", "Wij vragen een **verbod**.\n\n## Waarom nu?\n\n- camera's")
    # The live preview: rendered by our own script through the server's sanitiser, as it will be stored.
    studio.wait_for_selector("#body-preview strong")
    assert studio.inner_text("#body-preview strong") == "verbod"
    assert studio.inner_text("#body-preview h2") == "Waarom nu?"
    studio.wait_for_function("document.querySelector('#slug').value !== ''")
    assert studio.input_value("#slug") == "geen-gezichtsherkenning-op-straat"
    studio.fill("#slug", "")  # even with the field emptied, the title gives the address
    studio.click("button:has-text('Opslaan')")
    studio.wait_for_selector("text=De petitie is opgeslagen.")
    assert "/petitions/geen-gezichtsherkenning-op-straat" in studio.inner_text("dl.facts")

    studio.click("text=Voorbeeld")
    assert "zodra ze open is" in studio.inner_text(".flash-preview")
    assert "gesloten" not in studio.inner_text("#teken")
    studio.fill("#name", "Sanne Jansen")
    studio.fill("#email", "sanne@example.nl")
    studio.fill("#postcode", "1011 AB")
    studio.check("#consent")
    studio.click("#teken button[type=submit]")
    studio.wait_for_selector("text=Er is niets opgeslagen")
    assert db.session.execute(db.select(Signature)).first() is None
    assert mailbox.messages == []


def test_closing_asks_first_and_the_hand_over_is_cancelled_inside_the_undo_window(
    app, live_server, browser, mailbox, run_jobs
):
    petition = factories.petition(slug="overhandig", title="Overhandig mij")
    petition.targets = [factories.target(name="Minister A", email="minister.a@example.org")]
    update_settings(petition, handover=True)
    db.session.commit()
    supporters(petition, 3)
    studio = studio_page(browser, live_server)
    studio.goto(f"{live_server}/studio/petitions/{petition.id}")
    studio.click("text=Sluiten…")
    step = studio.inner_text("main")
    assert "minister.a@example.org" in step and "Over 10 minuten" in step and "volledige lijst" in step
    assert db.session.get(Petition, petition.id).status == "open"
    studio.click("button:has-text('Ja, sluit de petitie en overhandig')")
    studio.wait_for_selector("text=De petitie is gesloten.")
    studio.goto(f"{live_server}/studio/petitions/{petition.id}")
    assert "wacht tot" in studio.inner_text(".undo-window")
    studio.click("button:has-text('Overhandiging annuleren')")
    studio.wait_for_selector("text=De overhandiging is geannuleerd")
    db.session.commit()
    # Even once the window would have passed, nothing leaves.
    db.session.execute(Delivery.__table__.update().values(due_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    run_jobs()
    assert db.session.execute(db.select(Delivery.status)).scalars().all() == ["cancelled"]
    assert mailbox.messages == []


def test_an_update_to_1000_supporters_honours_opt_in_and_one_click_unsubscribe(
    app, live_server, browser, mailbox, run_jobs
):
    petition = factories.petition(slug="update-duizend", title="Duizend stemmen")
    supporters(petition, 997)
    supporters(petition, 3, newsletter=False, start=997)  # did not opt in
    studio = studio_page(browser, live_server)

    def write_and_send(subject):
        studio.goto(f"{live_server}/studio/petitions/{petition.id}/updates/new")
        studio.fill("#subject", subject)
        studio.fill("#body", "We hebben **gewonnen**.")
        studio.click("button:has-text('Opslaan en bekijken')")
        studio.click("a:has-text('Versturen aan')")
        studio.click("button:has-text('Ja, verstuur aan')")
        studio.wait_for_selector("text=Hieronder ziet u de voortgang")

    write_and_send("Eerste update")
    run_jobs()
    first = mailbox.wait_for(997, timeout=60)
    assert len(first) == 997 and {m["Subject"] for m in first} == {"Eerste update"}
    studio.reload()
    assert studio.inner_text("#progress-sent") == "997"

    # A mail client's one-click unsubscribe (RFC 8058): a POST to the List-Unsubscribe link, no cookies.
    link = re.search(r"<([^>]+)>", first[0]["List-Unsubscribe"]).group(1)
    assert first[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_client = browser.new_context()
    answer = mail_client.request.post(link, form={"List-Unsubscribe": "One-Click"})
    assert answer.status == 200
    mail_client.close()

    mailbox.clear()
    write_and_send("Tweede update")
    run_jobs()
    second = mailbox.wait_for(996, timeout=60)
    assert len(second) == 996 and first[0]["To"] not in {m["To"] for m in second}


def test_counts_per_source_after_signing_from_two_sources(app, live_server, browser, mailbox, run_jobs):
    petition = factories.petition(slug="bronnen", title="Bronnen tellen")
    for n, link in enumerate(["?bron=nieuwsbrief", "?utm_source=mastodon", "?bron=nieuwsbrief"]):
        supporter = browser.new_context().new_page()
        supporter.goto(f"{live_server}/petitions/bronnen{link}")
        supporter.fill("#name", f"Ondertekenaar {n}")
        supporter.fill("#email", f"bron{n}@example.nl")
        supporter.fill("#postcode", "3511 AB")
        supporter.check("#consent")
        supporter.click("button[type=submit]")
        supporter.wait_for_url("**/check-email")
        run_jobs()
        supporter.goto(confirm_url(mailbox.wait_for(n + 1)[n]))
        supporter.click("text=Ja, ik bevestig mijn handtekening")
        supporter.wait_for_url("**/thanks")
    run_jobs()
    studio = studio_page(browser, live_server)
    studio.goto(f"{live_server}/studio/petitions/{petition.id}")
    rows = {
        row.query_selector("td").inner_text(): row.query_selector_all("td")[1].inner_text()
        for row in studio.query_selector_all("table.sources tbody tr")
    }
    assert rows == {"nieuwsbrief": "2", "mastodon": "1"}
