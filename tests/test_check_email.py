"""Right after signing (issue 10, point 5): the check-email page names the address the mail went to,
to the browser that signed only; a resend within the signing limits; a way out of a wrong address."""

import pytest
from flask import session

from campaign.extensions import db
from campaign.models import Signature
from tests import factories
from tests.conftest import csrf_token
from tests.helpers import sign


@pytest.fixture
def config_overrides(request):
    return getattr(request, "param", {})


def _resend(client, slug):
    token = csrf_token(client, f"/petitions/{slug}")  # the session's token, as the page's form has it
    return client.post(f"/petitions/{slug}/check-email/resend", data={"csrf_token": token})


def test_the_address_shows_to_the_signing_browser_only_and_never_in_the_url(app, client):
    petition = factories.petition()
    response = sign(client, petition.slug, email="Anna.Typed@Example.nl")
    assert "Anna.Typed" not in response.headers["Location"] and "@" not in response.headers["Location"]
    page = client.get(f"/petitions/{petition.slug}/check-email")
    html = page.get_data(as_text=True)
    assert (
        'We hebben een e-mail gestuurd naar <strong class="address"><bdi dir="ltr">Anna.Typed@Example.nl</bdi>'
        in html
    )
    assert page.headers["Cache-Control"] == "no-store"  # never kept by a shared cache
    # Another browser on the same link sees no address, only the general text.
    other = app.test_client()
    html = other.get(f"/petitions/{petition.slug}/check-email").get_data(as_text=True)
    assert "Anna.Typed" not in html and "We hebben u een e-mail gestuurd" in html
    assert "Stuur de e-mail opnieuw" not in html  # nothing to resend to
    # And the address is not shown for another petition.
    second = factories.petition(slug="tweede")
    assert "Anna.Typed" not in client.get(f"/petitions/{second.slug}/check-email").get_data(as_text=True)


def test_resend_owes_the_mail_again_and_it_arrives(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug)
    run_jobs()
    mailbox.wait_for(1)
    response = _resend(client, petition.slug)
    assert response.status_code == 303 and response.headers["Location"].endswith("/check-email")
    assert "We sturen de e-mail opnieuw" in client.get(response.headers["Location"]).get_data(as_text=True)
    run_jobs()
    messages = mailbox.wait_for(2)
    assert [m["To"] for m in messages] == ["anna@example.nl", "anna@example.nl"]


def test_resend_stops_at_the_per_address_limit_with_a_clear_429(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug)
    run_jobs()
    signature = db.session.execute(db.select(Signature)).scalar_one()
    signature.mails_sent = app.config["SUPPORTER_MAIL_LIMIT"]
    signature.mail_due = None
    db.session.commit()
    response = _resend(client, petition.slug)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "sturen er geen meer" in html and "ander adres" in html
    db.session.expire_all()
    assert db.session.execute(db.select(Signature.mail_due)).scalar_one() is None  # nothing owed


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "RESEND_LIMIT": "2/15 minutes"}], indirect=True
)
def test_resend_is_rate_limited_per_connection(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug)
    assert _resend(client, petition.slug).status_code == 303
    assert _resend(client, petition.slug).status_code == 303
    limited = _resend(client, petition.slug)
    assert limited.status_code == 429
    assert "Wacht een kwartier" in limited.get_data(as_text=True)


def test_resend_without_a_remembered_address_explains_and_stores_nothing(app, client):
    petition = factories.petition()
    response = _resend(client, petition.slug)
    assert response.status_code == 400
    assert "Teken opnieuw" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Signature)).first() is None


def test_resend_needs_the_csrf_token(app, client):
    petition = factories.petition()
    sign(client, petition.slug)
    assert client.post(f"/petitions/{petition.slug}/check-email/resend").status_code == 400


def test_the_remembered_address_is_forgotten_after_two_hours(app, client):
    petition = factories.petition()
    sign(client, petition.slug)
    with client.session_transaction() as kept:
        kept["signed"] = {**kept["signed"], "at": kept["signed"]["at"] - 3 * 3600}
    html = client.get(f"/petitions/{petition.slug}/check-email").get_data(as_text=True)
    assert "anna@example.nl" not in html
    with client:
        client.get(f"/petitions/{petition.slug}/check-email")
        assert "signed" not in session


def test_wrong_address_path_signs_again_with_another_address(app, client):
    petition = factories.petition()
    sign(client, petition.slug, email="verkeerd@example.nl")
    html = client.get(f"/petitions/{petition.slug}/check-email").get_data(as_text=True)
    assert f'href="/petitions/{petition.slug}#teken"' in html and "verloopt vanzelf" in html
    sign(client, petition.slug, email="goed@example.nl")
    html = client.get(f"/petitions/{petition.slug}/check-email").get_data(as_text=True)
    assert "goed@example.nl" in html and "verkeerd@example.nl" not in html


def test_an_unconfirmed_signature_expires_and_frees_the_address(app, client, run_jobs):
    from datetime import timedelta

    from campaign.models.base import utcnow
    from workers import retention

    petition = factories.petition()
    sign(client, petition.slug, email="verkeerd@example.nl", name="Verkeerde Vera")
    sign(client, petition.slug, email="goed@example.nl")
    old = db.session.execute(
        db.select(Signature).where(Signature.email == "verkeerd@example.nl")
    ).scalar_one()
    old.created_at = utcnow() - timedelta(days=app.config["UNCONFIRMED_DAYS"] + 1)
    old_token = old.token
    db.session.commit()

    retention.run()

    db.session.expire_all()
    rows = {s.id: s for s in db.session.execute(db.select(Signature)).scalars()}
    wiped = rows[old.id]
    assert wiped.email == "" and wiped.name == "" and wiped.anonymised_at is not None
    assert wiped.token != old_token and wiped.mail_due is None  # nobody can confirm it any more
    assert client.get(f"/signatures/confirm/{old_token}").status_code == 404
    kept = [s for s in rows.values() if s.id != old.id]
    assert [s.email for s in kept] == ["goed@example.nl"]  # a recent pending one stays
