"""External validation: an outside reviewer checks one outcome or one report through a personal link.

The reviewer has no account. The link's token opens one Review row and nothing else: the page shows
that row's subject, and the answer changes that row's status and comment only. It stops working at
expires_at. The invitation leaves by mail after the commit; the job carries the review's id only.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.jobs import SEND_REVIEW_INVITE
from campaign.models import Outcome, Review, ReviewStatus, Theme
from campaign.queueing import enqueue_after_commit
from campaign.reports.periods import Period

ANSWERS = (ReviewStatus.CONFIRMED, ReviewStatus.QUALIFIED, ReviewStatus.CONTESTED)


class ReviewError(FieldError):
    """A rule said no; `field` names the form field it is about."""


@dataclass(frozen=True)
class Reviewer:
    name: str
    email: str
    affiliation: str = ""
    public: bool = False  # the organisation may show the verdict on /impact


def _checked(reviewer: Reviewer) -> Reviewer:
    name = (reviewer.name or "").strip()
    if not name or len(name) > 200:
        raise ReviewError(_("Geef de naam van de beoordelaar (maximaal 200 tekens)."), "name")
    try:
        email = validate_email((reviewer.email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ReviewError(_("Dit e-mailadres klopt niet."), "email") from None
    affiliation = (reviewer.affiliation or "").strip()
    if len(affiliation) > 200:
        raise ReviewError(_("Maximaal 200 tekens."), "affiliation")
    return Reviewer(name, email, affiliation, bool(reviewer.public))


def _invite(review: Review, reviewer: Reviewer, actor, now: datetime) -> Review:
    checked = _checked(reviewer)
    review.token = secrets.token_urlsafe(32)
    review.reviewer_name, review.reviewer_email = checked.name, checked.email
    review.reviewer_affiliation, review.public = checked.affiliation, checked.public
    review.invited_by = getattr(actor, "id", None)
    review.created_at = now
    review.expires_at = now + timedelta(days=current_app.config["REVIEW_LINK_DAYS"])
    db.session.add(review)
    db.session.flush()
    audit.record("review.invite", f"review:{review.id}", details=review.subject_ref, actor=actor)
    enqueue_after_commit(SEND_REVIEW_INVITE, review.id)
    return review


def invite_outcome_review(outcome: Outcome, reviewer: Reviewer, actor, now: datetime) -> Review:
    return _invite(Review(outcome_id=outcome.id), reviewer, actor, now)


def invite_report_review(
    period: Period, theme: Theme | None, reviewer: Reviewer, actor, now: datetime
) -> Review:
    review = Review(report_period=period.slug, report_theme_id=theme.id if theme else None)
    return _invite(review, reviewer, actor, now)


def review_by_token(token: str) -> Review | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(Review).where(Review.token == token)).scalar_one_or_none()


def answer_review(review: Review, status: str, comment: str, now: datetime) -> None:
    """The reviewer's verdict; may be changed until the link expires. Flushes; the caller commits."""
    if review.expired(now):
        raise ReviewError(_("Deze link is verlopen."))
    if status not in {answer.value for answer in ANSWERS}:
        raise ReviewError(_("Kies bevestigen, bevestigen met kanttekening of betwisten."), "status")
    comment = (comment or "").strip()
    if status != ReviewStatus.CONFIRMED and not comment:
        raise ReviewError(_("Licht uw kanttekening of bezwaar kort toe."), "comment")
    if len(comment) > 5000:
        raise ReviewError(_("Maximaal 5000 tekens."), "comment")
    review.status, review.comment, review.answered_at = status, comment, now
    db.session.flush()
    audit.record("review.answer", f"review:{review.id}", details=status, actor=None)


def revoke_review(review: Review, actor, now: datetime) -> None:
    """End the link now (a wrong address, a reviewer who withdrew); an answer given stays."""
    review.expires_at = min(review.expires_at, now)
    db.session.flush()
    audit.record("review.revoke", f"review:{review.id}", actor=actor)


def reviewed_outcome(review: Review) -> Outcome | None:
    """The outcome a review is about (None for a review of a report, or an outcome since deleted)."""
    return db.session.get(Outcome, review.outcome_id) if review.outcome_id is not None else None
