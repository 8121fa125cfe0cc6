"""A petition's life: draft -> open -> closed -> (reopened) -> archived.

Each verb checks the current status, changes it, records it in the audit log and flushes; the
caller commits. `actor` is the account acting, or None for the cron.
"""

from datetime import datetime

from flask_babel import gettext as _

from campaign import audit
from campaign.delivery.queue import queue_handover, undo_window
from campaign.extensions import db
from campaign.models import Petition, PetitionStatus
from campaign.petitions.editing import PetitionError
from campaign.webhooks.events import petition_event


def publish_petition(petition: Petition, actor, now: datetime) -> None:
    if petition.status != PetitionStatus.DRAFT:
        raise PetitionError(_("Alleen een concept kan worden gepubliceerd."))
    if not petition.title.strip() or not petition.body.strip():
        raise PetitionError(_("Een petitie heeft een titel en een tekst nodig voor u haar publiceert."))
    if petition.closes_at and petition.closes_at <= now:
        raise PetitionError(_("De sluitingsdatum ligt in het verleden. Pas die eerst aan."))
    petition.status = PetitionStatus.OPEN
    petition.published_at = petition.published_at or now
    db.session.flush()
    audit.record("petition.publish", f"petition:{petition.id}", details=f"slug={petition.slug}", actor=actor)
    petition_event("petition.published", petition, now)


def close_petition(petition: Petition, actor, now: datetime) -> bool:
    """Close an open petition (by hand, or by the cron at its closing date). False if it was not open."""
    if petition.status != PetitionStatus.OPEN:
        return False
    petition.status = PetitionStatus.CLOSED
    petition.closed_at = now
    db.session.flush()
    audit.record(
        "petition.close",
        f"petition:{petition.id}",
        details="automatic" if actor is None else "by hand",
        actor=actor,
    )
    # The targets get the final count and list, if the petition says so; closed by hand, it waits
    # for the undo window (the studio can cancel it until then).
    queue_handover(petition, now, hold=None if actor is None else undo_window())
    petition_event("petition.closed", petition, now)
    return True


def reopen_petition(petition: Petition, actor, now: datetime) -> None:
    if petition.status != PetitionStatus.CLOSED:
        raise PetitionError(_("Alleen een gesloten petitie kan worden heropend."))
    if petition.closes_at and petition.closes_at <= now:
        raise PetitionError(_("De sluitingsdatum ligt in het verleden. Zet eerst een latere datum."))
    petition.status = PetitionStatus.OPEN
    petition.closed_at = None
    db.session.flush()
    audit.record("petition.reopen", f"petition:{petition.id}", actor=actor)


def archive_petition(petition: Petition, actor, now: datetime) -> None:
    """Archived petitions leave the public site; their signatures stay for the studio."""
    if petition.status not in (PetitionStatus.DRAFT, PetitionStatus.CLOSED):
        raise PetitionError(_("Sluit de petitie voor u haar archiveert."))
    petition.status = PetitionStatus.ARCHIVED
    db.session.flush()
    audit.record("petition.archive", f"petition:{petition.id}", actor=actor)


def close_due_petitions(now: datetime) -> list[int]:
    """Close every open petition whose closing date has passed. Returns their ids."""
    due = (
        db.session.execute(
            db.select(Petition)
            .where(
                Petition.status == PetitionStatus.OPEN,
                Petition.closes_at.is_not(None),
                Petition.closes_at <= now,
            )
            .with_for_update(skip_locked=True, of=Petition)  # the joined theme is not locked
        )
        .scalars()
        .all()
    )
    return [petition.id for petition in due if close_petition(petition, None, now)]
