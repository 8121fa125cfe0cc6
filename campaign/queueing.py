"""Background jobs leave only when the transaction that caused them commits.

Jobs are named by dotted path (``"workers.signatures.send_confirmation"``) so that `campaign` never
imports `workers`, carry ids only, and use RQ's JSON serializer. If Redis is unreachable the job is
not lost: every job is backed by a database row that the cron relay finds and enqueues again.
"""

import logging

import redis
from flask import current_app
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.redis_client import redis_connection

log = logging.getLogger(__name__)
_PENDING = "campaign_jobs_after_commit"
NUDGE_PREFIX = "campaign:nudge:"


COUNT_JOBS = frozenset({"workers.tally.fold", "workers.tally.reconcile"})


def get_queue(name: str | None = None, app=None) -> Queue:
    app = app or current_app._get_current_object()
    return Queue(name or app.config["RQ_QUEUE"], connection=redis_connection(app), serializer=JSONSerializer)


def queue_name_for(func: str, app=None) -> str:
    """The counts queue for the count jobs (workers take it first), else the general queue."""
    app = app or current_app._get_current_object()
    return app.config["RQ_COUNTS_QUEUE"] if func in COUNT_JOBS else app.config["RQ_QUEUE"]


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
    _after_commit(lambda: enqueue(func, *args, job_id=job_id, queue=queue, **options))


def _after_commit(action) -> None:
    from campaign.extensions import db

    db.session().info.setdefault(_PENDING, []).append(action)


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    for action in session.info.pop(_PENDING, None) or ():
        action()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(_PENDING, None)


def nudge(func: str, *, key: str, seconds: float = 1.0, queue: str | None = None) -> None:
    """Enqueue an idempotent batch job at most once per `seconds` (e.g. the count fold).

    Called after commit. A lost nudge only delays the work until the cron runs it.
    """
    try:
        conn = redis_connection()
        if conn.set(NUDGE_PREFIX + key, 1, nx=True, px=int(seconds * 1000)):
            get_queue(queue or queue_name_for(func)).enqueue(func, job_id=f"nudge-{key}")
    except redis.RedisError:
        log.warning("redis unavailable; %s left for the cron", func)


def nudge_after_commit(func: str, *, key: str, seconds: float = 1.0) -> None:
    _after_commit(lambda: nudge(func, key=key, seconds=seconds))
