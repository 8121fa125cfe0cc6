"""Writing an update and sending it off: the outbox rows are written in the caller's transaction
(one per recipient, due times spread by the throttle), the sender is nudged after the commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.jobs import SEND_UPDATE_TEST, UPDATES_NUDGE
from campaign.models import (
    Petition,
    Signature,
    SupporterUpdate,
    UpdateMail,
    UpdateMailStatus,
    UpdateStatus,
)
from campaign.queueing import enqueue_after_commit, nudge_after_commit

INSERT_CHUNK = 5000


class UpdateError(FieldError):
    """A rule said no; `field` names the form field it is about."""


def _recipients(petition_id: int):
    """Confirmed, counted supporters who agreed to hear more and whose data is still there."""
    return db.select(Signature.id).where(
        Signature.petition_id == petition_id,
        Signature.counts,
        Signature.newsletter.is_(True),
        Signature.anonymised_at.is_(None),
    )


def recipient_count(petition_id: int) -> int:
    return db.session.execute(
        db.select(func.count()).select_from(_recipients(petition_id).subquery())
    ).scalar()


def save_update(petition: Petition, subject: str, body: str, actor, update=None) -> SupporterUpdate:
    """Create or change a draft update. Flushes; the caller commits."""
    if update is not None and update.status != UpdateStatus.DRAFT:
        raise UpdateError(_("Deze update is al verstuurd en kan niet meer worden gewijzigd."))
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise UpdateError(_("Vul een onderwerp in."), "subject")
    if not body:
        raise UpdateError(_("Schrijf de tekst van de update."), "body")
    creating = update is None
    if creating:
        update = SupporterUpdate(petition_id=petition.id, created_by_id=getattr(actor, "id", None))
        db.session.add(update)
    update.subject, update.body = subject, body
    db.session.flush()
    audit.record("update.create" if creating else "update.edit", f"update:{update.id}", actor=actor)
    return update


def send_update(update: SupporterUpdate, actor, now: datetime) -> int:
    """Owe the update to every recipient, once (unique per update and supporter), spread over time
    by UPDATE_MAILS_PER_MINUTE. Returns how many. Flushes; the sender starts after the commit."""
    if update.status != UpdateStatus.DRAFT:
        raise UpdateError(_("Deze update is al verstuurd."))
    signature_ids = db.session.execute(_recipients(update.petition_id).order_by(Signature.id)).scalars().all()
    per_minute = current_app.config["UPDATE_MAILS_PER_MINUTE"]
    step = timedelta(minutes=1) / per_minute if per_minute else timedelta(0)
    rows = [
        {
            "update_id": update.id,
            "signature_id": signature_id,
            "status": UpdateMailStatus.QUEUED,
            "attempts": 0,
            "due_at": now + step * n,
        }
        for n, signature_id in enumerate(signature_ids)
    ]
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(UpdateMail.__table__.insert(), rows[start : start + INSERT_CHUNK])
    update.status = UpdateStatus.SENDING if rows else UpdateStatus.SENT
    update.sent_at, update.recipients = now, len(rows)
    db.session.flush()
    audit.record("update.send", f"update:{update.id}", details=f"recipients={len(rows)}", actor=actor)
    if rows:
        nudge_after_commit(UPDATES_NUDGE)
    return len(rows)


@dataclass(frozen=True)
class Progress:
    recipients: int
    queued: int  # waiting or being sent
    sent: int
    failed: int
    skipped: int  # unsubscribed or withdrawn before their turn
    unsubscribed: int  # used this update's unsubscribe link

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped


def progress_of(update: SupporterUpdate) -> Progress:
    by_status = dict(
        db.session.execute(
            db.select(UpdateMail.status, func.count())
            .where(UpdateMail.update_id == update.id)
            .group_by(UpdateMail.status)
        ).all()
    )
    unsubscribed = db.session.execute(
        db.select(func.count())
        .select_from(UpdateMail)
        .where(UpdateMail.update_id == update.id, UpdateMail.unsubscribed_at.is_not(None))
    ).scalar()
    return Progress(
        recipients=update.recipients,
        queued=by_status.get(UpdateMailStatus.QUEUED, 0) + by_status.get(UpdateMailStatus.SENDING, 0),
        sent=by_status.get(UpdateMailStatus.SENT, 0),
        failed=by_status.get(UpdateMailStatus.FAILED, 0),
        skipped=by_status.get(UpdateMailStatus.SKIPPED, 0),
        unsubscribed=unsubscribed,
    )


def updates_of(petition_id: int) -> list[SupporterUpdate]:
    """A petition's updates, newest first (the studio's list)."""
    query = (
        db.select(SupporterUpdate)
        .where(SupporterUpdate.petition_id == petition_id)
        .order_by(SupporterUpdate.created_at.desc())
    )
    return list(db.session.execute(query).scalars())


def send_test(update: SupporterUpdate, actor) -> None:
    """The update as a supporter gets it, to the campaigner's own address (after commit, by a job;
    its links change nothing)."""
    enqueue_after_commit(SEND_UPDATE_TEST, update.id, actor.id)
    audit.record("update.test_send", f"update:{update.id}", actor=actor)
