"""The worker's application: one per process, and an application context around every job."""

import logging
import time
from functools import cache

import redis
from rq import SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy.exc import SQLAlchemyError

from campaign import create_app
from campaign.dberrors import DatabaseError, describe_database_error
from campaign.extensions import db
from campaign.queueing import redis_connection

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
        # No socket timeout here: the worker blocks on BLPOP for minutes at a time.
        kwargs.setdefault("connection", redis.Redis.from_url(self.app.config["REDIS_URL"]))
        super().__init__(*args, **kwargs)

    def perform_job(self, *args, **kwargs):
        with self.app.app_context():
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()
