"""`python -m workers.cron`: RQ's cron scheduler, enqueueing the recurring jobs of workers.schedule.

RQ's CronJob enqueues with the default (pickle) serializer; ours use JSON, so enqueueing goes
through our own queue helper. RQ's loop ends on the first Redis error; ours waits and carries on.
"""

import logging
import time

import redis
from rq.cron import CronJob, CronScheduler
from rq.exceptions import StopRequested

from campaign.queueing import get_queue, queue_name_for, redis_connection
from workers.runtime import wait_for_redis, worker_app
from workers.schedule import recurring_jobs


class JsonCronJob(CronJob):
    def enqueue(self, connection):
        return get_queue(self.queue_name).enqueue(self.func_name, job_id=None, **self.job_options)


log = logging.getLogger("workers.cron")
MAX_PAUSE = 30.0


class ResilientCronScheduler(CronScheduler):
    """RQ's CronScheduler, riding out Redis refused or stalled (every call has the factory's short
    timeouts): a failed tick is retried after a pause growing to MAX_PAUSE; jobs a failed tick did
    not enqueue stay due, so the first tick after the outage enqueues them."""

    def start(self):
        self._install_signal_handlers()
        registered, pause = False, 1.0
        try:
            while True:
                try:
                    if not registered:
                        self.register_birth()
                        registered = True
                    self.tick()
                    sleep, pause = self.calculate_sleep_interval(), 1.0
                except redis.RedisError as error:
                    log.warning(
                        "redis unavailable (%s); cron tries again in %.0f s", type(error).__name__, pause
                    )
                    sleep, pause = pause, min(pause * 2, MAX_PAUSE)
                if sleep > 0:
                    time.sleep(sleep)
        except (KeyboardInterrupt, StopRequested):
            log.info("cron stopping")
        finally:
            try:
                self.register_death()
            except redis.RedisError:
                pass

    def tick(self) -> None:
        if self.enqueue_jobs():
            self.save()  # the jobs' timing, for `rq cron` status tools
        self.heartbeat()


def build_scheduler(app) -> CronScheduler:
    scheduler = ResilientCronScheduler(connection=redis_connection(app), name="campaign-cron")
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
