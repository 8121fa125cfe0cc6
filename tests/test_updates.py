"""Updates to supporters (campaign.outreach): who receives them, the outbox (batched, retried, never
twice), the RFC 8058 one-click unsubscribe that later updates honour, the test send, the studio's
confirmation and progress. Real SMTP servers (the sink, and tests/smtp_faults.py for refusals)."""

import re
from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.models import Signature, SignatureStatus, SupporterUpdate, UpdateMail, UpdateStatus
from campaign.models.base import utcnow
from campaign.outreach import progress_of, read_unsubscribe_token, save_update, send_update
from tests import factories
from tests.studio_support import logged_in, post

UNSUBSCRIBE = re.compile(r"<(https?://[^>]+/updates/afmelden/[^>]+)>")


def supporters(petition, n, newsletter=True, status=SignatureStatus.CONFIRMED, start=0):
    now = utcnow()
    rows = [
        {
            "petition_id": petition.id,
            "name": f"Supporter {i}",
            "email": f"s{i}@example.nl",
            "email_normalised": f"s{i}@example.nl",
            "consent_version": "t",
            "token": f"tok-{petition.id}-{i}",
            "status": status,
            "newsletter": newsletter,
            "confirmed_at": now,
            "created_at": now,
            "consent_at": now,
        }
        for i in range(start, start + n)
    ]
    db.session.execute(Signature.__table__.insert(), rows)
    db.session.commit()


def written(petition, subject="Gewonnen!", body="Het **verbod** komt er.\n\n## Wat nu?\n\n- dank u"):
    update = save_update(petition, subject, body, None)
    db.session.commit()
    return update


def sent_off(update):
    send_update(update, None, utcnow())
    db.session.commit()


@pytest.fixture
def config_overrides():
    return {"UPDATE_MAILS_PER_MINUTE": 0, "UPDATE_RETRY_SECONDS": 0}


def test_only_confirmed_supporters_who_opted_in_receive_it_once(app, run_jobs, mailbox):
    petition = factories.petition()
    supporters(petition, 5)
    supporters(petition, 2, newsletter=False, start=10)  # did not ask to hear more
    supporters(petition, 2, status=SignatureStatus.PENDING, start=20)  # never confirmed
    update = written(petition)
    sent_off(update)
    run_jobs()
    run_jobs()  # a second run finds nothing left to send
    messages = mailbox.wait_for(5)
    assert sorted(m["To"] for m in messages) == [f"s{i}@example.nl" for i in range(5)]
    progress = progress_of(db.session.get(SupporterUpdate, update.id))
    assert (progress.recipients, progress.sent, progress.queued) == (5, 5, 0)
    assert db.session.get(SupporterUpdate, update.id).status == UpdateStatus.SENT


