"""Updates to supporters against a misbehaving SMTP server (tests/smtp_faults.py): a temporary failure
is retried, a permanent refusal is recorded at once, without the address in the stored answer."""

import pytest

from campaign.extensions import db
from campaign.models import SupporterUpdate, UpdateMail
from campaign.outreach import progress_of
from tests import factories
from tests.test_updates import sent_off, supporters, written


@pytest.fixture
def config_overrides(faulty_smtp):
    return {"MAIL_PORT": faulty_smtp[0], "UPDATE_MAILS_PER_MINUTE": 0, "UPDATE_RETRY_SECONDS": 0}


def test_temporary_failure_is_retried_and_permanent_refusal_recorded(app, run_jobs, smtp):
    handler, mailbox = smtp
    petition = factories.petition()
    supporters(petition, 3)
    handler.refuse("s2@example.nl")  # 550: permanent
    handler.fail_next("451")  # the first message: try again later
    update = written(petition)
    sent_off(update)
    run_jobs()
    run_jobs()  # the retry is due at once (UPDATE_RETRY_SECONDS = 0)
    delivered = sorted(m["X-Envelope-To"] or m["To"] for m in mailbox.messages)
    assert delivered == ["s0@example.nl", "s1@example.nl"]
    progress = progress_of(db.session.get(SupporterUpdate, update.id))
    assert (progress.sent, progress.failed, progress.queued) == (2, 1, 0)
    failed = db.session.execute(db.select(UpdateMail).filter_by(status="failed")).scalar_one()
    assert failed.last_error.startswith("550") and "s2@" not in failed.last_error
