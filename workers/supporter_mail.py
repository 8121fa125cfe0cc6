"""The job that sends mail owed to supporters (rules in campaign.signing.outbox).

The sign request does not enqueue a job per signature: it nudges `send_owed`, which claims owed
mails a small batch at a time and sends them over the worker's reused SMTP connection (a run that finds a
backlog asks for a helper run beside it, so every worker sends). A run stops after a
while (a continuation goes behind other jobs) or when the server itself is in trouble; retries are
scheduled for when they are due, and the cron relay catches whatever Redis lost.
"""

import logging
import time
from datetime import UTC, timedelta

import redis

from campaign.delivery.prepare import RunCache
from campaign.extensions import db
from campaign.jobs import SUPPORTER_MAIL, SUPPORTER_MAIL_HELPER_NUDGE, SUPPORTER_MAIL_NUDGE
from campaign.models.base import utcnow
from campaign.queueing import clear_nudge, get_queue, nudge
from campaign.signing import outbox
from campaign.signing.outbox import MailOutcome, claim_mails, send_claimed

log = logging.getLogger(__name__)
RUN_SECONDS = 5.0


def send_owed() -> dict:
    """Send owed mail until none is due, the run's time is spent or the server is in trouble.
    Returns how many mails ended each way (sent, retry, failed, skipped)."""
    clear_nudge(SUPPORTER_MAIL_NUDGE)  # a signature committed from now on nudges a fresh run
    started, due_by = time.monotonic(), utcnow()
    outcomes: dict[str, int] = {}
    wake_at = None
    cache = RunCache()
    while True:
        if time.monotonic() - started > RUN_SECONDS:
            _enqueue_at(None)  # the rest in a continuation, behind whatever queued meanwhile
            break
        claimed = claim_mails(utcnow(), due_by, cache)
        db.session.commit()  # the previous batch's outcomes with this claim, before SMTP starts
        if not claimed:
            break
        if not outcomes and len(claimed) == outbox.BATCH:
            nudge(SUPPORTER_MAIL_HELPER_NUDGE)  # a backlog: another worker sends beside this run
        decided = [item for item in claimed if isinstance(item, MailOutcome)]
        attempts = [item for item in claimed if not isinstance(item, MailOutcome)]
        ended = decided + send_claimed(attempts, utcnow())
        for outcome in ended:
            outcomes[outcome.status] = outcomes.get(outcome.status, 0) + 1
            if outcome.retry_at is not None:
                wake_at = min(wake_at or outcome.retry_at, outcome.retry_at)
        if any(outcome.server_trouble for outcome in ended):
            break  # the rest stays owed, untouched, for the run at wake_at
    db.session.commit()
    if wake_at is not None:
        _enqueue_at(wake_at.replace(microsecond=0) + timedelta(seconds=1))
    return outcomes


def _enqueue_at(when) -> None:
    try:
        if when is None:
            get_queue().enqueue(SUPPORTER_MAIL)
        else:
            get_queue().enqueue_at(when.replace(tzinfo=UTC), SUPPORTER_MAIL)
    except redis.RedisError:
        log.warning("redis unavailable; supporter mail left for the relay")
