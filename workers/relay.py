"""The outbox relay (cron): enqueue again whatever is due in the database but may not be in Redis.

Redis can be flushed, restarted or unreachable at the moment of a commit; the database rows stay.
"""

from datetime import timedelta

from sqlalchemy import or_

from campaign.abuse.screening import MAILED_WHILE_HELD
from campaign.extensions import db
from campaign.models import Signature
from campaign.models.base import utcnow
from campaign.queueing import get_queue

GRACE = timedelta(seconds=60)  # leave fresh rows to the job enqueued at commit


def run() -> int:
    return relay_supporter_mail() + relay_deliveries() + relay_webhooks() + relay_updates()


def relay_updates() -> int:
    from workers.updates import relay

    return relay()


def relay_webhooks() -> int:
    from workers.webhooks import relay

    return relay()


def relay_deliveries() -> int:
    from workers.deliveries import relay

    return relay()


def relay_supporter_mail() -> int:
    """Mail owed for over a minute: its nudge was lost (Redis down) or its worker died. Send it."""
    cutoff = utcnow() - GRACE
    overdue = db.session.execute(
        db.select(Signature.id)
        .where(
            Signature.mail_due_at < cutoff,
            Signature.mail_due.is_not(None),
            or_(Signature.flag.is_(None), Signature.flag.in_(MAILED_WHILE_HELD)),  # as the outbox's claim
        )
        .limit(1)
    ).scalar()
    if overdue is None:
        return 0
    get_queue().enqueue("workers.supporter_mail.send_owed")
    return 1
