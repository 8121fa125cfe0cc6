"""Delivery to officials: each mode delivers the right content to the right targets, through a real
SMTP server, with the outbox, the throttle and the failure paths."""

import time
from datetime import timedelta

import pytest

from campaign.delivery import queue_handover
from campaign.delivery.outcome import BLOCKED
from campaign.delivery.queue import queue_digests, retry_delivery
from campaign.extensions import db
from campaign.jobs import SEND_DUE
from campaign.models import DeliveryKind, DeliveryStatus, Signature, TargetMailHealth
from campaign.models.base import utcnow
from campaign.queueing import get_queue, redis_connection
from tests.delivery_helpers import (
    confirmed,
    deliver_all,
    deliveries,
    letters_to,
    petition_with_targets,
    sender_config,
    to_targets,
)
from workers import deliveries as jobs
from workers.tally import fold


@pytest.fixture
def config_overrides(faulty_smtp):
    return sender_config(faulty_smtp)


def test_letter_per_supporter_reaches_each_target_in_its_language(app, run_jobs, smtp):
    handler, mailbox = smtp
    petition, (dutch, english) = petition_with_targets()
    confirmed(petition, name="Anna de Vries", message="Doe er iets aan, alstublieft.", reply_to_me=True)
    confirmed(petition, name="Bram Jansen", email="bram@example.nl")
    run_jobs()
    messages = to_targets(mailbox)
    assert len(messages) == 4
    anna_nl = next(m for m in messages if m["X-Envelope-To"] == dutch.email and "Anna" in m["From"])
    assert anna_nl["From"].addresses[0].display_name == "Anna de Vries via Petities"
    assert anna_nl["From"].addresses[0].addr_spec == "petities@test.example"
    assert anna_nl["Reply-To"] == "anna@example.nl"
    assert anna_nl["Message-ID"].startswith("<delivery-") and anna_nl["Message-ID"].endswith(
        "@petities.test.example>"
    )
    text = anna_nl.get_body(("plain",)).get_content()
    assert "Doe er iets aan, alstublieft." in text
    assert "Wij vragen iets belangrijks." in text and "**" not in text  # Markdown as readable text
    assert "Geachte Ontvanger 1" in text and "Anna de Vries, Utrecht" in text
    bram = next(m for m in messages if m["X-Envelope-To"] == english.email and "Bram" in m["From"])
    assert bram["Reply-To"] is None  # he did not opt in
    assert {d.status for d in deliveries()} == {DeliveryStatus.SENT}
    assert len({d.message_id for d in deliveries()}) == 4


