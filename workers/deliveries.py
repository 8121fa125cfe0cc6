"""Jobs that deliver to officials. Ids in; the rules live in campaign.delivery.

`send_due` is the sender: nudged after a commit that owes deliveries, it claims the due rows a small
batch at a time (a lease each; campaign.delivery.claim says what a worker that dies mid-batch holds)
and sends them over the worker's reused SMTP connection, without an RQ job per row. It runs for a
bounded time, then queues its own continuation, so the fold and other jobs never wait long behind a
backlog; while rows remain it asks for one helper, so every worker process can send. Safe to run
twice and in several workers at once.
"""

import logging
import time
from datetime import UTC, timedelta

import redis
from flask import current_app

from campaign.delivery import Outcomes, SendResult, claim_due, send_claimed
from campaign.delivery.claim import more_due
from campaign.delivery.prepare import RunCache
from campaign.delivery.preview import send_test as send_test_email
from campaign.delivery.queue import queue_digests, queue_milestones, wake_overdue
from campaign.delivery.send import HANDED_BACK
from campaign.extensions import db
from campaign.jobs import DELIVERY_HELPER_NUDGE, DELIVERY_NUDGE, SEND_DUE
from campaign.models.base import utcnow
from campaign.queueing import clear_nudge, get_queue, nudge

log = logging.getLogger(__name__)
RUN_ROWS = 1000  # a run's rows at most, then a continuation: other jobs get their turn
RUN_SECONDS = 5.0


def send_due() -> dict:
    """Send due deliveries until none is left or the run's budget is spent. Returns the outcomes."""
    clear_nudge(DELIVERY_NUDGE)
    started, due_by = time.monotonic(), utcnow()
    outcomes: dict[str, int] = {}
    wake_at: set = set()  # retries and throttled letters: when to look again
    budgets: dict = {}  # targets found over budget in this run
    cache = RunCache()  # petitions, targets, settings: read once a run
    record = Outcomes()
    claimed, more = 0, False
    while not more:
        if claimed >= RUN_ROWS or time.monotonic() - started > RUN_SECONDS:
            more = True  # the rest in a continuation, behind whatever queued meanwhile
            break
        record.write()  # the previous batch's outcomes
        batch = claim_due(utcnow(), due_by, record, budgets, cache)
        record.write()  # what the claim decided without sending (throttled, skipped)
        # One commit a batch: the previous batch's outcomes with this claim, before the SMTP
        # conversations, so other workers see the claim and no transaction stays open while the
        # server takes its time.
        db.session.commit()
        if not batch:
            break
        if claimed == 0 and more_due(utcnow(), due_by):
            nudge(DELIVERY_HELPER_NUDGE)  # one more run at most once a second: every worker sends
        claimed += len(batch)
        attempts = [item for item in batch if not isinstance(item, SendResult)]
        decided = [item for item in batch if isinstance(item, SendResult)]
        for outcome in decided + send_claimed(attempts, record):
            outcomes[outcome.status] = outcomes.get(outcome.status, 0) + 1
            if outcome.status == HANDED_BACK:
                more = True  # a slow server: this run ends, the continuation sends them
            elif outcome.retry_at is not None:
                wake_at.add(outcome.retry_at.replace(microsecond=0) + timedelta(seconds=1))
    record.write()  # the last batch's outcomes
    db.session.commit()
    if more:
        _enqueue(SEND_DUE)
    for when in sorted(wake_at):
        _enqueue_at(when, SEND_DUE)
    return outcomes


def _enqueue(func: str, *args) -> None:
    try:
        get_queue().enqueue(func, args=args)
    except redis.RedisError:
        log.warning("redis unavailable; deliveries left for the relay")


def _enqueue_at(when, func: str, *args) -> None:
    """A retry or a throttled letter: RQ's scheduler runs it on time; if Redis loses it, the relay."""
    try:
        get_queue().enqueue_at(when.replace(tzinfo=UTC), func, *args)
    except redis.RedisError:
        log.warning("redis unavailable; deliveries left for the relay")


def relay() -> int:
    """Wake the sender for what is due in the database but may be missing from Redis: rows due a
    while ago, or held by a worker whose lease ran out. Returns how many."""
    return wake_overdue(utcnow(), timedelta(seconds=current_app.config["DELIVERY_RELAY_GRACE"]))


def milestones() -> int:
    owed = queue_milestones(utcnow())
    db.session.commit()
    return len(owed)


def digests() -> int:
    owed = queue_digests(utcnow())
    db.session.commit()
    return len(owed)


def send_test(petition_id: int, kind: str, account_id: int) -> str:
    """The studio's test send to the campaigner who asked (campaign.delivery.preview); raises for a
    temporary failure, so RQ tries again."""
    result = send_test_email(petition_id, kind, account_id)
    db.session.commit()
    return result
