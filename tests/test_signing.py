"""The foundation flow: sign, mail arrives, GET changes nothing, POST confirms, the count goes up by one."""

import threading

import pytest
import redis

from campaign.extensions import db
from campaign.models import PetitionStatus, Signature, SignatureStatus
from tests import factories
from tests.conftest import CSRF_FIELD, csrf_token
from tests.helpers import confirm, confirm_token, sign


def count(client, slug):
    return client.get(f"/petitions/{slug}/count.json").get_json()["count"]


def signatures():
    return db.session.execute(db.select(Signature)).scalars().all()


def test_sign_mail_confirm_and_count(app, client, mailbox, run_jobs):
    petition = factories.petition()
    assert count(client, petition.slug) == 0

    response = sign(client, petition.slug)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/petitions/{petition.slug}/check-email")
    [stored] = signatures()
    assert stored.status == SignatureStatus.PENDING
    assert stored.email_normalised == "anna@example.nl"
    assert stored.consent_version == app.config["CONSENT_VERSION"]
    assert stored.region.startswith("NL")

    run_jobs()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "anna@example.nl"
    token = confirm_token(message)
    assert count(client, petition.slug) == 0  # pending signatures do not count

    page = client.get(f"/signatures/confirm/{token}")
    assert page.status_code == 200 and "Ja, ik bevestig" in page.get_data(as_text=True)
    db.session.expire_all()
    assert signatures()[0].status == SignatureStatus.PENDING  # a GET changes nothing

    response = confirm(client, token)
    assert response.status_code == 303 and "/thanks" in response.headers["Location"]
    run_jobs()
    assert count(client, petition.slug) == 1
    page = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    assert "<strong data-count>1</strong>" in page


def signed_and_mailed(client, mailbox, run_jobs):
    """A petition signed once and its confirmation mailed: (petition, confirm token, CSRF token)."""
    petition = factories.petition()
    sign(client, petition.slug)
    run_jobs()
    token = confirm_token(mailbox.wait_for(1)[0])
    return petition, token, csrf_token(client, f"/signatures/confirm/{token}")


def test_confirming_twice_changes_nothing_and_says_so(app, client, mailbox, run_jobs):
    petition, token, session_token = signed_and_mailed(client, mailbox, run_jobs)
    confirm(client, token, session_token)
    second = confirm(client, token, session_token)
    assert second.status_code == 303 and "again=1" in second.headers["Location"]
    assert "al bevestigd" in client.get(second.headers["Location"]).get_data(as_text=True)
    run_jobs()
    assert count(client, petition.slug) == 1


def test_a_link_confirmed_after_the_petition_closed_says_so_and_counts_nothing(
    app, client, mailbox, run_jobs
):
    petition, token, session_token = signed_and_mailed(client, mailbox, run_jobs)
    petition.status = PetitionStatus.CLOSED
    db.session.commit()
    answer = confirm(client, token, session_token)
    assert answer.status_code == 410
    assert "Deze petitie is gesloten" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert signatures()[0].status == SignatureStatus.PENDING
    run_jobs()
    assert count(client, petition.slug) == 0


def test_unknown_token_is_404(client, app):
    assert client.get("/signatures/confirm/not-a-token").status_code == 404


@pytest.mark.parametrize("variant", ["ANNA@EXAMPLE.NL", "  Anna@Example.nl  "])
def test_duplicate_address_answers_like_a_new_one_and_stores_nothing(app, client, mailbox, run_jobs, variant):
    petition = factories.petition()
    first = sign(client, petition.slug)
    run_jobs()
    again = sign(client, petition.slug, email=variant)
    assert (again.status_code, again.headers["Location"]) == (first.status_code, first.headers["Location"])
    assert len(signatures()) == 1
    run_jobs()
    # The address got the confirmation again (it is still pending), not a second signature.
    messages = mailbox.wait_for(2)
    assert {confirm_token(m) for m in messages} == {signatures()[0].token}


def test_idn_domain_is_one_supporter(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug, email="jörg@exämple.nl")
    sign(client, petition.slug, email="JÖRG@xn--exmple-cua.NL")
    [stored] = signatures()
    assert stored.email_normalised == "jörg@xn--exmple-cua.nl"


def test_already_confirmed_address_gets_a_note_not_a_second_signature(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug)
    run_jobs()
    confirm(client, confirm_token(mailbox.wait_for(1)[0]))
    sign(client, petition.slug, email="Anna@Example.NL")
    run_jobs()
    note = mailbox.wait_for(2)[1]
    assert "al getekend" in note["Subject"]
    assert len(signatures()) == 1


