"""The proof-of-work widget really works in a browser under our strict CSP: Chromium solves the
challenge with the vendored ALTCHA widget and its web worker, and the signature is accepted."""

import pytest

from campaign.abuse.controls import forget_snapshot, set_switch
from campaign.extensions import db
from campaign.models import Signature
from tests import factories

pytestmark = pytest.mark.browser


def test_a_supporter_signs_a_petition_under_proof_of_work(app, live_server, browser):
    petition = factories.petition(slug="onder-vuur")
    set_switch(petition.id, proof_of_work=True, actor=None)
    db.session.commit()
    forget_snapshot()

    page = browser.new_page()
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server}/petitions/{petition.slug}")
    page.fill("#name", "Sanne Bakker")
    page.fill("#email", "sanne@example.nl")
    page.fill("#postcode", "1011 AB")
    page.check("#consent")
    # The widget starts solving in a web worker as soon as a field has focus (nothing to tick) and
    # puts the solution in a hidden field while the supporter is still typing.
    page.wait_for_function(
        "() => { const f = document.querySelector('input[name=altcha]'); return f && f.value.length > 20; }",
        timeout=30_000,
    )
    page.click("button[type=submit]")
    page.wait_for_url("**/check-email")

    assert refused == []
    db.session.expire_all()
    assert db.session.execute(db.select(Signature.email_normalised)).scalars().all() == ["sanne@example.nl"]
