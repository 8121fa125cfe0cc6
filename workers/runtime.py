"""The worker's application: one per process, and an application context around every job."""

import logging
import os
import socket
import time
from functools import cache
from pathlib import Path

import redis
from rq import SimpleWorker
from rq.job import Job
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler
from rq.scripts import release_lock
from rq.serializers import JSONSerializer
from sqlalchemy.exc import SQLAlchemyError

from campaign import create_app
from campaign.dberrors import DatabaseError, describe_database_error
from campaign.extensions import db
from campaign.redis_client import redis_connection, worker_connection

log = logging.getLogger(__name__)


@cache
def worker_app():
    return create_app()


def wait_for_redis(app, timeout: float = 30.0) -> None:
    """Workers may start before Redis listens (beside it under `make run`, or on a machine that
    booted first): wait for it, up to `timeout` seconds, then let the error stop the process."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            redis_connection(app).ping()
            return
        except (redis.ConnectionError, redis.TimeoutError):
            if time.monotonic() > deadline:
                raise
            log.info("waiting for redis")
            time.sleep(0.5)  # polling a condition: nothing to wait on before Redis listens


class ScrubbedJob(Job):
    """A failed job's traceback is stored in Redis and logged: a database error's text would carry the
    values involved (PostgreSQL names them), so it is replaced by a description without them."""

    def _execute(self):
        try:
            return super()._execute()
        except SQLAlchemyError as error:
            raise DatabaseError(describe_database_error(error)) from None


class AppContextWorker(SimpleWorker):
    """Runs jobs in-process (no fork per job: SMTP and DB connections are reused), each in its own
    application context with a fresh session, so one job's state never leaks into the next."""

    def __init__(self, *args, app=None, **kwargs):
        self.app = app or worker_app()
        kwargs.setdefault("serializer", JSONSerializer)
        kwargs.setdefault("job_class", ScrubbedJob)
        kwargs.setdefault("connection", worker_connection(self.app))
        # BLPOP for 45 s at a time (RQ reads with a timeout 10 s above it), so a frozen Redis is noticed
        # within a minute; maintenance (which restarts a scheduler that died on a Redis error) every 30 s
        # instead of every 10 minutes.
        kwargs.setdefault("worker_ttl", 60)
        kwargs.setdefault("maintenance_interval", 30)
        super().__init__(*args, **kwargs)

    def perform_job(self, *args, **kwargs):
        with self.app.app_context():
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()


def release_dead_scheduler_locks(connection, queue_names) -> list[str]:
    """Free the scheduler locks whose holder was a process on this machine that is gone (a worker
    killed with SIGKILL leaves its lock for a minute, and RQ retries only at maintenance): the worker
    starting now takes the lock and runs the scheduler, so scheduled retries are not held up."""
    released = []
    for name in queue_names:
        key = RQScheduler.get_locking_key(name)
        holder = connection.get(key)
        if holder is None:
            continue
        holder = holder.decode()
        info = {
            k.decode(): v.decode() for k, v in connection.hgetall(SCHEDULER_KEY_TEMPLATE % holder).items()
        }
        if info.get("hostname") != socket.gethostname() or _alive(info.get("pid", "")):
            continue
        if release_lock(connection, key, holder):
            log.info("released the scheduler lock of %s, left by a process that is gone", name)
            released.append(name)
    return released


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return True  # not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: str) -> bool:
    """A killed scheduler whose parent died too waits as a zombie until init reaps it; in a container
    whose first process reaps slowly that can outlast the lock, and signal 0 still reaches it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc (not Linux) or already reaped: signal 0 has answered
    return stat.rpartition(")")[2].split()[0] == "Z"
