"""Jobs that send updates to supporters. The rules live in campaign.outreach.

`send_due` is nudged after an update is sent off: it claims due rows in batches (a lease each batch),
sends them over the worker's reused SMTP connection and commits each batch's outcomes (more than a batch due:
it asks for one helper run beside it, so every worker sends); after a bounded
run it queues its own continuation, and when only throttled or retried rows remain it asks RQ's
scheduler to wake it when the next is due (the relay catches it if Redis forgets).
"""

import logging
import time
from datetime import UTC, timedelta

import redis
from flask import current_app

from campaign.extensions import db
from campaign.jobs import SEND_UPDATES, UPDATES_HELPER_NUDGE, UPDATES_NUDGE
from campaign.models.base import utcnow
from campaign.outreach import send
from campaign.outreach.send import (
    UpdateCache,
    claim_batch,
    finish_done_updates,
    next_due,
    send_claimed,
    send_test_mail,
    wake_overdue,
)
from campaign.queueing import clear_nudge, get_queue, nudge

log = logging.getLogger(__name__)
RUN_SECONDS = 10.0


def send_due() -> dict:
    clear_nudge(UPDATES_NUDGE)  # a commit from now on nudges a fresh run
    started, tally, touched = time.monotonic(), {}, set()
    cache = UpdateCache()
    while True:
        if time.monotonic() - started > RUN_SECONDS:
            _enqueue()
            break
        lease, claimed = claim_batch(utcnow(), send.BATCH)
        db.session.commit()  # the claim is visible before the SMTP conversation starts
        if not claimed:
            break
        if not tally and len(claimed) == send.BATCH:
            nudge(UPDATES_HELPER_NUDGE)  # more than a batch due: another worker sends beside this run
        for kind, n in send_claimed(claimed, lease, cache).items():
            tally[kind] = tally.get(kind, 0) + n
        touched.update(r.update_id for r in claimed)
        db.session.commit()
    finish_done_updates(touched)
    db.session.commit()
    wake = next_due()
    if wake is not None and wake > utcnow():
        _enqueue_at(wake.replace(microsecond=0) + timedelta(seconds=1))
    return tally


def send_test(update_id: int, account_id: int) -> str:
    """The update as a supporter gets it, to the campaigner's own address."""
    return send_test_mail(update_id, account_id)


def relay() -> int:
    """The relay's part for updates (also called on its own by tests)."""
    return wake_overdue(utcnow(), timedelta(seconds=current_app.config["DELIVERY_RELAY_GRACE"]))


def _enqueue() -> None:
    try:
        get_queue().enqueue(SEND_UPDATES)
    except redis.RedisError:
        log.warning("redis unavailable; update mail left for the relay")


def _enqueue_at(when) -> None:
    try:
        get_queue().enqueue_at(when.replace(tzinfo=UTC), SEND_UPDATES)
    except redis.RedisError:
        log.warning("redis unavailable; update mail left for the relay")
