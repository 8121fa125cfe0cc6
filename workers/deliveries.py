"""Jobs that deliver to officials. Ids in; the rules live in campaign.delivery.

`send_due` is the sender: nudged after a commit that owes deliveries, it claims the due rows one at a
time (a lease each, so a worker that dies holds one row) and sends them over the worker's reused SMTP
connection, without an RQ job per row. It runs for a bounded time, then queues its own continuation,
so the fold and other jobs never wait long behind a backlog; while rows remain it asks for one helper,
so every worker process can send. `send` (one row) stays for jobs queued before batching.
Both are safe to run twice and in several workers at once.
"""

import logging
import time
from datetime import UTC, timedelta

import redis

from campaign.delivery import SEND_DUE_JOB, SEND_JOB, Outcome, claim_delivery, claim_next, send_delivery
from campaign.delivery.queue import NUDGE_KEY, queue_digests, queue_milestones, relay_due
from campaign.delivery.send import RunCache, more_due
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.queueing import NUDGE_PREFIX, get_queue
from campaign.redis_client import redis_connection

log = logging.getLogger(__name__)
RELAY_BATCH = 2000
RUN_ROWS = 1000  # a run's rows at most, then a continuation: other jobs get their turn
RUN_SECONDS = 5.0
HELPER_KEY = NUDGE_PREFIX + "deliveries-helper"


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
        _enqueue_at(outcome.retry_at, SEND_JOB, delivery_id)
    return outcome.status


def send_due() -> dict:
    """Send due deliveries until none is left or the run's budget is spent. Returns the outcomes."""
    _forget(NUDGE_PREFIX + NUDGE_KEY)  # a commit from now on nudges a fresh run
    started, due_by = time.monotonic(), utcnow()
    outcomes: dict[str, int] = {}
    wake_at: set = set()  # retries and throttled letters: when to look again
    budgets: dict = {}  # targets found over budget in this run
    cache = RunCache()  # petitions, targets, settings: read once a run
    for done in range(RUN_ROWS):
        if time.monotonic() - started > RUN_SECONDS:
            _enqueue(SEND_DUE_JOB)  # the rest in a continuation, behind whatever queued meanwhile
            break
        attempt = claim_next(utcnow(), due_by, budgets, cache)
        # One commit a letter: the previous letter's outcome with this claim, before the SMTP
        # conversation (see send). A worker that dies in the conversation has recorded the others.
        db.session.commit()
        if attempt is None:
            break
        if done == 0 and more_due(utcnow(), due_by):
            _ask_for_helper()
        outcome = attempt if isinstance(attempt, Outcome) else send_delivery(attempt, utcnow())
        outcomes[outcome.status] = outcomes.get(outcome.status, 0) + 1
        if outcome.retry_at is not None:
            wake_at.add(outcome.retry_at.replace(microsecond=0) + timedelta(seconds=1))
    else:
        _enqueue(SEND_DUE_JOB)
    db.session.commit()  # the last outcome
    for when in sorted(wake_at):
        _enqueue_at(when, SEND_DUE_JOB)
    return outcomes


def _ask_for_helper() -> None:
    """One more run, for another worker, at most once a second: a backlog is sent by every worker."""
    try:
        if redis_connection().set(HELPER_KEY, 1, nx=True, px=1000):
            get_queue().enqueue(SEND_DUE_JOB)
    except redis.RedisError:
        pass  # this run carries on alone


def _forget(key: str) -> None:
    try:
        redis_connection().delete(key)
    except redis.RedisError:
        pass


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
    """Wake the sender for what is due in the database but may be missing from Redis (called by the
    relay): rows due a while ago, or held by a worker whose lease ran out. Returns how many."""
    from flask import current_app

    ids = relay_due(utcnow(), timedelta(seconds=current_app.config["DELIVERY_RELAY_GRACE"]), RELAY_BATCH)
    if ids:
        _enqueue(SEND_DUE_JOB)
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
    """The studio's test send: one email of `kind`, as a target would get it, to the campaigner.
    A final failure is recorded in the audit log, which the delivery page shows."""
    from campaign import audit
    from campaign.delivery.preview import test_message
    from campaign.models import Account, Petition
    from campaign.oneoff_mail import send_one_off

    petition, account = db.session.get(Petition, petition_id), db.session.get(Account, account_id)
    if petition is None or account is None:
        return "gone"
    failure = send_one_off(test_message(petition, kind, account.email))  # raises for a retry
    if failure is None:
        return "sent"
    audit.record(
        "delivery.test_send_failed", f"petition:{petition.id}", details=f"kind={kind}; {failure.text}"
    )
    db.session.commit()
    return "failed"
