"""Webhooks end to end: a real HTTP receiver on loopback verifies each message with the
`standardwebhooks` library; retries, pausing, redelivery, the SSRF guard and a killed worker."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from campaign.extensions import db
from campaign.models import WEBHOOK_EVENTS, Signature, WebhookEndpoint, WebhookMessage, WebhookStatus
from campaign.models.base import utcnow
from campaign.webhooks import WebhookError, add_endpoint, endpoint_problem, redeliver
from tests import factories
from tests.helpers import confirm, confirm_token, sign

pytest_plugins = ["tests.webhook_receiver"]
ROOT = Path(__file__).resolve().parent.parent
ALL = list(WEBHOOK_EVENTS)


@pytest.fixture
def config_overrides():
    return {"WEBHOOK_RETRY_SECONDS": 0, "WEBHOOK_RELAY_GRACE": 0, "WEBHOOK_LEASE_SECONDS": 2}


def endpoint_for(receiver, events=ALL) -> WebhookEndpoint:
    endpoint = add_endpoint(receiver.url, events, None, utcnow())
    db.session.commit()
    return endpoint


def verified(endpoint, received) -> list[dict]:
    """Each message checked by the standardwebhooks library (raises on a bad signature)."""
    hook = Webhook(endpoint.secret)
    return [hook.verify(body, headers) for headers, body in received]


def signed_and_confirmed(client, mailbox, run_jobs, slug="test-petitie"):
    assert sign(client, slug).status_code == 303
    run_jobs()
    assert confirm(client, confirm_token(mailbox.wait_for(1)[-1])).status_code == 303
    run_jobs()
    return db.session.execute(db.select(Signature)).scalar_one()


def test_confirmation_and_withdrawal_reach_the_receiver_signed(app, client, mailbox, run_jobs, receiver):
    factories.petition()
    endpoint = endpoint_for(receiver)
    assert endpoint.secret.startswith("whsec_")
    signature = signed_and_confirmed(client, mailbox, run_jobs)
    [confirmed] = verified(endpoint, receiver.wait_for(1))
    assert confirmed["type"] == "signature.confirmed"
    assert confirmed["data"]["signature_id"] == signature.id and "email" not in json.dumps(confirmed)
    headers = receiver.accepted[0][0]
    assert headers["webhook-signature"].startswith("v1,") and headers["webhook-id"].startswith("msg_")

    from campaign.privacy import withdraw_signature

    withdraw_signature(signature)
    db.session.commit()
    run_jobs()
    withdrawn = verified(endpoint, receiver.wait_for(2))[1]
    assert withdrawn["type"] == "signature.withdrawn" and withdrawn["data"]["signature_id"] == signature.id
    assert set(withdrawn) == {"type", "timestamp", "data"}


def test_a_forged_or_altered_message_does_not_verify(app, client, mailbox, run_jobs, receiver):
    from standardwebhooks.webhooks import WebhookVerificationError

    factories.petition()
    endpoint = endpoint_for(receiver)
    signed_and_confirmed(client, mailbox, run_jobs)
    headers, body = receiver.wait_for(1)[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body.replace(b"confirmed", b"withdrawn"), headers)


def test_erasure_publish_close_and_only_subscribed_events(app, client, receiver, run_jobs):
    from campaign.petitions.lifecycle import close_petition, publish_petition
    from campaign.privacy import erase_by_email

    petition = factories.petition(status="draft")
    endpoint = endpoint_for(receiver, ["petition.published", "petition.closed", "signature.erased"])
    publish_petition(petition, None, utcnow())
    db.session.commit()
    sign(client, petition.slug)
    erase_by_email("anna@example.nl", actor=None)
    close_petition(petition, None, utcnow())
    db.session.commit()
    run_jobs()
    types = [message["type"] for message in verified(endpoint, receiver.wait_for(3))]
    assert sorted(types) == ["petition.closed", "petition.published", "signature.erased"]
    time.sleep(0)  # nothing else is owed: signing alone emits no event
    assert db.session.execute(db.select(db.func.count()).select_from(WebhookMessage)).scalar() == 3


def test_a_receiver_answering_500_then_200_gets_the_event_once(app, client, mailbox, run_jobs, receiver):
    factories.petition()
    endpoint = endpoint_for(receiver, ["signature.confirmed"])
    receiver.script = [500]
    signed_and_confirmed(client, mailbox, run_jobs)  # the first attempt fails; retried without delay here
    message = db.session.execute(db.select(WebhookMessage)).scalar_one()
    if message.status != WebhookStatus.DELIVERED:
        from workers.webhooks import relay

        relay()
        run_jobs()
        db.session.refresh(message)
    assert message.status == WebhookStatus.DELIVERED and message.attempts == 2
    assert len(receiver.requests) == 2 and len(receiver.accepted) == 1
    assert {h["webhook-id"] for h, _ in receiver.requests} == {message.message_id}  # same id on retry
    verified(endpoint, receiver.accepted)


@pytest.mark.parametrize(
    "config_overrides",
    [
        {
            "WEBHOOK_RETRY_SECONDS": 0,
            "WEBHOOK_RELAY_GRACE": 0,
            "WEBHOOK_PAUSE_AFTER": 3,
            "WEBHOOK_MAX_ATTEMPTS": 2,
        }
    ],
)
def test_an_endpoint_that_keeps_failing_pauses_and_redeliver_sends_again(app, client, run_jobs, receiver):
    from campaign.webhooks import resume_endpoint
    from campaign.webhooks.events import petition_event
    from workers.webhooks import send_due

    petition = factories.petition()
    endpoint = endpoint_for(receiver, ["petition.closed"])
    receiver.script = [500] * 10
    for _ in range(2):
        petition_event("petition.closed", petition, utcnow())
    db.session.commit()
    send_due()
    db.session.refresh(endpoint)
    messages = db.session.execute(db.select(WebhookMessage).order_by(WebhookMessage.id)).scalars().all()
    # Two messages, two attempts each at most; the third failure in a row paused the endpoint.
    assert endpoint.paused_at is not None and endpoint.failures_in_a_row == 3
    assert len(receiver.requests) == 3
    assert [m.status for m in messages] == [WebhookStatus.FAILED, WebhookStatus.PENDING]
    assert send_due() == 0 and len(receiver.requests) == 3  # paused: nothing is sent

    receiver.script = []
    resume_endpoint(endpoint, None, utcnow())
    redeliver(messages[0], utcnow())
    db.session.commit()
    assert send_due() == 2
    assert {m.status for m in db.session.execute(db.select(WebhookMessage)).scalars()} == {
        WebhookStatus.DELIVERED
    }


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE": False}])
@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # plain http
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://user:pw@93.184.216.34/hook",
        "ftp://93.184.216.34/",
        "geen url",
    ],
)
def test_production_refuses_private_and_plain_http_endpoints(app, url):
    assert endpoint_problem(url)
    with pytest.raises(WebhookError):
        add_endpoint(url, ["signature.confirmed"], None, utcnow())


@pytest.mark.parametrize("config_overrides", [{"WEBHOOK_ALLOW_PRIVATE": False}])
def test_production_accepts_https_to_a_public_address_and_checks_again_when_sending(app, receiver):
    from campaign.webhooks.send import post

    assert endpoint_problem("https://93.184.216.34/hook") is None
    status, error = post(receiver.url, {}, b"{}", 2)  # registered in development, sent in production
    assert status is None and "intern" in error and receiver.requests == []


def test_unknown_events_are_refused(app, receiver):
    with pytest.raises(WebhookError):
        add_endpoint(receiver.url, ["signature.signed"], None, utcnow())


def test_cli_adds_an_endpoint_and_prints_the_secret_once(app, receiver):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["campaign", "webhook", "add", receiver.url, "--events", "signature.confirmed,petition.closed"]
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    endpoint = db.session.execute(db.select(WebhookEndpoint)).scalar_one()
    assert secret.startswith("whsec_") and endpoint.secret == secret
    assert endpoint.event_list == ["signature.confirmed", "petition.closed"]
    bad = runner.invoke(args=["campaign", "webhook", "add", receiver.url, "--events", "nope"])
    assert bad.exit_code != 0 and "Onbekende gebeurtenis" in bad.output
    key = runner.invoke(args=["campaign", "api-key", "create", "CRM", "--scope", "write"])
    assert key.exit_code == 0 and key.stdout.strip().splitlines()[-1].startswith("pk_")


def test_a_worker_killed_while_sending_webhooks_loses_none(
    app, receiver, database_url, redis_url, tmp_path, run_jobs
):
    from campaign.webhooks.events import petition_event
    from workers.webhooks import relay

    petition = factories.petition()
    endpoint = endpoint_for(receiver, ["petition.closed"])
    receiver.hold_next = True  # the first message is taken in and never answered
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=app.config["SECRET_KEY"],
        ENV_NAME="test",
        PUBLIC_URL=app.config["PUBLIC_URL"],
        WEBHOOK_LEASE_SECONDS="2",
        RATELIMIT_ENABLED="false",
    )
    log = tmp_path / "worker.log"
    with open(log, "wb") as sink:
        worker = subprocess.Popen(
            [sys.executable, "-m", "workers"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # killed as a group: its scheduler process too, as a crash would
        )
    try:
        for _ in range(5):
            petition_event("petition.closed", petition, utcnow())
        db.session.commit()
        assert receiver.holding.wait(timeout=30), log.read_text()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # a scheduler left behind would hold RQ's lock
        worker.wait(timeout=10)
    assert receiver.accepted == []
    # The messages the dead worker had not claimed are due now; the one it held, once its lease runs out.
    deadline = time.monotonic() + 15
    while not _all_delivered():
        assert time.monotonic() < deadline, "the lease never ran out"
        if relay():
            run_jobs()
        else:
            time.sleep(0.2)
    messages = db.session.execute(db.select(WebhookMessage)).scalars().all()
    assert {m.status for m in messages} == {WebhookStatus.DELIVERED}
    ids = [headers["webhook-id"] for headers, _ in receiver.accepted]
    assert sorted(ids) == sorted(m.message_id for m in messages) and len(ids) == 5
    verified(endpoint, receiver.accepted)


def _all_delivered() -> bool:
    db.session.expire_all()
    statuses = db.session.execute(db.select(WebhookMessage.status)).scalars().all()
    return bool(statuses) and set(statuses) == {WebhookStatus.DELIVERED}
