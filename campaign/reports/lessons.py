"""Adapt: what a campaign team learned, written when a petition closes (Impact & Learning)."""

from datetime import datetime

from flask_babel import gettext as _

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.models import Lesson, Petition, PetitionStatus

MAX_LENGTH = 5000


class LessonError(FieldError):
    """A rule said no; `field` names the form field it is about."""


def record_lesson(petition: Petition, what_worked: str, what_we_change: str, actor, now: datetime) -> Lesson:
    """Write or rewrite the petition's lessons. Flushes; the caller commits."""
    if petition.status not in (PetitionStatus.CLOSED, PetitionStatus.ARCHIVED):
        raise LessonError(_("Lessen legt u vast wanneer de petitie gesloten is."), "what_worked")
    worked, change = (what_worked or "").strip(), (what_we_change or "").strip()
    if not worked and not change:
        raise LessonError(_("Schrijf op wat werkte, wat we veranderen, of allebei."), "what_worked")
    for field, text in (("what_worked", worked), ("what_we_change", change)):
        if len(text) > MAX_LENGTH:
            raise LessonError(_("Maximaal 5000 tekens."), field)
    lesson = db.session.get(Lesson, petition.id)
    if lesson is None:
        lesson = Lesson(petition_id=petition.id, recorded_at=now)
        db.session.add(lesson)
    lesson.what_worked, lesson.what_we_change = worked, change
    lesson.recorded_by = getattr(actor, "id", None)
    db.session.flush()
    audit.record("lesson.record", f"petition:{petition.id}", actor=actor)
    return lesson


def theme_lessons(theme_id: int) -> list[Lesson]:
    return list(
        db.session.execute(
            db.select(Lesson)
            .join(Petition, Petition.id == Lesson.petition_id)
            .where(Petition.theme_id == theme_id)
            .order_by(Lesson.recorded_at.desc())
        ).scalars()
    )


def lesson_for(petition_id: int) -> Lesson | None:
    """What the team wrote down on closing this petition, if it did."""
    return db.session.get(Lesson, petition_id)
