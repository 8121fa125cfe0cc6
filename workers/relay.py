"""The outbox relay (cron): enqueue again whatever is due in the database but may not be in Redis.

Redis can be flushed, restarted or unreachable at the moment of a commit; the database rows stay.
Each outbox's rule is its domain's (wake_overdue): supporter mail, letters, webhooks, updates.
"""

from datetime import timedelta

from flask import current_app

from campaign.delivery.queue import wake_overdue as wake_overdue_deliveries
from campaign.models.base import utcnow
from campaign.outreach.send import wake_overdue as wake_overdue_updates
from campaign.signing.outbox import wake_overdue as wake_overdue_supporter_mail
from campaign.webhooks.send import wake_overdue as wake_overdue_webhooks

GRACE = timedelta(seconds=60)  # supporter mail: leave fresh rows to the job enqueued at commit


def run() -> int:
    now = utcnow()
    config = current_app.config
    grace = timedelta(seconds=config["DELIVERY_RELAY_GRACE"])
    return (
        wake_overdue_supporter_mail(now, GRACE)
        + wake_overdue_deliveries(now, grace)
        + wake_overdue_webhooks(now, timedelta(seconds=config["WEBHOOK_RELAY_GRACE"]))
        + wake_overdue_updates(now, grace)
    )
