"""A worker killed with SIGKILL leaves RQ's scheduler lock behind; the worker started after it must run
the scheduler at once, or scheduled retries wait for the lock to expire and RQ's next try."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from rq import Queue
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler
from rq.serializers import JSONSerializer

from campaign.dev import redis_server as dev_redis
from tests.stack_runner import wait_until

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def own_redis(tmp_path):
    port = dev_redis.free_port()
    process = dev_redis.start(port, tmp_path / "redis")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def start_worker(redis_url: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.db'}",
        "SECRET_KEY": "worker-test-secret",
        "ENV_NAME": "test",
    }
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "workers"],
        env=env,
        cwd=ROOT,
        stdout=(tmp_path / "worker.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_after_sigkill_runs_the_scheduler_at_once(own_redis, tmp_path):
    connection = redis.Redis.from_url(own_redis)
    lock = RQScheduler.get_locking_key("default")
    first = start_worker(own_redis, tmp_path)
    second = None
    try:
        holder = wait_until(lambda: connection.get(lock), 60, "the first worker's scheduler lock")
        scheduler = SCHEDULER_KEY_TEMPLATE % holder.decode()
        wait_until(lambda: connection.hget(scheduler, "pid"), 30, "the first worker's scheduler to run")
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its scheduler process, as a crash would
        first.wait(timeout=10)
        assert connection.get(lock) == holder  # the dead one's lock lives on (RQ: for a minute)

        second = start_worker(own_redis, tmp_path)
        wait_until(lambda: connection.get(lock) not in (None, holder), 30, "the new worker to take the lock")
        queue = Queue("default", connection=connection, serializer=JSONSerializer)
        job = queue.enqueue_in(timedelta(seconds=1), "builtins.len", "abc")
        wait_until(lambda: job.get_status(refresh=True) == "finished", 15, "the scheduled job to run")
        assert job.return_value() == 3
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def test_a_dead_scheduler_not_yet_reaped_counts_as_gone():
    """A zombie still answers signal 0; its lock must be freed all the same."""
    from workers.runtime import _alive

    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603 - our own interpreter
    stat = Path(f"/proc/{child.pid}/stat")
    wait_until(
        lambda: stat.read_text().rpartition(")")[2].split()[0] == "Z", 10, "the child to exit unreaped"
    )
    try:
        assert _alive(str(child.pid)) is False
    finally:
        child.wait(timeout=10)
    assert _alive(str(os.getpid())) is True
