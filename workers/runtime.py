"""The worker's application: one per process, and an application context around every job."""

from functools import cache

import redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from campaign import create_app
from campaign.extensions import db


@cache
def worker_app():
    return create_app()


class AppContextWorker(SimpleWorker):
    """Runs jobs in-process (no fork per job: SMTP and DB connections are reused), each in its own
    application context with a fresh session, so one job's state never leaks into the next."""

    def __init__(self, *args, app=None, **kwargs):
        self.app = app or worker_app()
        kwargs.setdefault("serializer", JSONSerializer)
        # No socket timeout here: the worker blocks on BLPOP for minutes at a time.
        kwargs.setdefault("connection", redis.Redis.from_url(self.app.config["REDIS_URL"]))
        super().__init__(*args, **kwargs)

    def perform_job(self, *args, **kwargs):
        with self.app.app_context():
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()
