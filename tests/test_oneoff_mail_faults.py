"""Issue 15, finding 1 for invitations and test sends: a refused address is recorded and shown in the
studio, a temporary failure is tried again by RQ, and RQ's records never hold the address."""

import pytest

from campaign.extensions import db
from campaign.models import Account, AuditEvent
from campaign.queueing import get_queue
from tests.delivery_helpers import petition_with_targets
from tests.studio_support import logged_in, post
from tests.test_supporter_mail_faults import rq_records

INVITED = "nieuw@example.org"


@pytest.fixture
def config_overrides(faulty_smtp):
    return {"MAIL_PORT": faulty_smtp[0]}


def invite(app):
    admin = logged_in(app, "admin")
    response = post(
        admin,
        "/studio/accounts/new",
        {"email": INVITED, "name": "Nieuw", "role": "campaigner", "password": ""},
    )
    assert response.status_code == 303
    return admin


def invited() -> Account:
    db.session.expire_all()
    return db.session.execute(db.select(Account).where(Account.email == INVITED)).scalar_one()


def test_a_refused_invitation_is_recorded_and_shown(app, smtp, run_jobs):
    handler, mailbox = smtp
    handler.refuse(INVITED)
    admin = invite(app)
    run_jobs()  # fails the test if the job failed
    assert invited().invite_error.startswith("550") and mailbox.messages == []
    assert db.session.scalars(db.select(AuditEvent.action)).all().count("account.invite_failed") == 1
    page = admin.get("/studio/accounts").get_data(as_text=True)
    assert "Uitnodiging niet bezorgd: 550 5.1.1 Mailbox unavailable" in page
    assert INVITED not in rq_records()


def test_a_temporary_failure_of_an_invitation_is_tried_again(app, smtp, run_jobs):
    handler, mailbox = smtp
    handler.fail_next("451")
    invite(app)
    run_jobs()
    queue = get_queue()
    [job_id] = queue.scheduled_job_registry.get_job_ids()  # RQ's retry, 30 s later
    job = queue.fetch_job(job_id)
    assert invited().invite_error is None and INVITED not in rq_records()
    queue.scheduled_job_registry.remove(job)
    queue.enqueue_job(job)  # as the scheduler does when the 30 s are up
    run_jobs()
    assert [m["To"] for m in mailbox.wait_for(1)] == [INVITED]
    assert invited().invite_error is None


def test_a_failed_test_send_shows_on_the_delivery_page(app, smtp, run_jobs):
    handler, mailbox = smtp
    petition, _ = petition_with_targets(n_targets=1)
    campaigner = logged_in(app, "campaigner", "campagne@example.org")
    handler.refuse("campagne@example.org")
    page_url = f"/studio/petitions/{petition.id}/deliveries"
    assert post(campaigner, f"{page_url}/test", {"kind": "letter"}).status_code == 303
    run_jobs()
    page = campaigner.get(page_url).get_data(as_text=True)
    assert "De laatste testmail kon niet worden bezorgd: 550 5.1.1 Mailbox unavailable" in page
    assert "campagne@example.org" not in rq_records()

    handler.reset()  # fixed: the next test send goes out and the notice goes away
    assert post(campaigner, f"{page_url}/test", {"kind": "letter"}).status_code == 303
    run_jobs()
    assert len(mailbox.wait_for(1)) == 1
    assert "De laatste testmail kon niet worden bezorgd" not in campaigner.get(page_url).get_data(
        as_text=True
    )
