"""Real worker processes (`python -m workers`) against the test's Redis, database and SMTP server:
one killed with SIGKILL in the middle of a batch, and two working through 1,000 deliveries at once."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from campaign.delivery import queue_letters
from campaign.extensions import db
from campaign.models import DeliveryStatus, Signature, SignatureStatus
from campaign.models.base import utcnow
from tests.delivery_helpers import confirmed, deliveries, petition_with_targets
from workers import deliveries as jobs

ROOT = Path(__file__).resolve().parent.parent
LEASE = 3
N = int(os.environ.get("DELIVERY_TEST_N", 1000))


@pytest.fixture
def config_overrides(faulty_smtp):
    return {"MAIL_PORT": faulty_smtp[0], "DELIVERY_RELAY_GRACE": 0, "DELIVERY_LEASE_SECONDS": LEASE}


@pytest.fixture
def start_worker(app, database_url, redis_url, faulty_smtp, tmp_path):
    """Start `python -m workers` processes configured like the test app; they are killed at the end."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(faulty_smtp[0]),
        SECRET_KEY=app.config["SECRET_KEY"],
        ENV_NAME="test",
        PUBLIC_URL=app.config["PUBLIC_URL"],
        MAIL_DEFAULT_SENDER=app.config["MAIL_DEFAULT_SENDER"],
        DELIVERY_LEASE_SECONDS=str(LEASE),
        MAIL_TIMEOUT="60",
        RATELIMIT_ENABLED="false",
    )
    started = []

    def start(*args):
        log = (
            tmp_path / f"worker-{len(started)}.log"
        )  # a file, not a pipe: a full pipe would stall the worker
        with open(log, "wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "workers", *args],
                cwd=ROOT,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: killed with the scheduler process it forks
            )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        # The group: a scheduler left behind would hold RQ's scheduler lock in later tests' Redis.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until(condition, timeout=30.0, step=0.05):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(step)


@pytest.mark.slow
def test_worker_killed_mid_batch_every_delivery_is_sent_and_duplicates_keep_their_message_id(
    app, smtp, start_worker
):
    """A batch is recorded after its last send: a worker killed in its third conversation leaves the
    whole batch claimed. The two letters it had sent and the one the server took in go out again with
    the same Message-ID; the two it never tried go out once; none is lost."""
    handler, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1, letters_per_hour=1000)
    handler.fail_next("ok", "ok", "hang")  # the third message is taken in, and the answer never comes
    for n in range(5):
        confirmed(petition, name=f"Ondertekenaar {n}", email=f"o{n}@example.nl")
    worker = start_worker()
    assert handler.hanging.wait(timeout=30), worker.log.read_text()
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its scheduler process, as a crash would
    worker.wait(timeout=10)

    stuck = deliveries(status=DeliveryStatus.SENDING)
    assert len(stuck) == 5 and len({row.lease_until for row in stuck}) == 1  # one claim, one lease
    wait_until(lambda: utcnow() > stuck[0].lease_until, timeout=LEASE + 5)  # the dead worker's lease runs out
    assert jobs.relay() >= 1
    recovery = start_worker("--burst")
    assert recovery.wait(timeout=60) == 0, recovery.log.read_text()

    rows = deliveries()
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    assert [row.attempts for row in rows] == [2] * 5  # claimed once more each, after the lease ran out
    letters = [m for m in mailbox.messages if m["X-Envelope-To"] == target.email]
    per_id = Counter(m["Message-ID"] for m in letters)
    assert set(per_id) == {row.message_id for row in rows}  # every delivery arrived
    assert [per_id[row.message_id] for row in rows] == [2, 2, 2, 1, 1]  # only those the server had, twice


@pytest.mark.slow
# Two worker processes and 1,000 SMTP conversations: minutes on a busy 2-core machine.
@pytest.mark.timeout(360)
def test_two_workers_in_parallel_send_each_of_1000_deliveries_once(app, smtp, start_worker):
    _, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1, letters_per_hour=100000)
    now = utcnow()
    db.session.execute(
        Signature.__table__.insert(),
        [
            {
                "petition_id": petition.id,
                "name": f"Ondertekenaar {n}",
                "email": f"o{n}@example.nl",
                "email_normalised": f"o{n}@example.nl",
                "postcode": "3511 AB",
                "country": "NL",
                "region": "NL-UT",
                "consent_version": "test",
                "status": SignatureStatus.CONFIRMED,
                "token": f"token-{n}",
                "confirmed_at": now,
                "message": "",
                "reply_to_me": False,
            }
            for n in range(N)
        ],
    )
    for signature in db.session.execute(db.select(Signature)).scalars():
        queue_letters(signature, now)
    db.session.commit()  # 1,000 jobs enqueued
    assert jobs.relay() == N  # and every one a second time
    workers = [start_worker("--burst"), start_worker("--burst")]
    for worker in workers:
        assert worker.wait(timeout=240) == 0, worker.log.read_text()

    rows = deliveries()
    assert len(rows) == N and {row.status for row in rows} == {DeliveryStatus.SENT}
    letters = [m for m in mailbox.messages if m["X-Envelope-To"] == target.email]
    per_id = Counter(m["Message-ID"] for m in letters)
    assert len(letters) == N and set(per_id.values()) == {1}
    assert set(per_id) == {row.message_id for row in rows}
