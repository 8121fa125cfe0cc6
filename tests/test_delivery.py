"""Delivery to officials: each mode delivers the right content to the right targets, through a real
SMTP server, with the outbox, the throttle and the failure paths."""

import pytest

from campaign.extensions import db
from campaign.models import DeliveryStatus
from tests.delivery_helpers import confirmed, deliveries, petition_with_targets
from tests.smtp_faults import faulty_smtp  # noqa: F401 - fixture


@pytest.fixture
def config_overrides(faulty_smtp):  # noqa: F811
    return {"MAIL_PORT": faulty_smtp[0], "MAIL_TIMEOUT": 2, "DELIVERY_RETRY_SECONDS": 1}


@pytest.fixture
def smtp(faulty_smtp):  # noqa: F811
    port, handler, mailbox = faulty_smtp
    handler.reset()
    mailbox.clear()
    yield handler, mailbox
    handler.reset()


def test_letter_per_supporter_reaches_each_target_in_its_language(app, run_jobs, smtp):
    handler, mailbox = smtp
    petition, (dutch, english) = petition_with_targets()
    confirmed(petition, name="Anna de Vries", message="Doe er iets aan, alstublieft.", reply_to_me=True)
    confirmed(petition, name="Bram Jansen", email="bram@example.nl")
    run_jobs()
    messages = [m for m in mailbox.wait_for(4) if "example.org" in m["X-Envelope-To"]]
    assert len(messages) == 4
    anna_nl = next(m for m in messages if m["X-Envelope-To"] == dutch.email and "Anna" in m["From"])
    assert anna_nl["From"].addresses[0].display_name == "Anna de Vries"
    assert anna_nl["From"].addresses[0].addr_spec == "petities@test.example"
    assert anna_nl["Reply-To"] == "anna@example.nl"
    assert anna_nl["Message-ID"].startswith("<delivery-") and anna_nl["Message-ID"].endswith("@petities.test.example>")
    text = anna_nl.get_body(("plain",)).get_content()
    assert "Doe er iets aan, alstublieft." in text and "Wij vragen **iets** belangrijks." in text
    assert "Geachte Ontvanger 1" in text
    bram = next(m for m in messages if m["X-Envelope-To"] == english.email and "Bram" in m["From"])
    assert bram["Reply-To"] is None  # he did not opt in
    assert {d.status for d in deliveries()} == {DeliveryStatus.SENT}
    assert len({d.message_id for d in deliveries()}) == 4
