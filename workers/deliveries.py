"""Jobs that deliver to officials. Ids in; the rules live in campaign.delivery.

`send` is safe to run twice and in several workers at once: the row is claimed with a lease first.
"""

import logging
from datetime import UTC, timedelta

import redis

from campaign.delivery import SEND_JOB, Outcome, claim_delivery, send_delivery
from campaign.delivery.queue import queue_digests, queue_milestones, relay_due
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.queueing import get_queue

log = logging.getLogger(__name__)
RELAY_BATCH = 2000


def send(delivery_id: int) -> str:
    attempt = claim_delivery(delivery_id, utcnow())
    # Committed before the SMTP conversation: other workers see the claim, and no transaction (or
    # SQLite snapshot) stays open while the server takes its time.
    db.session.commit()
    if attempt is None:
        return "nothing to do"
    outcome = attempt if isinstance(attempt, Outcome) else send_delivery(attempt, utcnow())
    db.session.commit()
    if outcome.retry_at is not None:
        _enqueue_at(outcome.retry_at, delivery_id)
    return outcome.status


def _enqueue_at(when, delivery_id: int) -> None:
    """A retry or a throttled letter: RQ's scheduler runs it on time; if Redis loses it, the relay."""
    try:
        get_queue().enqueue_at(when.replace(tzinfo=UTC), SEND_JOB, delivery_id)
    except redis.RedisError:
        log.warning("redis unavailable; delivery %s left for the relay", delivery_id)


def relay() -> int:
    """Enqueue again what is due in the database but may be missing from Redis (called by the relay)."""
    from flask import current_app

    now = utcnow()
    ids = relay_due(now, timedelta(seconds=current_app.config["DELIVERY_RELAY_GRACE"]), RELAY_BATCH)
    if ids:
        queue = get_queue()
        queue.enqueue_many([queue.prepare_data(SEND_JOB, args=(delivery_id,)) for delivery_id in ids])
    return len(ids)


def milestones() -> int:
    owed = queue_milestones(utcnow())
    db.session.commit()
    return len(owed)


def digests() -> int:
    owed = queue_digests(utcnow())
    db.session.commit()
    return len(owed)


def send_test(petition_id: int, kind: str, account_id: int) -> str:
    """The studio's test send: one email of `kind`, as a target would get it, to the campaigner."""
    from campaign.delivery.preview import test_message
    from campaign.delivery.transport import send as send_message
    from campaign.models import Account, Petition

    petition, account = db.session.get(Petition, petition_id), db.session.get(Account, account_id)
    if petition is None or account is None:
        return "gone"
    send_message(test_message(petition, kind, account.email))
    return "sent"
