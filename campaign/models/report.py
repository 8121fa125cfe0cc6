"""The four-monthly report's records: external reviews, lessons learned, and the reports the cron made."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import utcnow


class ReviewStatus(StrEnum):
    PENDING = "pending"  # invited, not answered yet
    CONFIRMED = "confirmed"
    QUALIFIED = "qualified"  # confirmed with reservations
    CONTESTED = "contested"


REVIEW_STATUS_LABELS = {
    ReviewStatus.PENDING: _l("Nog niet beoordeeld"),
    ReviewStatus.CONFIRMED: _l("Bevestigd"),
    ReviewStatus.QUALIFIED: _l("Bevestigd met kanttekening"),
    ReviewStatus.CONTESTED: _l("Betwist"),
}


class Review(db.Model):
    """An outside reviewer's check of one outcome or one report (a period, optionally one theme).

    The reviewer has no account: the token in the emailed link is the only key, and it opens this
    row alone, until expires_at.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(
            "(outcome_id IS NULL) <> (report_period IS NULL)", name="one_subject"
        ),  # an outcome or a report, never both
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(db.String(64), unique=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    report_period: Mapped[str | None] = mapped_column(db.String(8))  # "2026-2"
    report_theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    reviewer_name: Mapped[str] = mapped_column(db.String(200))
    reviewer_email: Mapped[str] = mapped_column(db.String(320))
    # How the reviewer is named where the organisation shows the validation ("Prof. X, Leiden University").
    reviewer_affiliation: Mapped[str] = mapped_column(db.String(200), default="")
    public: Mapped[bool] = mapped_column(default=False)  # show a "validated by" mark on /impact
    status: Mapped[str] = mapped_column(db.String(16), default=ReviewStatus.PENDING)
    comment: Mapped[str] = mapped_column(db.Text, default="")
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    mailed_at: Mapped[datetime | None]

    theme = relationship("Theme")

    @property
    def answered(self) -> bool:
        return self.status != ReviewStatus.PENDING

    @property
    def status_label(self) -> str:
        return str(REVIEW_STATUS_LABELS.get(self.status, self.status))

    @property
    def shown_name(self) -> str:
        return self.reviewer_affiliation or self.reviewer_name

    @property
    def subject_ref(self) -> str:
        """What the review is about, for the audit log and the studio."""
        if self.outcome_id is not None:
            return f"outcome:{self.outcome_id}"
        return f"report:{self.report_period}" + (
            f":theme:{self.report_theme_id}" if self.report_theme_id else ""
        )

    @property
    def link_open(self) -> bool:
        return not self.expired(utcnow())

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class Lesson(db.Model):
    """What a campaign team learned, written when a petition closes (one per petition, editable)."""

    __tablename__ = "lessons"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    what_worked: Mapped[str] = mapped_column(db.Text, default="")
    what_we_change: Mapped[str] = mapped_column(db.Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    petition = relationship("Petition", lazy="joined")


class ReportRunStatus(StrEnum):
    QUEUED = "queued"  # made, the mail to the admins not sent yet
    SENDING = "sending"  # a worker holds it until lease_until
    SENT = "sent"
    FAILED = "failed"


class ReportRun(db.Model):
    """A period's report as the cron made it once the period ended. The unique period is what makes
    two schedulers, or a restarted one, make and mail it exactly once."""

    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("period", name="uq_report_runs_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(db.String(8))  # "2026-2"
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(db.String(16), default=ReportRunStatus.QUEUED)
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    mailed_at: Mapped[datetime | None]
    recipients: Mapped[int] = mapped_column(default=0)  # how many admins it went to (never who)
    last_error: Mapped[str | None] = mapped_column(db.String(500))


class TargetResponse(db.Model):
    """An official's answer to a petition's deliveries (a letter back, a debate, a meeting), as a
    campaigner records it: the report counts and lists them per period."""

    __tablename__ = "target_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id", ondelete="SET NULL"))
    received_on: Mapped[date]
    summary: Mapped[str] = mapped_column(db.String(2000))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    petition = relationship("Petition", lazy="joined")
    target = relationship("Target", lazy="joined")
