"""The sender claims letters a batch at a time and records their outcomes together: what a batch
changes (a row whose lease ran out is taken alone, a slow server hands the rest back, an address
blocked or a count reset by an earlier letter of the same batch), against a real SMTP server."""

from datetime import timedelta

import pytest

from campaign.delivery import Outcomes, claim
from campaign.delivery.outcome import Attempt
from campaign.delivery.prepare import RunCache
from campaign.delivery.throttle import take_places
from campaign.extensions import db
from campaign.jobs import SEND_DUE
from campaign.models import Delivery, DeliveryStatus, Signature, TargetMailHealth
from campaign.models.base import utcnow
from campaign.queueing import get_queue
from tests.delivery_helpers import (
    confirmed,
    deliveries,
    letters_to,
    petition_with_targets,
    sender_config,
    to_targets,
)
from workers import deliveries as jobs


@pytest.fixture
def config_overrides(faulty_smtp):
    return sender_config(faulty_smtp)


def _letters(n, **settings):
    petition, (target,) = petition_with_targets(n_targets=1, **settings)
    for i in range(n):
        confirmed(petition, name=f"Ondertekenaar {i}", email=f"o{i}@example.nl")
    return target


def _claim():
    now = utcnow()
    claimed = claim.claim_due(now, now, Outcomes(), {}, RunCache())
    db.session.commit()
    return claimed


def test_queued_rows_are_claimed_a_batch_at_a_time_and_a_lapsed_lease_alone(app, smtp, monkeypatch):
    monkeypatch.setattr(claim, "BATCH", 3)
    _letters(5)
    first = _claim()
    assert len(first) == 3 and all(isinstance(item, Attempt) for item in first)
    assert len({item.lease for item in first}) == 1
    # The worker that claimed them dies: their lease runs out.
    db.session.execute(
        Delivery.__table__.update()
        .where(Delivery.status == DeliveryStatus.SENDING)
        .values(lease_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert len(_claim()) == 2  # the queued ones first, together
    lapsed = [_claim(), _claim(), _claim()]
    assert [len(batch) for batch in lapsed] == [1, 1, 1]  # then the dead worker's rows, each alone
    assert _claim() == []
    assert [row.attempts for row in deliveries()] == [2, 2, 2, 1, 1]


def test_an_outcome_is_not_recorded_once_another_worker_took_the_row_over(app, smtp):
    _letters(1)
    [attempt] = _claim()
    taken_over_until = attempt.lease + timedelta(minutes=5)
    db.session.execute(Delivery.__table__.update().values(lease_until=taken_over_until))
    db.session.commit()
    record = Outcomes()
    record.finish(attempt.delivery_id, attempt.lease, DeliveryStatus.SENT, outcome="sent", sent_at=utcnow())
    record.write()
    db.session.commit()
    [row] = deliveries()
    assert (
        row.status == DeliveryStatus.SENDING and row.lease_until == taken_over_until and row.sent_at is None
    )


def test_a_success_later_in_the_batch_resets_the_failures_an_earlier_letter_counted(app, smtp):
    handler, mailbox = smtp
    handler.fail_next("550")
    target = _letters(2)
    assert jobs.send_due() == {"failed": 1, "sent": 1}  # one run, one batch
    first, second = deliveries()
    assert first.status == DeliveryStatus.FAILED and first.last_error.startswith("550")
    assert second.status == DeliveryStatus.SENT
    assert db.session.get(TargetMailHealth, target.id).failures_in_a_row == 0
    assert len(letters_to(to_targets(mailbox), target.email)) == 1


def test_an_address_blocked_by_an_earlier_letter_in_the_batch_is_skipped(app, smtp):
    handler, mailbox = smtp
    app.config["DELIVERY_BLOCK_AFTER"] = 2
    handler.fail_next("550", "550")
    target = _letters(4)
    assert jobs.send_due() == {"failed": 2, "skipped": 2}
    assert [row.last_error[:3] for row in deliveries()] == ["550", "550", "ski", "ski"]
    assert db.session.get(TargetMailHealth, target.id).blocked_email == target.email
    assert handler.attempts == 2 and to_targets(mailbox) == []


def test_a_server_slow_enough_to_spend_half_the_lease_gets_the_rest_back_untried(app, smtp, run_jobs):
    handler, mailbox = smtp
    app.config["DELIVERY_LEASE_SECONDS"] = 2  # half of it is spent by the first send's 2 s timeout
    handler.fail_next("hang")
    target = _letters(3)
    get_queue().empty()  # the confirmations' nudges: this test runs the sender itself
    assert jobs.send_due() == {"retry": 1, "handed back": 2}
    hung, *untried = deliveries()
    assert hung.status == DeliveryStatus.QUEUED and "timed out" in hung.last_error.lower()
    for row in untried:  # back in the queue as they were: no attempt spent, no error
        assert (row.status, row.attempts, row.last_error, row.lease_until) == (
            DeliveryStatus.QUEUED,
            0,
            None,
            None,
        )
    assert [job.func_name for job in get_queue().jobs] == [SEND_DUE]  # a continuation, not a wait
    run_jobs()
    assert {row.status for row in deliveries()} == {DeliveryStatus.SENT}
    copies = letters_to(to_targets(mailbox), target.email)
    assert len(copies) == 4  # the server kept the hung one: it went twice, with one Message-ID
    assert len({m["Message-ID"] for m in copies}) == 3


def test_a_batch_takes_its_places_in_a_targets_budget_at_once_and_no_more_than_are_left(app):
    assert take_places(1, 1, 5, 3) == (3, 0.0)
    granted, wait = take_places(1, 1, 5, 3)  # two left: the oldest two letters go, the third waits
    assert granted == 2 and 3590 < wait <= 3600
    assert take_places(1, 1, 5, 1)[0] == 0
    assert take_places(1, 2, 5, 7)[0] == 5  # more than a whole hour's budget: as many as fit
    assert take_places(2, 1, 5, 5) == (5, 0.0)  # per petition and target


def test_a_withdrawn_signatures_letter_takes_no_place_in_the_budget(app, smtp):
    _, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1, letters_per_hour=1)
    withdrawn = confirmed(petition, name="Anna", email="anna@example.nl")
    confirmed(petition, name="Bram", email="bram@example.nl")
    db.session.get(Signature, withdrawn.id).status = "withdrawn"
    db.session.commit()
    assert jobs.send_due() == {"skipped": 1, "sent": 1}
    [letter] = letters_to(to_targets(mailbox), target.email)
    assert "Bram" in letter["From"]
