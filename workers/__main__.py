"""`python -m workers [--burst] [QUEUE ...]`: an RQ worker with the JSON serializer.

It rides out Redis going away: RQ's worker retries a lost connection while it waits for work but
quits on other Redis errors; then a new worker starts here after a pause (growing to 30 s), so the
process only ends when asked to (SIGTERM, Ctrl-C) or in burst / --max-jobs runs.
"""

import argparse
import logging
import time

import redis

from campaign.queueing import worker_queues
from workers.runtime import AppContextWorker, release_dead_scheduler_locks, wait_for_redis, worker_app

log = logging.getLogger("workers")


def main() -> None:
    parser = argparse.ArgumentParser(description="Run an RQ worker for the campaign platform.")
    parser.add_argument(
        "queues", nargs="*", help="queues to work on (default: RQ_COUNTS_QUEUE, then RQ_QUEUE)"
    )
    parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs (to recycle)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = worker_app()
    wait_for_redis(app)
    pause = 1.0
    while True:
        worker, started = None, time.monotonic()
        try:
            worker = AppContextWorker(args.queues or worker_queues(app), app=app)
            release_dead_scheduler_locks(worker.connection, worker.queue_names())
            worker.work(burst=args.burst, max_jobs=args.max_jobs, with_scheduler=True)
        except redis.RedisError as error:
            log.warning("worker stopped on a Redis error (%s)", type(error).__name__)
        if args.burst or args.max_jobs or (worker is not None and worker._shutdown_requested_date):
            return
        pause = 1.0 if time.monotonic() - started > 60 else min(pause * 2, 30.0)
        log.warning("starting a new worker in %.0f s", pause)
        time.sleep(pause)


if __name__ == "__main__":
    main()
