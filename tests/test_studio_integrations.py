"""Studio (admins only): API keys shown once and revoked; webhook endpoints added with their secret
shown once, the delivery log with redeliver, the notice about paused endpoints and resuming."""

import re

import pytest

from campaign.extensions import db
from campaign.models import ApiKey, AuditEvent, WebhookEndpoint, WebhookMessage, WebhookStatus
from campaign.models.base import utcnow
from campaign.webhooks import add_endpoint
from campaign.webhooks.events import emit
from tests.studio_support import logged_in, post


@pytest.mark.parametrize("role", ["viewer", "campaigner"])
@pytest.mark.parametrize("url", ["/studio/api-keys", "/studio/webhooks"])
def test_only_admins(app, role, url):
    assert logged_in(app, role).get(url).status_code == 403


def test_an_admin_creates_a_key_sees_it_once_and_revokes_it(app):
    client = logged_in(app, "admin")
    response = post(client, "/studio/api-keys", {"name": "CRM", "scope": "read"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    key = re.search(r'<code id="new-key">(pk_[^<]+)</code>', html).group(1)
    assert key not in client.get("/studio/api-keys").get_data(as_text=True)  # shown once
    api = app.test_client()
    assert api.get("/api/v1/", headers={"OSDI-API-Token": key}).status_code == 200
    row = db.session.execute(db.select(ApiKey)).scalar_one()
    assert post(client, f"/studio/api-keys/{row.id}/revoke").status_code == 303
    assert api.get("/api/v1/", headers={"OSDI-API-Token": key}).status_code == 401
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert {"api_key.create", "api_key.revoke"} <= set(actions)


def test_a_key_without_a_name_is_refused(app):
    client = logged_in(app, "admin")
    response = post(client, "/studio/api-keys", {"name": "  ", "scope": "read"})
    assert response.status_code == 400 and "Geef de sleutel een naam." in response.get_data(as_text=True)
    assert db.session.execute(db.select(ApiKey)).first() is None


def test_an_admin_adds_a_webhook_and_sees_the_secret_once(app):
    client = logged_in(app, "admin")
    response = post(
        client,
        "/studio/webhooks",
        {"url": "http://127.0.0.1:9/hook", "events": ["signature.confirmed", "petition.closed"]},
    )
    assert response.status_code == 200
    secret = re.search(r'<code id="new-secret">(whsec_[^<]+)</code>', response.get_data(as_text=True)).group(
        1
    )
    endpoint = db.session.execute(db.select(WebhookEndpoint)).scalar_one()
    assert endpoint.secret == secret and endpoint.event_list == ["signature.confirmed", "petition.closed"]
    assert secret not in client.get("/studio/webhooks").get_data(as_text=True)


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE": False}])
def test_a_private_address_is_refused_with_a_message(app):
    client = logged_in(app, "admin")
    response = post(
        client, "/studio/webhooks", {"url": "https://10.0.0.5/hook", "events": ["petition.closed"]}
    )
    assert response.status_code == 400
    assert "intern of privé-netwerk" in response.get_data(as_text=True)
    assert db.session.execute(db.select(WebhookEndpoint)).first() is None


def test_paused_endpoint_notice_log_redeliver_and_resume(app):
    endpoint = add_endpoint("http://127.0.0.1:9/hook", ["petition.closed"], None, utcnow())
    emit("petition.closed", {"petition_id": 1}, utcnow())
    endpoint.paused_at = utcnow()
    endpoint.failures_in_a_row = 10
    endpoint.last_error = "HTTP 500 Internal Server Error"
    db.session.commit()
    message = db.session.execute(db.select(WebhookMessage)).scalar_one()
    message.status = WebhookStatus.FAILED
    db.session.commit()
    client = logged_in(app, "admin")
    start = client.get("/studio/").get_data(as_text=True)
    assert "1 webhook-eindpunt is gepauzeerd" in start
    log = client.get(f"/studio/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "petition.closed" in log and message.message_id in log and "HTTP 500" in log
    assert post(client, f"/studio/webhooks/{endpoint.id}/messages/{message.id}/redeliver").status_code == 303
    db.session.refresh(message)
    assert message.status == WebhookStatus.PENDING
    assert post(client, f"/studio/webhooks/{endpoint.id}/resume").status_code == 303
    db.session.refresh(endpoint)
    assert endpoint.paused_at is None
    assert "gepauzeerd" not in client.get("/studio/").get_data(as_text=True)
    assert post(client, f"/studio/webhooks/{endpoint.id}/remove").status_code == 303
    db.session.refresh(endpoint)
    assert not endpoint.active
    assert (
        logged_in(app, "campaigner", "c@example.org").get(f"/studio/webhooks/{endpoint.id}").status_code
        == 403
    )
