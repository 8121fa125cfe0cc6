"""Proof of work nobody notices, and nobody is shut out by (issue 10, point 6): a browser without
JavaScript cannot solve the puzzle, so its signature is stored held back (flag no_proof), mailed and
confirmable; it counts once a campaigner releases it or the switch is off again."""

import pytest

from campaign.abuse.controls import forget_snapshot, set_switch
from campaign.abuse.screening import NO_PROOF
from campaign.extensions import db
from campaign.models import Signature, SignatureStatus
from tests import factories
from tests.browser_support import sign_in_the_page
from tests.helpers import confirm, confirm_token, sign
from workers import tally as tally_jobs


@pytest.fixture
def guarded(app):
    petition = factories.petition(slug="onder-vuur")
    set_switch(petition.id, proof_of_work=True, actor=None)
    db.session.commit()
    forget_snapshot()
    return petition


def _count(client, slug):
    return client.get(f"/petitions/{slug}/count.json").get_json()["count"]


def test_the_form_tells_a_browser_without_javascript_it_can_sign(client, guarded):
    html = client.get(f"/petitions/{guarded.slug}").get_data(as_text=True)
    assert '<noscript><input type="hidden" name="no_script" value="1">' in html
    assert "U kunt ook zonder JavaScript tekenen" in html


def test_without_javascript_the_signature_is_stored_held_mailed_and_not_counted(
    app, client, guarded, mailbox, run_jobs
):
    response = sign(client, guarded.slug, no_script="1")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "U tekende zonder JavaScript" in page and "nagekeken" in page
    stored = db.session.execute(db.select(Signature)).scalar_one()
    assert stored.flag == NO_PROOF and stored.status == SignatureStatus.PENDING

    run_jobs()
    token = confirm_token(mailbox.wait_for(1)[0])  # mailed like any other
    assert confirm(client, token).status_code == 303
    run_jobs()
    tally_jobs.fold()
    assert _count(client, guarded.slug) == 0  # confirmed, but held back

    # The attack is over: the switch goes off, and the reconciliation's later check counts it.
    set_switch(guarded.id, proof_of_work=False, actor=None)
    db.session.commit()
    forget_snapshot()
    tally_jobs.reconcile()
    db.session.expire_all()
    assert db.session.execute(db.select(Signature.flag)).scalar_one() is None
    assert _count(client, guarded.slug) == 1


def test_while_the_switch_stays_on_the_later_check_keeps_it_held(app, client, guarded, mailbox, run_jobs):
    sign(client, guarded.slug, no_script="1")
    run_jobs()
    confirm(client, confirm_token(mailbox.wait_for(1)[0]))
    tally_jobs.reconcile()
    db.session.expire_all()
    assert db.session.execute(db.select(Signature.flag)).scalar_one() == NO_PROOF
    assert _count(client, guarded.slug) == 0


def test_a_browser_with_javascript_that_sends_no_solution_is_still_told_to_wait(client, guarded):
    response = sign(client, guarded.slug)  # no no_script field: JavaScript ran, the widget had not finished
    assert response.status_code == 400
    assert "Wacht tot de controle onder het formulier klaar is" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Signature)).first() is None


def test_a_held_signature_counts_when_a_campaigner_releases_it(app, client, guarded, mailbox, run_jobs):
    from campaign.abuse.controls import release_flagged

    sign(client, guarded.slug, no_script="1")
    run_jobs()
    confirm(client, confirm_token(mailbox.wait_for(1)[0]))
    release_flagged(guarded.id, actor=None)
    db.session.commit()
    tally_jobs.fold()
    assert _count(client, guarded.slug) == 1


@pytest.mark.browser
def test_chromium_without_javascript_signs_under_proof_of_work(app, live_server, browser, guarded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/petitions/{guarded.slug}")
    assert page.is_visible(".no-script-note")
    sign_in_the_page(page, "Zonder Script", "zonder@example.nl", "1011 AB")
    assert "zonder@example.nl" in page.inner_text(".sent-to")
    assert "U tekende zonder JavaScript" in page.inner_text("main")
    db.session.expire_all()
    assert db.session.execute(db.select(Signature.flag)).scalar_one() == NO_PROOF
    context.close()
