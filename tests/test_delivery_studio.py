"""Studio: the delivery log, settings, retry, preview, test send and hand-over button."""

import pytest

from campaign.delivery.settings import settings_for
from campaign.extensions import db
from campaign.models import AuditEvent, Delivery, DeliveryStatus
from tests.delivery_helpers import confirmed, deliveries, petition_with_targets, sender_config
from tests.studio_support import logged_in, post


@pytest.fixture
def config_overrides(faulty_smtp):
    # The undo window has its own tests (test_studio_trust.py).
    return sender_config(faulty_smtp, HANDOVER_UNDO_MINUTES=0)


def test_log_shows_sent_and_failed_with_the_servers_answer_and_retry_sends(app, run_jobs, smtp):
    handler, mailbox = smtp
    petition, (broken, fine) = petition_with_targets()
    handler.refuse(broken.email)
    confirmed(petition)
    run_jobs()
    client = logged_in(app, "campaigner")
    page = client.get(f"/studio/petitions/{petition.id}/deliveries")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "550 5.1.1 Mailbox unavailable" in html and "Verstuurd" in html and "Mislukt" in html
    [failed] = deliveries(status=DeliveryStatus.FAILED)

    handler.refused.clear()  # the address is fixed
    response = post(
        client,
        f"/studio/deliveries/{failed.id}/retry",
        token_page=f"/studio/petitions/{petition.id}/deliveries",
    )
    assert response.status_code == 303
    run_jobs()
    assert {d.status for d in deliveries()} == {DeliveryStatus.SENT}
    assert len([m for m in mailbox.messages if m["X-Envelope-To"] == broken.email]) == 1
    assert db.session.execute(db.select(AuditEvent).filter_by(action="delivery.retry")).scalar_one()
    again = post(
        client,
        f"/studio/deliveries/{failed.id}/retry",
        token_page=f"/studio/petitions/{petition.id}/deliveries",
    )
    assert again.status_code == 303  # nothing to retry: says so, changes nothing
    assert "Alleen een mislukte bezorging" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_viewer_sees_the_log_but_cannot_change_anything(app, smtp):
    petition, _targets = petition_with_targets()
    viewer = logged_in(app, "viewer")
    assert viewer.get(f"/studio/petitions/{petition.id}/deliveries").status_code == 200
    assert (
        post(viewer, f"/studio/petitions/{petition.id}/deliveries/settings", {"letters": "y"}).status_code
        == 403
    )
    assert viewer.get(f"/studio/petitions/{petition.id}/deliveries/preview/letter").status_code == 403


def test_settings_are_saved_and_bad_input_is_a_400_with_reasons(app, smtp):
    petition, _targets = petition_with_targets(letters=False)
    client = logged_in(app, "campaigner")
    url = f"/studio/petitions/{petition.id}/deliveries/settings"
    page = f"/studio/petitions/{petition.id}/deliveries"
    good = {
        "letters": "y",
        "letters_per_hour": "20",
        "day_starts": "8",
        "day_ends": "18",
        "digest": "weekly",
        "csv_fields": ["name", "message"],
        "milestones": "1000, 10000",
        "handover": "y",
    }
    assert post(client, url, good, token_page=page).status_code == 303
    db.session.expire_all()
    settings = settings_for(petition.id)
    assert (
        settings.letters,
        settings.letters_per_hour,
        settings.digest,
        settings.milestones,
        settings.handover,
    ) == (True, 20, "weekly", "1000,10000", True)
    assert settings.fields == ["name", "message"]

    bad = post(
        client,
        url,
        good | {"milestones": "duizend", "letters_per_hour": "0", "day_ends": "7"},
        token_page=page,
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Gebruik alleen aantallen" in html and "Kies een aantal van 1 tot 100.000" in html
    assert "Het einde moet na het begin liggen" in html
    assert client.post(url, data=good).status_code == 400  # no CSRF token


def test_unknown_things_are_404(app, smtp):
    client = logged_in(app, "campaigner")
    assert client.get("/studio/petitions/999/deliveries").status_code == 404
    petition, _targets = petition_with_targets()
    assert client.get(f"/studio/petitions/{petition.id}/deliveries/preview/fax").status_code == 404
    assert post(client, "/studio/deliveries/999/retry").status_code == 404


@pytest.mark.parametrize("kind", ["letter", "digest", "milestone", "handover"])
def test_preview_shows_each_kind_as_sent(app, smtp, kind):
    petition, (first, _second) = petition_with_targets(milestones="1000")
    confirmed(petition)
    client = logged_in(app, "campaigner")
    page = client.get(f"/studio/petitions/{petition.id}/deliveries/preview/{kind}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and first.email in html
    raw = client.get(f"/studio/petitions/{petition.id}/deliveries/preview/{kind}/html")
    assert raw.status_code == 200 and "Geachte Ontvanger 1" in raw.get_data(as_text=True)
    assert "sandbox" in raw.headers["Content-Security-Policy"]
    if kind == "letter":
        assert "Anna de Vries" in html  # the example supporter


def test_test_send_goes_to_the_campaigners_own_address(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, _targets = petition_with_targets()
    client = logged_in(app, "campaigner", email="ik@example.net")
    response = post(client, f"/studio/petitions/{petition.id}/deliveries/test", {"kind": "letter"})
    assert response.status_code == 303
    run_jobs()
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "ik@example.net" and message["Subject"].startswith("[TEST]")
    assert db.session.execute(db.select(Delivery)).first() is None  # a test is no delivery
    assert (
        post(client, f"/studio/petitions/{petition.id}/deliveries/test", {"kind": "fax"}).status_code == 400
    )


def test_handover_button_queues_once(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, targets = petition_with_targets(letters=False)
    confirmed(petition)
    client = logged_in(app, "campaigner")
    url = f"/studio/petitions/{petition.id}/deliveries/handover"
    assert post(client, url).status_code == 303
    second = post(client, url)
    assert "niets te overhandigen" in client.get(second.headers["Location"]).get_data(as_text=True)
    run_jobs()
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == sorted(t.email for t in targets)
