"""Sending webhooks: one batch job (nudged after each event's commit, and by the relay), like
workers.supporter_mail. Each message's outcome is committed on its own."""

import logging
from datetime import timedelta

from flask import current_app

from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.queueing import NUDGE_PREFIX, get_queue, redis_connection
from campaign.webhooks.send import claim_batch, overdue, send_claimed

log = logging.getLogger(__name__)
NUDGE_KEY = "webhooks"


def send_due() -> int:
    """Send every due message, a claimed batch at a time. Returns how many were delivered."""
    try:
        redis_connection().delete(NUDGE_PREFIX + NUDGE_KEY)  # an event after this point nudges anew
    except Exception:  # noqa: BLE001 - Redis down: the relay catches up
        log.warning("redis unavailable; could not clear the webhooks nudge")
    delivered = 0
    while True:
        batch = claim_batch(utcnow())
        if not batch:
            return delivered
        for claimed in batch:
            delivered += send_claimed(claimed, utcnow())
            db.session.commit()


def relay() -> int:
    """Cron: enqueue the sender when messages wait past their time. Returns jobs enqueued."""
    # Fresh messages are left to the job nudged at their commit.
    if not overdue(utcnow() - timedelta(seconds=current_app.config["WEBHOOK_RELAY_GRACE"])):
        return 0
    get_queue().enqueue("workers.webhooks.send_due")
    return 1
