"""The outbox relay (cron): enqueue again whatever is due in the database but may not be in Redis.

Redis can be flushed, restarted or unreachable at the moment of a commit; the database rows stay.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_

from campaign.abuse.screening import MAILED_WHILE_HELD
from campaign.delivery.queue import wake_overdue as wake_overdue_deliveries
from campaign.extensions import db
from campaign.jobs import SUPPORTER_MAIL
from campaign.models import Signature
from campaign.models.base import utcnow
from campaign.outreach.send import wake_overdue as wake_overdue_updates
from campaign.queueing import enqueue
from campaign.webhooks.send import wake_overdue as wake_overdue_webhooks

GRACE = timedelta(seconds=60)  # leave fresh rows to the job enqueued at commit


def run() -> int:
    now = utcnow()
    config = current_app.config
    grace = timedelta(seconds=config["DELIVERY_RELAY_GRACE"])
    return (
        relay_supporter_mail(now)
        + wake_overdue_deliveries(now, grace)
        + wake_overdue_webhooks(now, timedelta(seconds=config["WEBHOOK_RELAY_GRACE"]))
        + wake_overdue_updates(now, grace)
    )


def relay_supporter_mail(now) -> int:
    """Mail owed for over a minute: its nudge was lost (Redis down) or its worker died. Send it."""
    overdue = db.session.execute(
        db.select(Signature.id)
        .where(
            Signature.mail_due_at < now - GRACE,
            Signature.mail_due.is_not(None),
            or_(Signature.flag.is_(None), Signature.flag.in_(MAILED_WHILE_HELD)),  # as the outbox's claim
        )
        .limit(1)
    ).scalar()
    if overdue is None:
        return 0
    enqueue(SUPPORTER_MAIL)
    return 1
