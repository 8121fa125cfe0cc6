"""Sending webhooks: one batch job (nudged after each event's commit, and by the relay), like
workers.supporter_mail. Each message's outcome is committed on its own."""

import logging
from datetime import timedelta

from flask import current_app

from campaign.extensions import db
from campaign.jobs import WEBHOOKS_NUDGE
from campaign.models.base import utcnow
from campaign.queueing import clear_nudge
from campaign.webhooks.send import claim_batch, send_claimed, wake_overdue

log = logging.getLogger(__name__)


def send_due() -> int:
    """Send every due message, a claimed batch at a time. Returns how many were delivered."""
    clear_nudge(WEBHOOKS_NUDGE)  # an event after this point nudges anew
    delivered = 0
    while True:
        batch = claim_batch(utcnow())
        if not batch:
            return delivered
        for claimed in batch:
            delivered += send_claimed(claimed, utcnow())
            db.session.commit()


def relay() -> int:
    """The relay's part for webhooks (also called on its own by tests). Returns jobs enqueued."""
    return wake_overdue(utcnow(), timedelta(seconds=current_app.config["WEBHOOK_RELAY_GRACE"]))
