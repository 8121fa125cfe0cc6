"""`python -m workers.cron`: RQ's cron scheduler, enqueueing the recurring jobs of workers.schedule.

RQ's CronJob enqueues with the default (pickle) serializer; ours use JSON, so enqueueing goes
through our own queue helper.
"""

import logging

from rq.cron import CronJob, CronScheduler

from campaign.queueing import get_queue, queue_name_for, redis_connection
from workers.runtime import wait_for_redis, worker_app
from workers.schedule import recurring_jobs


class JsonCronJob(CronJob):
    def enqueue(self, connection):
        return get_queue(self.queue_name).enqueue(self.func_name, job_id=None, **self.job_options)


def build_scheduler(app) -> CronScheduler:
    scheduler = CronScheduler(connection=redis_connection(app), name="campaign-cron")
    for func_name, interval, cron in recurring_jobs(app.config):
        job = JsonCronJob(
            queue_name=queue_name_for(func_name, app),
            func_name=func_name,
            interval=interval,
            cron=cron,
            job_timeout=600,
        )
        job.func = func_name  # CronJob refuses to enqueue without one; we enqueue by name
        scheduler._cron_jobs.append(job)
    return scheduler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = worker_app()
    wait_for_redis(app)
    with app.app_context():
        build_scheduler(app).start()


if __name__ == "__main__":
    main()