def test_no_letters_without_letter_mode_and_one_per_supporter_per_target(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, _targets = petition_with_targets(letters=False)
    confirmed(petition)
    assert deliveries() == []
    petition2, _targets2 = petition_with_targets(slug="tweede", n_targets=0)
    petition2.targets = _targets
    db.session.commit()
    from campaign.delivery.settings import update_settings

    update_settings(petition2, letters=True)
    db.session.commit()
    signature = confirmed(petition2)
    from campaign.delivery import queue_letters

    assert queue_letters(signature, utcnow()) == []  # the unique constraint says no
    db.session.commit()
    run_jobs()
    assert len(to_targets(mailbox)) == 2


def test_withdrawn_before_sending_is_not_sent(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, _targets = petition_with_targets(n_targets=1)
    signature = confirmed(petition)
    db.session.get(Signature, signature.id).status = "withdrawn"
    db.session.commit()
    run_jobs()
    assert to_targets(mailbox) == []
    assert [d.status for d in deliveries()] == [DeliveryStatus.FAILED]


def test_throttle_holds_per_target_budget(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, (first, second) = petition_with_targets(letters_per_hour=3)
    for n in range(5):
        confirmed(petition, name=f"Ondertekenaar {n}", email=f"o{n}@example.nl")
    started = utcnow()
    deliver_all(run_jobs)
    assert len(letters_to(to_targets(mailbox), first.email)) == 3
    assert len(letters_to(to_targets(mailbox), second.email)) == 3
    waiting = deliveries(status=DeliveryStatus.QUEUED)
    assert len(waiting) == 4
    for row in waiting:  # due when the first letter of the hour leaves the window, not before
        assert started + timedelta(minutes=59) < row.due_at < utcnow() + timedelta(hours=1, seconds=5)
        assert row.attempts == 0
    jobs.relay()
    run_jobs()
    assert len(to_targets(mailbox)) == 6  # not due yet: nothing more leaves


def test_daytime_window_postpones_letters(app, run_jobs, smtp):
    _, mailbox = smtp
    hour = utcnow().hour
    window = (0, hour) if hour >= 1 else (1, 23)  # a window that excludes the present hour
    petition, (target,) = petition_with_targets(
        n_targets=1, daytime_only=True, day_starts=window[0], day_ends=window[1]
    )
    target.timezone = "UTC"
    db.session.commit()
    confirmed(petition)
    run_jobs()
    assert to_targets(mailbox) == []
    [row] = deliveries()
    assert row.status == DeliveryStatus.QUEUED and row.due_at > utcnow()
    assert row.due_at.hour == window[0] and row.due_at.minute == 0


def test_next_daytime_in_the_targets_zone():
    from datetime import datetime

    from campaign.delivery.throttle import next_daytime

    # 06:00 UTC in winter is 07:00 in Amsterdam: wait for 09:00 there, 08:00 UTC.
    assert next_daytime(datetime(2026, 1, 5, 6, 0), "Europe/Amsterdam", 9, 17) == datetime(2026, 1, 5, 8, 0)
    assert next_daytime(datetime(2026, 1, 5, 10, 0), "Europe/Amsterdam", 9, 17) is None
    # 17:30 there: tomorrow morning.
    assert next_daytime(datetime(2026, 1, 5, 16, 30), "Europe/Amsterdam", 9, 17) == datetime(2026, 1, 6, 8, 0)
    assert next_daytime(datetime(2026, 1, 5, 16, 30), "Not/AZone", 9, 17) == datetime(2026, 1, 6, 8, 0)


@pytest.mark.parametrize("fault", ["421", "451", "drop"])
def test_temporary_failure_is_retried_and_sends_exactly_one(app, run_jobs, smtp, fault):
    handler, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1)
    handler.fail_next(fault)
    confirmed(petition)
    run_jobs()
    [row] = deliveries()
    assert row.status == DeliveryStatus.QUEUED and row.attempts == 1 and row.last_error
    deliver_all(run_jobs)
    [row] = deliveries()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2 and row.last_error is None
    assert len(letters_to(to_targets(mailbox), target.email)) == 1


def test_retries_stop_after_the_last_attempt(app, run_jobs, smtp):
    handler, mailbox = smtp
    app.config["DELIVERY_MAX_ATTEMPTS"] = 3
    petition, _targets = petition_with_targets(n_targets=1)
    handler.fail_next("451", "451", "451", "451")
    confirmed(petition)
    deliver_all(run_jobs)
    [row] = deliveries()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 3 and row.last_error.startswith("451")
    assert to_targets(mailbox) == []


def test_permanent_failure_is_recorded_not_retried_and_blocks_a_failing_address(app, run_jobs, smtp):
    handler, mailbox = smtp
    petition, (broken, fine) = petition_with_targets()
    handler.refuse(broken.email, "550")
    for n in range(4):
        confirmed(petition, name=f"Ondertekenaar {n}", email=f"o{n}@example.nl")
    deliver_all(run_jobs)
    failed = deliveries(target_id=broken.id)
    assert [d.status for d in failed] == [DeliveryStatus.FAILED] * 4
    assert [d.attempts for d in failed] == [1] * 4  # never retried
    assert failed[0].last_error.startswith("550 5.1.1")
    assert failed[3].last_error == BLOCKED  # after three 550s in a row the address is skipped
    assert db.session.get(TargetMailHealth, broken.id).blocked_email == broken.email
    assert len(letters_to(to_targets(mailbox), fine.email)) == 4

    # The campaigner fixes the address and retries: the letters go out, once each.
    broken.email = "fixed@example.org"
    db.session.commit()
    for row in failed:
        assert retry_delivery(db.session.get(type(row), row.id), utcnow())
    db.session.commit()
    deliver_all(run_jobs)
    assert len(letters_to(to_targets(mailbox), "fixed@example.org")) == 4
    assert db.session.get(TargetMailHealth, broken.id).failures_in_a_row == 0


def test_hanging_server_times_out_fast_and_resend_keeps_the_message_id(app, run_jobs, smtp):
    handler, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1)
    handler.fail_next("hang")
    confirmed(petition)
    started = time.monotonic()
    run_jobs()
    assert time.monotonic() - started < 10  # seconds, not the job timeout
    [row] = deliveries()
    assert row.status == DeliveryStatus.QUEUED and "timed out" in row.last_error.lower()
    deliver_all(run_jobs)
    copies = letters_to(to_targets(mailbox), target.email)
    assert len(copies) == 2  # the server kept the first but never said so
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"] == deliveries()[0].message_id


def test_duplicate_enqueues_send_one_email(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1)
    confirmed(petition)
    [row] = deliveries()
    for _ in range(4):
        get_queue().enqueue(SEND_DUE)
    run_jobs()
    assert jobs.send_due() == {}  # nothing left to do
    assert len(letters_to(to_targets(mailbox), target.email)) == 1


def test_redis_flushed_with_deliveries_queued_loses_nothing(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, targets = petition_with_targets()
    for n in range(3):
        confirmed(petition, name=f"Ondertekenaar {n}", email=f"o{n}@example.nl")
    redis_connection().flushdb()
    run_jobs()
    assert to_targets(mailbox) == []
    assert jobs.relay() == 6
    run_jobs()
    for target in targets:
        assert len(letters_to(to_targets(mailbox), target.email)) == 3
    assert {d.status for d in deliveries()} == {DeliveryStatus.SENT}


def test_relay_leaves_fresh_rows_to_their_job(app, smtp):
    app.config["DELIVERY_RELAY_GRACE"] = 60
    petition, _targets = petition_with_targets()
    confirmed(petition)
    assert jobs.relay() == 0


def _confirmed_yesterday(petition, **fields):
    signature = confirmed(petition, **fields)
    row = db.session.get(Signature, signature.id)
    row.confirmed_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return row


def test_digest_counts_and_attaches_only_the_chosen_fields(app, run_jobs, smtp, monkeypatch):
    _, mailbox = smtp
    petition, targets = petition_with_targets(letters=False, digest="daily", csv_fields="name,place,message")
    from campaign.delivery import queue as delivery_queue

    start, end = utcnow() - timedelta(days=2), utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(delivery_queue, "digest_period", lambda frequency, now: (start, end))
    _confirmed_yesterday(petition, name="=HYPERLINK(1)", message="Graag!")
    _confirmed_yesterday(petition, name="Bram Jansen", email="bram@example.nl")
    assert len(queue_digests(utcnow())) == 2
    db.session.commit()
    assert queue_digests(utcnow()) == []  # one digest per period per target
    db.session.commit()
    run_jobs()
    [nl, en] = sorted(to_targets(mailbox), key=lambda m: m["X-Envelope-To"])
    assert "2 nieuwe handtekeningen" in nl["Subject"]
    [attachment] = list(nl.iter_attachments())
    data = attachment.get_payload(decode=True).decode("utf-8-sig")
    lines = data.splitlines()
    assert lines[0] == "Naam,Woonplaats,Bericht"
    assert "'=HYPERLINK(1),Utrecht,Graag!" in lines  # a name never runs as a formula
    assert "bram@example.nl" not in data and "3511" not in data
    assert [d.kind for d in deliveries()] == [DeliveryKind.DIGEST] * 2


def test_no_digest_for_a_period_without_new_signatures(app, smtp):
    petition, _targets = petition_with_targets(letters=False, digest="weekly")
    assert queue_digests(utcnow()) == []


def test_milestone_is_told_once_per_threshold(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, targets = petition_with_targets(letters=False, milestones="2,5")
    confirmed(petition)
    fold()
    assert jobs.milestones() == 0
    confirmed(petition, email="bram@example.nl", name="Bram Jansen")
    fold()
    assert jobs.milestones() == 2
    assert jobs.milestones() == 0
    run_jobs()
    messages = to_targets(mailbox)
    assert len(messages) == 2 and {m["X-Envelope-To"] for m in messages} == {t.email for t in targets}
    assert "De petitie" in messages[0].get_body(("plain",)).get_content()
    assert all(d.threshold == 2 for d in deliveries())


def test_handover_on_closing_sends_the_full_list_once(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, targets = petition_with_targets(letters=False, handover=True)
    confirmed(petition)
    confirmed(petition, email="bram@example.nl", name="Bram Jansen")
    from campaign.petitions.lifecycle import close_petition

    assert close_petition(petition, None, utcnow())
    db.session.commit()
    assert queue_handover(petition, utcnow(), force=True) == []  # already owed: once per target
    db.session.commit()
    run_jobs()
    messages = to_targets(mailbox)
    assert len(messages) == 2
    [attachment] = list(messages[0].iter_attachments())
    assert attachment.get_filename() == "brieven-handtekeningen.csv"
    data = attachment.get_payload(decode=True).decode("utf-8-sig")
    assert "Anna de Vries" in data and "Bram Jansen" in data
    assert "2 handtekeningen" in messages[0]["Subject"] or "2 signatures" in messages[0]["Subject"]