def test_each_mail_has_rfc_8058_headers_markdown_as_text_and_a_greeting(app, run_jobs, mailbox):
    petition = factories.petition()
    supporters(petition, 1)
    sent_off(written(petition))
    run_jobs()
    [message] = mailbox.wait_for(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert UNSUBSCRIBE.search(message["List-Unsubscribe"])
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Beste Supporter 0," in text
    assert "Het verbod komt er." in text and "**" not in text and "##" not in text
    assert "Wat nu?\n=======" in text and "- dank u" in text
    html = message.get_body(("html",)).get_content()
    assert "<strong>verbod</strong>" in html and "/updates/afmelden/" in html


def test_one_click_unsubscribe_post_is_honoured_by_every_later_update(app, client, run_jobs, mailbox):
    petition = factories.petition()
    supporters(petition, 3)
    first = written(petition, "Eerste")
    sent_off(first)
    run_jobs()
    mail = next(m for m in mailbox.wait_for(3) if m["To"] == "s1@example.nl")
    url = UNSUBSCRIBE.search(mail["List-Unsubscribe"]).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    # What a mail client does for RFC 8058: a POST with this body, no cookie, no CSRF token.
    response = client.post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "U bent afgemeld" in response.get_data(as_text=True)
    assert progress_of(db.session.get(SupporterUpdate, first.id)).unsubscribed == 1
    mailbox.clear()
    sent_off(written(petition, "Tweede"))
    run_jobs()
    assert sorted(m["To"] for m in mailbox.wait_for(2)) == ["s0@example.nl", "s2@example.nl"]


def test_unsubscribe_page_get_changes_nothing_and_a_forged_token_is_404(app, client):
    petition = factories.petition()
    supporters(petition, 1)
    update = written(petition)
    from campaign.outreach import unsubscribe_url

    signature_id = db.session.execute(db.select(Signature.id)).scalar()
    path = "/" + unsubscribe_url(signature_id, update.id).split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
    assert db.session.get(Signature, signature_id).newsletter is True
    assert client.get(path[:-3] + "xyz").status_code == 404
    assert read_unsubscribe_token("not-a-token") is None


def test_unsubscribing_between_sending_off_and_the_turn_skips_the_mail(app, client, run_jobs, mailbox):
    petition = factories.petition()
    supporters(petition, 2)
    update = written(petition)
    sent_off(update)
    from campaign.outreach import unsubscribe

    first = db.session.execute(db.select(Signature).order_by(Signature.id)).scalars().first()
    unsubscribe(first.id, update.id, utcnow())
    db.session.commit()
    run_jobs()
    assert [m["To"] for m in mailbox.wait_for(1)] == ["s1@example.nl"]
    progress = progress_of(db.session.get(SupporterUpdate, update.id))
    assert (progress.sent, progress.skipped) == (1, 1)


def test_a_row_held_by_a_live_worker_is_not_sent_again(app, run_jobs, mailbox):
    from campaign.outreach.send import claim_batch

    petition = factories.petition()
    supporters(petition, 2)
    sent_off(written(petition))
    _lease, claimed = claim_batch(utcnow(), limit=1)  # another worker holds one row
    db.session.commit()
    run_jobs()
    assert len(mailbox.wait_for(1)) == 1
    assert [m["To"] for m in mailbox.messages] != [claimed[0].email]
    # Its lease runs out (the worker died): then, and only then, another worker takes it.
    later = utcnow() + timedelta(minutes=5)
    _lease, again = claim_batch(later)
    assert [r.mail_id for r in again] == [claimed[0].mail_id]


def test_throttle_spreads_the_due_times(app):
    app.config["UPDATE_MAILS_PER_MINUTE"] = 60
    petition = factories.petition()
    supporters(petition, 3)
    sent_off(written(petition))
    due = db.session.execute(db.select(UpdateMail.due_at).order_by(UpdateMail.id)).scalars().all()
    assert [round((d - due[0]).total_seconds()) for d in due] == [0, 1, 2]


def test_an_update_is_sent_off_once_and_then_frozen(app):
    petition = factories.petition()
    supporters(petition, 1)
    update = written(petition)
    sent_off(update)
    from campaign.outreach import UpdateError

    with pytest.raises(UpdateError):
        send_update(update, None, utcnow())
    with pytest.raises(UpdateError):
        save_update(petition, "x", "y", None, update)
    assert db.session.execute(db.select(db.func.count()).select_from(UpdateMail)).scalar() == 1


def test_studio_flow_preview_test_confirm_send_and_progress(app, run_jobs, mailbox):
    petition = factories.petition()
    supporters(petition, 2)
    campaigner = logged_in(app, "campaigner", "campagne@example.org")
    bad = post(campaigner, f"/studio/petitions/{petition.id}/updates/new", {"subject": "", "body": ""})
    assert bad.status_code == 400 and "Vul een onderwerp in." in bad.get_data(as_text=True)
    saved = post(
        campaigner,
        f"/studio/petitions/{petition.id}/updates/new",
        {"subject": "Overhandigd", "body": "We hebben **2** handtekeningen overhandigd."},
    )
    assert saved.status_code == 303
    show = saved.headers["Location"]
    page = campaigner.get(show).get_data(as_text=True)
    assert "<strong>2</strong>" in page and "Versturen aan 2 ondertekenaars" in page

    update_id = int(show.rstrip("/").split("/")[-1])
    assert post(campaigner, f"/studio/updates/{update_id}/test", token_page=show).status_code == 303
    run_jobs()
    [test] = mailbox.wait_for(1)
    assert test["To"] == "campagne@example.org" and test["Subject"].startswith("[TEST]")
    assert db.session.execute(db.select(db.func.count()).select_from(UpdateMail)).scalar() == 0

    confirm = campaigner.get(f"/studio/updates/{update_id}/send").get_data(as_text=True)
    assert "2 ondertekenaars krijgen deze update" in confirm and "niet worden teruggedraaid" in confirm
    supporters(petition, 1, start=50)  # someone new opted in meanwhile: the number changed
    stale = post(campaigner, f"/studio/updates/{update_id}/send", {"expected": "2"}, token_page=show)
    assert stale.status_code == 409 and db.session.get(SupporterUpdate, update_id).status == "draft"
    sent = post(campaigner, f"/studio/updates/{update_id}/send", {"expected": "3"}, token_page=show)
    assert sent.status_code == 303
    run_jobs()
    mailbox.wait_for(4)
    page = campaigner.get(show).get_data(as_text=True)
    assert re.search(r'id="progress-sent">3<', page)
    viewer = logged_in(app, "viewer")
    assert viewer.get(show).status_code == 200
    assert post(viewer, f"/studio/updates/{update_id}/send", {"expected": "3"}).status_code == 403


def test_more_than_a_batch_due_asks_for_one_helper_run(app, mailbox, monkeypatch):
    from campaign.jobs import SEND_UPDATES, UPDATES_NUDGE
    from campaign.outreach import send
    from campaign.queueing import get_queue
    from workers.updates import send_due

    monkeypatch.setattr(send, "BATCH", 4)
    petition = factories.petition()
    supporters(petition, 9)
    sent_off(written(petition))
    get_queue().empty()  # the nudge of sending off; the run below is called directly
    assert send_due()["sent"] == 9
    helpers = [
        job for job in get_queue().jobs if job.func_name == SEND_UPDATES and job.id != UPDATES_NUDGE.job_id
    ]
    assert len(helpers) == 1  # one, at the first full batch
    assert len(mailbox.wait_for(9)) == 9
