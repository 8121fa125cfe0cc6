"""Nudged batch jobs gather (GATHER_NUDGED_JOBS, on in production): the first nudge schedules the job a
window ahead, later ones add nothing, and the one run sends everything committed meanwhile."""

from datetime import UTC, datetime

import pytest
from rq.registry import ScheduledJobRegistry

from campaign.jobs import DELIVERY_HELPER_NUDGE, SUPPORTER_MAIL, SUPPORTER_MAIL_NUDGE
from campaign.queueing import NUDGE_PREFIX, get_queue, nudge
from campaign.redis_client import redis_connection
from tests import factories
from tests.conftest import csrf_token
from tests.helpers import sign
from tests.stack_runner import wait_until
from workers.runtime import AppContextWorker


@pytest.fixture
def config_overrides():
    return {"GATHER_NUDGED_JOBS": True}


def scheduled(queue) -> dict[str, float]:
    """Job id -> seconds from now until it is due."""
    registry = ScheduledJobRegistry(queue=queue)
    now = datetime.now(UTC).timestamp()
    return {
        job_id: registry.connection.zscore(registry.key, job_id) - now for job_id in registry.get_job_ids()
    }


def test_the_first_nudge_schedules_the_job_a_window_ahead_and_the_rest_add_nothing(app):
    queue = get_queue()
    assert nudge(SUPPORTER_MAIL_NUDGE) is True
    assert nudge(SUPPORTER_MAIL_NUDGE) is False
    assert len(queue) == 0  # nothing to run yet
    due = scheduled(queue)
    assert list(due) == [SUPPORTER_MAIL_NUDGE.job_id]
    # RQ keeps whole seconds: due within the window, or at the scheduler's next look.
    assert -1 < due[SUPPORTER_MAIL_NUDGE.job_id] <= SUPPORTER_MAIL_NUDGE.seconds
    # The key outlives the wait for the scheduler, so nudges meanwhile schedule nothing more.
    ttl = redis_connection().pttl(NUDGE_PREFIX + SUPPORTER_MAIL_NUDGE.key) / 1000
    assert ttl > SUPPORTER_MAIL_NUDGE.seconds + 1


def test_a_helper_beside_a_running_job_is_queued_at_once(app):
    queue = get_queue()
    assert nudge(DELIVERY_HELPER_NUDGE) is True
    assert len(queue) == 1 and not scheduled(queue)


def test_signatures_signed_in_the_window_are_mailed_by_one_run(app, client, mailbox):
    factories.petition("verzamelen")
    token = csrf_token(client, "/petitions/verzamelen")
    for n in range(12):
        answer = sign(client, "verzamelen", email=f"verzamel-{n}@example.nl", csrf_token=token)
        assert answer.status_code == 303
    queue = get_queue()
    assert SUPPORTER_MAIL not in [job.func_name for job in queue.jobs]  # (the share card is drawn now)
    assert list(scheduled(queue)) == [SUPPORTER_MAIL_NUDGE.job_id]
    wait_until(lambda: max(scheduled(queue).values()) <= 0, 5, "the gathered job to fall due", 0.02)
    worker = AppContextWorker([queue], app=app)
    worker.work(burst=True, with_scheduler=True)  # the scheduler queues what is due, the worker runs it
    # One run sent all twelve (without gathering, the first signature's run would have sent one).
    assert queue.fetch_job(SUPPORTER_MAIL_NUDGE.job_id).latest_result().return_value == {"sent": 12}
    assert sorted(message["To"] for message in mailbox.wait_for(12)) == sorted(
        f"verzamel-{n}@example.nl" for n in range(12)
    )
    # The run cleared the key: the next signature schedules a fresh run.
    assert nudge(SUPPORTER_MAIL_NUDGE) is True
