"""A claim takes at most its batch, however many rows are due (campaign.dbutil.unlocked_ids).

On PostgreSQL a plain `UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` may run the
subquery again for each row it updates and claim every due row: the supporter-mail outbox did, so one
worker leased a whole backlog (and its lease could run out before the last was sent)."""

from datetime import timedelta

from campaign.delivery.prepare import RunCache
from campaign.extensions import db
from campaign.metrics.tally import fold_batch
from campaign.models import Signature, SignatureStatus, WebhookEndpoint, WebhookMessage
from campaign.models.base import utcnow
from campaign.signing import outbox
from campaign.signing.outbox import claim_mails
from campaign.webhooks import send as webhook_send
from tests import factories

DUE = 12


def signatures(status: str, **values) -> None:
    petition = factories.petition()
    now = utcnow() - timedelta(seconds=1)
    db.session.execute(
        Signature.__table__.insert(),
        [
            {
                "petition_id": petition.id,
                "name": f"Steun {i}",
                "email": f"claim{i}@example.nl",
                "email_normalised": f"claim{i}@example.nl",
                "postcode": "3511 AB",
                "country": "NL",
                "consent_version": "test",
                "status": status,
                "token": f"claim-token-{i}",
                "locale": "nl",
                "message": "",
                "reply_to_me": False,
                "mail_due_at": now + timedelta(microseconds=i),
                **values,
            }
            for i in range(DUE)
        ],
    )
    db.session.commit()


def test_the_outbox_claims_one_batch_of_a_backlog(app, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH", 5)
    signatures(SignatureStatus.PENDING, mail_due="confirm")
    now = utcnow()
    assert len(claim_mails(now, now, RunCache())) == 5
    db.session.commit()
    assert len(claim_mails(now, now, RunCache())) == 5  # the next five, not the first again


def test_the_fold_takes_its_limit(app):
    signatures(SignatureStatus.CONFIRMED, counted=False, confirmed_at=utcnow(), confirmed_on=utcnow().date())
    assert fold_batch(limit=5) == 5


def test_the_webhook_sender_claims_its_limit(app, monkeypatch):
    endpoint = WebhookEndpoint(url="https://crm.example.org/hook", events="signature.confirmed", secret="s")
    db.session.add(endpoint)
    db.session.flush()
    past = utcnow() - timedelta(seconds=1)
    db.session.add_all(
        WebhookMessage(
            endpoint_id=endpoint.id, message_id=f"msg-{i}", event_type="x", payload="{}", due_at=past
        )
        for i in range(DUE)
    )
    db.session.commit()
    assert len(webhook_send.claim_batch(utcnow(), limit=5)) == 5
