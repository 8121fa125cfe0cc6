"""Issue 15, findings 6 and 8, against the fault-injecting SMTP server.

6: a letter that fails with something other than an SMTP reply (a header error, an address the
relay cannot take) is recorded as failed with its reason, never left "sending"; claims that never
came back are capped. 8: one mailbox (tags, and dots where the provider ignores them) gets a few
mails an hour, however many addresses point at it; names lose links and addresses where they are
shown; letters come from "Name via <organisation>"."""

from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.models import Delivery, DeliveryStatus, Signature
from campaign.models.base import utcnow
from campaign.signing.emails import mailbox_of
from campaign.signing.outbox import MAILBOX_CAP
from tests import factories
from tests.delivery_helpers import confirmed, deliver_all, deliveries, petition_with_targets, to_targets
from tests.helpers import sign
from tests.studio_support import logged_in
from workers import deliveries as letter_jobs

LURE = "Ga eerst naar https://evil.example/verify of mail help@evil.example en log in"


@pytest.fixture
def config_overrides(faulty_smtp):
    return {
        "MAIL_PORT": faulty_smtp[0],
        "DELIVERY_RETRY_SECONDS": 0,
        "DELIVERY_RELAY_GRACE": 0,
        "DELIVERY_MAX_ATTEMPTS": 3,
        "SUPPORTER_MAILS_PER_MAILBOX_HOUR": 3,
    }


# Finding 6 ----------------------------------------------------------------------------------------


def test_a_letter_with_a_header_error_fails_with_its_reason(app, run_jobs, smtp):
    _, mailbox = smtp
    broken, _ = petition_with_targets(n_targets=1, slug="kapot")
    broken.title = "Kapot\r\nBcc: iedereen@example.org"  # stored before the studio refused this
    db.session.commit()
    fine, _ = petition_with_targets(n_targets=0, slug="heel")
    fine.targets = broken.targets
    db.session.commit()
    confirmed(broken, email="een@example.nl")
    confirmed(fine, email="twee@example.nl")
    deliver_all(run_jobs)
    bad, good = deliveries(petition_id=broken.id), deliveries(petition_id=fine.id)
    assert [(d.status, d.attempts, d.last_error) for d in bad] == [
        (DeliveryStatus.FAILED, 1, "message could not be sent: BadHeaderError")
    ]
    assert [d.status for d in good] == [DeliveryStatus.SENT] and len(to_targets(mailbox)) == 1


def test_a_target_address_the_relay_cannot_take_fails_permanently(app, run_jobs, no_smtputf8_port):
    app.extensions["mail"].port = no_smtputf8_port
    petition, (target,) = petition_with_targets(n_targets=1)
    target.email = "mïnister@example.org"  # valid (RFC 6531), but this relay has no SMTPUTF8
    db.session.commit()
    confirmed(petition)
    deliver_all(run_jobs)
    [row] = deliveries()
    assert row.status == DeliveryStatus.FAILED and "SMTPUTF8" in row.last_error and row.attempts == 1


def test_a_letter_cut_off_too_often_is_given_up(app, smtp):
    """A worker that dies mid-send each time (killed, or crashed by the message) leaves a lease to
    run out; after the allowed attempts the row is failed, not claimed for ever."""
    _, mailbox = smtp
    petition, _ = petition_with_targets(n_targets=1)
    confirmed(petition)
    db.session.execute(
        db.update(Delivery).values(
            status=DeliveryStatus.SENDING, attempts=3, lease_until=utcnow() - timedelta(seconds=1)
        )
    )
    db.session.commit()
    letter_jobs.send_due()
    [row] = deliveries()
    assert row.status == DeliveryStatus.FAILED and row.last_error.startswith("gave up")
    assert to_targets(mailbox) == []
    page = (
        logged_in(app, "campaigner").get(f"/studio/petitions/{petition.id}/deliveries").get_data(as_text=True)
    )
    assert "Opgegeven: het versturen werd te vaak afgebroken." in page


# Finding 8 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "mailbox"),
    [
        ("Victim+1@Example.nl", "victim@example.nl"),
        ("v.i.c.t.i.m+x@gmail.com", "victim@gmail.com"),
        ("V.ictim@googlemail.com", "victim@gmail.com"),
        ("v.ictim@example.nl", "v.ictim@example.nl"),  # other providers: a dot is a different mailbox
        ("+only@example.nl", "+only@example.nl"),
    ],
)
def test_mailbox_of(address, mailbox):
    assert mailbox_of(address.lower()) == mailbox


def test_one_mailbox_gets_a_few_mails_an_hour_however_it_is_spelled(app, client, smtp, run_jobs):
    _, mailbox = smtp
    petition = factories.petition()
    flood = ["victim@gmail.com", "victim+1@gmail.com", "v.ictim@gmail.com", "vic.tim+2@googlemail.com"]
    for address in [*flood, "someone@example.nl"]:
        assert sign(client, petition.slug, email=address).status_code == 303
    run_jobs()
    received = sorted(m["X-Envelope-To"] for m in mailbox.wait_for(4))
    assert len(received) == 4 and "someone@example.nl" in received  # 3 for the victim, 1 for someone
    db.session.expire_all()
    [skipped] = db.session.scalars(db.select(Signature).where(Signature.mail_error.is_not(None))).all()
    assert skipped.email in flood and skipped.mail_error == MAILBOX_CAP and skipped.mail_due is None
    page = (
        logged_in(app, "campaigner").get(f"/studio/petitions/{petition.id}/signatures").get_data(as_text=True)
    )
    assert "dit adres kreeg dit uur al het maximum aantal mails" in page


def test_the_greeting_shows_the_name_without_links_or_addresses(app, client, smtp, run_jobs):
    _, mailbox = smtp
    petition = factories.petition()
    sign(client, petition.slug, name=LURE, email="een@example.nl")
    sign(client, petition.slug, name="https://evil.example/verify", email="twee@example.nl")
    run_jobs()
    messages = {m["X-Envelope-To"]: m for m in mailbox.wait_for(2)}
    lured = messages["een@example.nl"]
    for part in ("plain", "html"):
        # (the HTML part isolates the name in <bdi>, so it cannot reorder right-to-left text)
        text = lured.get_body((part,)).get_content().replace("<bdi>", "").replace("</bdi>", "")
        assert "Beste Ga eerst naar of mail en log in," in text
        assert "evil.example" not in text
    assert "Beste ondertekenaar," in messages["twee@example.nl"].get_body(("plain",)).get_content()


def test_a_letter_comes_from_name_via_the_organisation_without_links(app, run_jobs, smtp):
    _, mailbox = smtp
    petition, (target,) = petition_with_targets(n_targets=1)
    confirmed(petition, name=f"Minister X <minister@gov.example> {LURE}", email="een@example.nl")
    deliver_all(run_jobs)
    [letter] = to_targets(mailbox)
    sender = letter["From"].addresses[0]
    assert sender.display_name == "Minister X Ga eerst naar of mail en log in via Petities"
    assert sender.addr_spec == "petities@test.example"
    body = letter.get_body(("plain",)).get_content()
    assert "evil.example" not in body and "minister@gov.example" not in body
    assert "Minister X Ga eerst naar of mail en log in, Utrecht" in body
