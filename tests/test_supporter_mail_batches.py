"""The supporter-mail outbox claims small batches (campaign.signing.outbox): two workers at once send
each mail once (on PostgreSQL they skip each other's locked rows); server trouble or a slow server in
the middle of a batch hands the untried rest back, attempts and mailbox counts not spent."""

import threading
from collections import Counter
from datetime import timedelta

import pytest

from campaign.delivery.prepare import RunCache
from campaign.extensions import db
from campaign.jobs import SUPPORTER_MAIL, SUPPORTER_MAIL_NUDGE
from campaign.mail import public_url
from campaign.models import Signature, SignatureStatus
from campaign.models.base import utcnow
from campaign.queueing import get_queue, redis_connection
from campaign.signing import outbox
from tests import factories
from workers.supporter_mail import send_owed


@pytest.fixture
def config_overrides(faulty_smtp):
    return {"MAIL_PORT": faulty_smtp[0], "MAIL_TIMEOUT": 1, "SUPPORTER_MAILS_PER_MAILBOX_HOUR": 5}


def owe_mails(n: int) -> list[str]:
    petition = factories.petition()
    due = utcnow() - timedelta(seconds=1)
    emails = [f"steun{i}@example.nl" for i in range(n)]
    db.session.execute(
        Signature.__table__.insert(),
        [
            {
                "petition_id": petition.id,
                "name": f"Steun {i}",
                "email": email,
                "email_normalised": email,
                "postcode": "3511 AB",
                "country": "NL",
                "consent_version": "test",
                "status": SignatureStatus.PENDING,
                "token": f"batch-token-{i}",
                "locale": "nl",
                "mail_due": "confirm",
                "mail_due_at": due + timedelta(microseconds=i),
                "message": "",
                "reply_to_me": False,
            }
            for i, email in enumerate(emails)
        ],
    )
    db.session.commit()
    return emails


def stored() -> dict[str, Signature]:
    db.session.expire_all()
    return {row.email: row for row in db.session.scalars(db.select(Signature))}


def test_two_workers_at_once_send_each_mail_once(app, smtp, monkeypatch):
    _, mailbox = smtp
    monkeypatch.setattr(outbox, "BATCH", 7)  # many claims, so the two workers' claims interleave
    emails = owe_mails(150)
    start, results, errors = threading.Barrier(2), [], []

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=10)
                while True:  # a run ends after RUN_SECONDS: as the continuation job would, go on
                    done = send_owed()
                    results.append(done)
                    if not done:
                        break
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and not any(thread.is_alive() for thread in threads)
    received = Counter(message["To"] for message in mailbox.wait_for(len(emails)))
    assert received == Counter(emails)  # every supporter, once
    assert sum(result.get("sent", 0) for result in results) == len(emails)
    rows = stored()
    assert all(row.mails_sent == 1 and row.mail_due is None for row in rows.values())


def test_server_trouble_mid_batch_records_the_sent_and_hands_back_the_rest(app, smtp):
    handler, mailbox = smtp
    emails = owe_mails(5)
    handler.fail_next(None, None, "drop")  # the third mail's connection drops after DATA
    assert send_owed() == {"sent": 2, "retry": 1}
    assert sorted(m["To"] for m in mailbox.wait_for(2)) == emails[:2]
    rows = stored()
    assert [rows[e].mails_sent for e in emails] == [1, 1, 0, 0, 0]
    assert [rows[e].mail_attempts for e in emails] == [0, 0, 1, 0, 0]  # the untried kept their tries
    assert rows[emails[3]].mail_due == "confirm" and rows[emails[3]].mail_due_at <= utcnow()
    assert rows[emails[2]].mail_due_at > utcnow() + timedelta(seconds=20)  # the dropped one backs off
    # The untried were counted against their mailboxes and given back: one count each for the two
    # sent and the dropped one, none for the rest.
    counts = sorted(int(v) for v in map(redis_connection().get, redis_connection().keys("mailbox-mails:*")))
    assert counts == [0, 0, 1, 1, 1]
    assert send_owed() == {"sent": 2}  # the two handed back go at once; the dropped one waits


def test_a_slow_server_never_outlives_the_batchs_lease(app, smtp, monkeypatch):
    """Sends that take long (each under MAIL_TIMEOUT) would let the lease run out under a batch and
    another worker claim its rows: past half the lease the rest is handed back instead."""
    _, mailbox = smtp
    emails = owe_mails(5)

    class SlowClock:  # each look at the clock, a minute later: the lease is two minutes
        now = 0.0

        def monotonic(self):
            self.now += 60.0
            return self.now

    monkeypatch.setattr(outbox, "time", SlowClock())
    assert send_owed() == {"sent": 1}  # then the clock says half the lease is gone
    assert [m["To"] for m in mailbox.wait_for(1)] == emails[:1]
    rows = stored()
    assert [rows[e].mail_attempts for e in emails] == [0, 0, 0, 0, 0]
    assert all(rows[e].mail_due == "confirm" for e in emails[1:])


def helper_runs() -> int:
    jobs = get_queue().jobs
    return sum(job.func_name == SUPPORTER_MAIL and job.id != SUPPORTER_MAIL_NUDGE.job_id for job in jobs)


def test_a_backlog_asks_for_one_helper_run_beside_it(app, smtp, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH", 5)
    owe_mails(12)
    assert send_owed() == {"sent": 12}
    assert helper_runs() == 1  # asked once, at the first full batch


def test_what_one_batch_holds_needs_no_helper(app, smtp):
    owe_mails(3)
    assert send_owed() == {"sent": 3}
    assert helper_runs() == 0


def test_a_run_puts_each_token_in_a_link_built_once_as_werkzeug_builds_it(app):
    cache = RunCache()
    for token in ["abc", "A-b_c", "eyJzIjoxfQ.Zx9-aa.q_1-Zz", "x" * 60]:
        for endpoint in ("public.confirm", "public.supporter"):
            for lang in ("nl", "ar", None):
                assert cache.token_link(endpoint, token, lang) == public_url(endpoint, token=token, lang=lang)
    assert len(cache.token_links) == 6  # per endpoint and language, not per token
