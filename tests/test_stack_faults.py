"""Redis frozen and Redis restarted under the stack's own processes (`make run`: web, worker, cron,
embedded Redis 6.2, mail sink): signing answers and keeps every signature, no process falls over,
the confirmation mails still go out, and a process that dies is started again."""

import os
import signal
import sqlite3
import time

import pytest

from campaign import create_app
from campaign.extensions import db
from tests import factories
from tests.stack_runner import Stack, wait_until

SLUG = "stapel"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from flask_migrate import upgrade

    stack = Stack(tmp_path_factory.mktemp("stack"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{stack.database}", "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        factories.petition(SLUG)
        db.session.remove()
        db.engine.dispose()
    stack.start()
    yield stack
    stack.stop()


def flags(stack) -> dict[str, str | None]:
    with sqlite3.connect(stack.database) as connection:
        return dict(connection.execute("SELECT email, flag FROM signatures"))


def test_signing_with_redis_frozen(stack):
    [redis_pid] = stack.pids("redis")[-1:]
    assert stack.sign(SLUG, "voor-de-vorst@example.nl") == 303
    os.kill(redis_pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        status = stack.sign(SLUG, "tijdens-de-vorst@example.nl")
        elapsed = time.monotonic() - started
        time.sleep(3)  # the cron ticks against the frozen Redis meanwhile (RELAY_INTERVAL=2)
    finally:
        os.kill(redis_pid, signal.SIGCONT)
    assert status == 303 and elapsed < 5, f"sign POST: {status} after {elapsed:.1f} s"
    assert flags(stack)["tijdens-de-vorst@example.nl"] == "unscreened"  # stored, held back from counts
    # Its nudge was lost in the freeze: the cron relay sends it once it is a minute overdue.
    wait_until(lambda: stack.mail_to("tijdens-de-vorst@example.nl"), 100, "the confirmation mail", 0.5)
    assert stack.mail_to("voor-de-vorst@example.nl")
    for name in ("web", "worker", "cron", "redis"):
        assert len(stack.pids(name)) == 1, f"{name} was restarted:\n{stack.log[-3000:]}"


def test_redis_restarted(stack):
    old_redis = stack.pids("redis")[-1]
    os.kill(old_redis, signal.SIGKILL)
    wait_until(lambda: len(stack.pids("redis")) == 2, 15, "the supervisor to start Redis again")
    wait_until(lambda: stack.get("/healthz")[0] == 200, 15, "Redis to answer again")
    assert stack.sign(SLUG, "na-de-herstart@example.nl") == 303
    wait_until(lambda: stack.mail_to("na-de-herstart@example.nl"), 60, "the confirmation mail", 0.5)
    # Worker and cron rode it out: same processes, not restarted by the supervisor.
    for name in ("web", "worker", "cron"):
        assert len(stack.pids(name)) == 1, f"{name} was restarted:\n{stack.log[-3000:]}"


def test_a_process_that_dies_is_started_again_and_the_rest_carry_on(stack):
    [cron] = stack.pids("cron")[-1:]
    os.killpg(cron, signal.SIGKILL)
    wait_until(lambda: len(stack.pids("cron")) == 2, 15, "the supervisor to start the cron again")
    assert stack.get("/healthz")[0] == 200
    assert stack.sign(SLUG, "na-de-cron@example.nl") == 303
    wait_until(lambda: stack.mail_to("na-de-cron@example.nl"), 60, "the confirmation mail", 0.5)
