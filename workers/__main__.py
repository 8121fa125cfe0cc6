"""`python -m workers [--burst] [QUEUE ...]`: an RQ worker with the JSON serializer."""

import argparse
import logging

from campaign.queueing import worker_queues
from workers.runtime import AppContextWorker, wait_for_redis, worker_app


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
    worker = AppContextWorker(args.queues or worker_queues(app), app=app)
    worker.work(burst=args.burst, max_jobs=args.max_jobs, with_scheduler=True)


if __name__ == "__main__":
    main()
