"""Background jobs leave only when the transaction that caused them commits.

Jobs are named by dotted path, in one registry (campaign.jobs), so that `campaign` never imports
`workers`; they carry ids only, and use RQ's JSON serializer. If Redis is unreachable the job is
not lost: every job is backed by a database row that the cron relay finds and enqueues again.
"""

import logging
from datetime import timedelta

import redis
from flask import current_app
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.jobs import COUNTS_QUEUE_JOBS, Nudge
from campaign.redis_client import redis_connection

log = logging.getLogger(__name__)
_PENDING = "campaign_jobs_after_commit"
NUDGE_PREFIX = "campaign:nudge:"
SCHEDULER_SLACK_SECONDS = 2.0


def get_queue(name: str | None = None, app=None) -> Queue:
    app = app or current_app._get_current_object()
    return Queue(name or app.config["RQ_QUEUE"], connection=redis_connection(app), serializer=JSONSerializer)


def queue_name_for(func: str, app=None) -> str:
    """The counts queue for the count jobs (workers take it first), else the general queue."""
    app = app or current_app._get_current_object()
    return app.config["RQ_COUNTS_QUEUE"] if func in COUNTS_QUEUE_JOBS else app.config["RQ_QUEUE"]


def worker_queues(app=None) -> list[str]:
    """What `python -m workers` listens to by default, in order: the counts first."""
    app = app or current_app._get_current_object()
    return list(dict.fromkeys([app.config["RQ_COUNTS_QUEUE"], app.config["RQ_QUEUE"]]))


def enqueue(func: str, *args, job_id: str | None = None, queue: str | None = None, **options):
    """Enqueue now. Returns the job, or None when Redis is down (the relay will retry)."""
    try:
        return get_queue(queue or queue_name_for(func)).enqueue(func, args=args, job_id=job_id, **options)
    except redis.RedisError:
        log.warning("redis unavailable; job %s left for the relay", func)
        return None


def enqueue_after_commit(func: str, *args, job_id: str | None = None, queue: str | None = None, **options):
    """Enqueue once the current transaction commits; forget it if the transaction rolls back."""
    after_commit(lambda: enqueue(func, *args, job_id=job_id, queue=queue, **options))


def after_commit(action) -> None:
    """Run `action` once the current transaction commits (never if it rolls back)."""
    from campaign.extensions import db

    db.session().info.setdefault(_PENDING, []).append(action)


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    for action in session.info.pop(_PENDING, None) or ():
        action()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(_PENDING, None)


def nudge(wake: Nudge) -> bool:
    """Enqueue an idempotent batch job at most once per `wake.seconds` (e.g. the count fold), or, when
    jobs gather (campaign.jobs.Nudge), schedule it that far ahead. True if this call enqueued it.
    A lost nudge only delays the work until the cron runs it."""
    gather = wake.gathers and current_app.config["GATHER_NUDGED_JOBS"]
    # Gathering, the key outlives the wait for the scheduler (it polls each second); the job clears it.
    hold = wake.seconds + SCHEDULER_SLACK_SECONDS if gather else wake.seconds
    try:
        if redis_connection().set(NUDGE_PREFIX + wake.key, 1, nx=True, px=int(hold * 1000)):
            queue = get_queue(queue_name_for(wake.job))
            if gather:
                queue.enqueue_in(timedelta(seconds=wake.seconds), wake.job, job_id=wake.job_id)
            else:
                queue.enqueue(wake.job, job_id=wake.job_id)
            return True
    except redis.RedisError:
        log.warning("redis unavailable; %s left for the cron", wake.job)
    return False


def nudge_after_commit(wake: Nudge) -> None:
    after_commit(lambda: nudge(wake))


def clear_nudge(wake: Nudge) -> None:
    """The nudged job calls this first: work committed from now on nudges a fresh run."""
    try:
        redis_connection().delete(NUDGE_PREFIX + wake.key)
    except redis.RedisError:
        log.warning("redis unavailable; could not clear the %s nudge", wake.key)
