"""Issue 15, finding 1: mail to supporters is an outbox. One refused, unwritable or unsendable
address fails alone and shows in the studio; temporary trouble is retried with backoff and capped;
nothing personal reaches logs or RQ's job records. Against the fault-injecting SMTP server."""

import logging
from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.models import Signature
from campaign.models.base import utcnow
from campaign.queueing import get_queue, redis_connection
from tests import factories
from tests.helpers import sign
from tests.studio_support import logged_in
from workers.supporter_mail import send_owed

BAD = "kapot@example.nl"


@pytest.fixture
def config_overrides(faulty_smtp):
    return {"MAIL_PORT": faulty_smtp[0], "MAIL_TIMEOUT": 1, "SUPPORTER_MAIL_MAX_ATTEMPTS": 3}


def rows() -> dict[str, Signature]:
    db.session.expire_all()
    return {row.email: row for row in db.session.scalars(db.select(Signature))}


def make_due(email: str) -> None:
    """The backoff has passed (rather than waiting 30 seconds)."""
    db.session.execute(
        db.update(Signature)
        .where(Signature.email == email)
        .values(mail_due_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def rq_records() -> str:
    """Everything RQ keeps about jobs (arguments, results, failures), as one text."""
    connection = redis_connection()
    texts = []
    for key in connection.scan_iter("rq:*"):
        kind = connection.type(key)
        if kind == b"hash":
            texts += [repr(value) for value in connection.hgetall(key).values()]
        elif kind == b"string":
            texts.append(repr(connection.get(key)))
    return "\n".join(texts)


def test_a_refused_address_fails_alone_and_shows_in_the_studio(app, client, smtp, run_jobs, caplog):
    handler, mailbox = smtp
    handler.refuse(BAD)  # 550 at RCPT
    petition = factories.petition()
    for email in ("een@example.nl", BAD, "twee@example.nl", "drie@example.nl"):
        assert sign(client, petition.slug, email=email).status_code == 303
    caplog.set_level(logging.DEBUG)
    run_jobs()  # fails the test if a job failed
    assert sorted(m["To"] for m in mailbox.wait_for(3)) == [
        "drie@example.nl",
        "een@example.nl",
        "twee@example.nl",
    ]

    stored = rows()
    refused = stored.pop(BAD)
    assert refused.mail_due is None and refused.mail_failed_at is not None  # not retried
    assert refused.mail_error.startswith("550") and refused.mail_attempts == 1
    assert all(
        row.mail_due is None and row.mails_sent == 1 and row.mail_error is None for row in stored.values()
    )
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]  # not the server's
    assert ours and not any(BAD in text for text in ours) and BAD not in rq_records()

    page = (
        logged_in(app, "campaigner").get(f"/studio/petitions/{petition.id}/signatures").get_data(as_text=True)
    )
    assert "1 mail aan een ondertekenaar kon niet worden bezorgd" in page
    assert "Mail niet bezorgd: 550 5.1.1 Mailbox unavailable" in page


def test_a_temporary_failure_is_retried_with_backoff_and_the_rest_go_on(app, client, smtp, run_jobs):
    handler, mailbox = smtp
    handler.fail_next("451")
    petition = factories.petition()
    sign(client, petition.slug, email="eerst@example.nl")
    sign(client, petition.slug, email="daarna@example.nl")
    before = utcnow()
    run_jobs()
    assert [m["To"] for m in mailbox.wait_for(1)] == ["daarna@example.nl"]
    waiting = rows()["eerst@example.nl"]
    assert waiting.mail_due == "confirm" and waiting.mail_attempts == 1
    assert waiting.mail_error.startswith("451") and waiting.mail_failed_at is None
    assert waiting.mail_due_at >= before + timedelta(seconds=29)  # the first backoff
    assert get_queue().scheduled_job_registry.count == 1  # the run that retries it
    page = (
        logged_in(app, "campaigner").get(f"/studio/petitions/{petition.id}/signatures").get_data(as_text=True)
    )
    assert "1 mail wordt later opnieuw geprobeerd" in page

    make_due("eerst@example.nl")
    assert send_owed() == {"sent": 1}
    assert sorted(m["To"] for m in mailbox.wait_for(2)) == ["daarna@example.nl", "eerst@example.nl"]
    done = rows()["eerst@example.nl"]
    assert done.mail_due is None and done.mail_error is None and done.mails_sent == 1


@pytest.mark.parametrize("fault", ["drop", "hang", "421"])
def test_server_trouble_stops_the_run_without_spending_the_others_attempts(app, client, smtp, fault):
    handler, mailbox = smtp
    handler.fail_next(fault)
    petition = factories.petition()
    for email in ("a@example.nl", "b@example.nl", "c@example.nl"):
        sign(client, petition.slug, email=email)
    assert send_owed() == {"retry": 1}
    stored = rows()
    assert [stored[e].mail_attempts for e in ("a@example.nl", "b@example.nl", "c@example.nl")] == [1, 0, 0]
    assert all(row.mail_due == "confirm" for row in stored.values())
    make_due("a@example.nl")
    assert send_owed() == {"sent": 3}
    assert len({m["To"] for m in mailbox.messages}) == 3


def test_temporary_failures_stop_at_the_attempt_cap(app, client, smtp):
    handler, mailbox = smtp
    handler.fail_next("451", "451", "451")
    petition = factories.petition()
    sign(client, petition.slug, email="steeds@example.nl")
    for _ in range(3):  # SUPPORTER_MAIL_MAX_ATTEMPTS
        make_due("steeds@example.nl")
        send_owed()
    row = rows()["steeds@example.nl"]
    assert row.mail_due is None and row.mail_failed_at is not None and row.mail_attempts == 3
    assert row.mail_error.startswith("451") and mailbox.messages == []


def test_a_send_cut_off_too_often_is_given_up(app, client, smtp):
    """A worker killed mid-send leaves its lease to run out; after the cap the row is not tried again."""
    _, mailbox = smtp
    petition = factories.petition()
    sign(client, petition.slug, email="vast@example.nl")
    db.session.execute(db.update(Signature).values(mail_attempts=3))  # three claims that never came back
    db.session.commit()
    assert send_owed() == {"failed": 1}
    row = rows()["vast@example.nl"]
    assert row.mail_due is None and row.mail_error.startswith("gave up") and mailbox.messages == []
    page = (
        logged_in(app, "campaigner").get(f"/studio/petitions/{petition.id}/signatures").get_data(as_text=True)
    )
    assert "opgegeven: het versturen werd te vaak afgebroken" in page


def test_a_header_error_fails_that_mail_only(app, client, smtp, run_jobs):
    """A title with a line break (stored before the studio refused them) makes a bad Subject header."""
    _, mailbox = smtp
    broken = factories.petition(slug="kapot", title="Kapot\r\nBcc: iedereen@example.org")
    fine = factories.petition(slug="heel")
    sign(client, broken.slug, email="een@example.nl")
    sign(client, fine.slug, email="twee@example.nl")
    run_jobs()
    assert [m["To"] for m in mailbox.wait_for(1)] == ["twee@example.nl"]
    failed = rows()["een@example.nl"]
    assert failed.mail_due is None and failed.mail_error == "message could not be sent: BadHeaderError"


def test_a_non_ascii_local_part_goes_out_with_smtputf8(app, client, smtp, run_jobs):
    _, mailbox = smtp
    petition = factories.petition()
    assert sign(client, petition.slug, email="jörg@example.nl").status_code == 303
    run_jobs()
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "jörg@example.nl"


def test_without_smtputf8_at_the_server_such_an_address_fails_alone(app, client, no_smtputf8_port, run_jobs):
    app.extensions["mail"].port = no_smtputf8_port
    petition = factories.petition()
    sign(client, petition.slug, email="jörg@example.nl")
    sign(client, petition.slug, email="joerg@example.nl")
    run_jobs()
    stored = rows()
    assert stored["joerg@example.nl"].mails_sent == 1
    failed = stored["jörg@example.nl"]
    assert failed.mail_due is None and "SMTPUTF8" in failed.mail_error


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Wij kunnen geen e-mail sturen naar een adres met letters als ö of é vóór de @"),
        ("en", "We cannot send email to an address with letters like ö or é before the @"),
    ],
)
def test_without_smtputf8_the_form_refuses_such_an_address(app, client, language, text):
    app.config["MAIL_SMTPUTF8"] = False
    petition = factories.petition()
    client.get(f"/taal/{language}")
    response = sign(client, petition.slug, email="jörg@example.nl")
    assert response.status_code == 400
    assert text in response.get_data(as_text=True)
    assert "jörg@example.nl" in response.get_data(as_text=True)  # the input is kept
    assert rows() == {}
    assert sign(client, petition.slug, email="jorg@exämple.nl").status_code == 303  # the domain may be IDN