def test_reminders_are_capped(app, client, mailbox, run_jobs):
    petition = factories.petition()
    for _ in range(8):
        sign(client, petition.slug)
        run_jobs()
    assert len(mailbox.messages) == app.config["SUPPORTER_MAIL_LIMIT"]


def test_validation_names_each_problem_and_keeps_the_input(app, client):
    petition = factories.petition()
    response = sign(client, petition.slug, name="", email="not-an-address", postcode="12", consent=None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vul uw naam in." in html
    assert "Dit is geen geldig e-mailadres." in html
    assert "Dit is geen Nederlandse postcode" in html
    assert "Geef toestemming" in html
    assert 'value="not-an-address"' in html
    assert signatures() == []


def test_closed_petition_is_410_with_an_explanation(app, client):
    open_one = factories.petition(slug="open")
    petition = factories.petition(status=PetitionStatus.CLOSED)
    assert "gesloten" in client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    response = sign(client, petition.slug, csrf_token=csrf_token(client, f"/petitions/{open_one.slug}"))
    assert response.status_code == 410
    assert "gesloten" in response.get_data(as_text=True)
    assert signatures() == []


def test_unknown_and_draft_petitions_are_404(app, client):
    draft = factories.petition(slug="concept", status=PetitionStatus.DRAFT)
    assert client.get("/petitions/bestaat-niet").status_code == 404
    assert client.get(f"/petitions/{draft.slug}").status_code == 404
    assert client.post("/petitions/bestaat-niet/sign", data={}).status_code in (400, 404)


def test_missing_csrf_token_is_400_with_the_input_kept(app, client):
    petition = factories.petition()
    client.get(f"/petitions/{petition.slug}")
    response = client.post(
        f"/petitions/{petition.slug}/sign",
        data={
            "name": "Bram",
            "email": "bram@example.nl",
            "postcode": "1011 AB",
            "country": "NL",
            "consent": "y",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "formulier was verlopen" in html and 'value="bram@example.nl"' in html
    assert signatures() == []


def test_concurrent_duplicate_submissions_store_one_row(app, client):
    petition = factories.petition()
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token(c, f"/petitions/{petition.slug}") for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def submit(c, token):
        with app.app_context():
            barrier.wait()
            statuses.append(sign(c, petition.slug, email="same@example.nl", csrf_token=token).status_code)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(clients)
    db.session.expire_all()
    assert len(signatures()) == 1


def test_confirmation_link_uses_public_url_not_the_host_header(app, client, mailbox, run_jobs):
    petition = factories.petition()
    page = client.get(f"/petitions/{petition.slug}", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page  # share links and og:url use PUBLIC_URL too
    token = CSRF_FIELD.search(page).group(1)
    client.post(
        f"/petitions/{petition.slug}/sign",
        headers={"Host": "evil.example"},
        data={
            "name": "Cas",
            "email": "cas@example.nl",
            "postcode": "1011 AB",
            "country": "NL",
            "consent": "y",
            "csrf_token": token,
        },
    )
    run_jobs()
    body = mailbox.wait_for(1)[0].get_body(("plain",)).get_content()
    assert "https://petities.test.example/signatures/confirm/" in body
    assert "evil.example" not in body


def test_healthz_reports_db_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"db": "ok", "redis": "ok"}


def test_healthz_names_redis_when_it_is_down(app, client, monkeypatch):
    monkeypatch.setitem(
        app.extensions, "redis", redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"db": "ok", "redis": "down"}


def test_a_personal_message_is_offered_only_when_letters_go_out(app, client):
    from campaign.delivery.settings import ensure_settings

    without = factories.petition(slug="zonder-brieven")
    with_letters = factories.petition(slug="met-brieven")
    ensure_settings(with_letters).letters = True
    db.session.commit()
    assert 'name="message"' not in client.get(f"/petitions/{without.slug}").get_data(as_text=True)
    assert 'name="message"' in client.get(f"/petitions/{with_letters.slug}").get_data(as_text=True)


def test_public_pages_leave_login_cookies_alone(app, client):
    petition = factories.petition()
    client.get(f"/petitions/{petition.slug}")  # now the visitor has a session (the CSRF token)
    response = client.get(f"/petitions/{petition.slug}")
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_the_form_shown_again_carries_a_token_that_signs(app, client):
    """The sign form makes its CSRF token only when shown (campaign.web.csrf_on_demand)."""
    from tests.conftest import CSRF_FIELD

    petition = factories.petition()
    again = sign(client, petition.slug, consent=None)
    assert again.status_code == 400
    token = CSRF_FIELD.search(again.get_data(as_text=True))
    assert sign(client, petition.slug, csrf_token=token.group(1) or token.group(2)).status_code == 303
