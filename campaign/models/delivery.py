"""Delivery to officials: the outbox rows, the per-petition settings, and the health of a target's address.

A Delivery row is written in the same transaction as the event that causes it (a confirmation, a
milestone, a closing); jobs carry only its id and the cron relay re-enqueues rows that are due but
not sent, so losing Redis loses nothing. Uniqueness is a database constraint: one row per
(petition, target, key), where the key names the occasion ("letter:<signature>", "milestone:1000",
"handover", "digest:2026-05-03").
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import BigId, utcnow


class DeliveryKind(StrEnum):
    LETTER = "letter"  # one supporter's letter
    DIGEST = "digest"  # daily or weekly summary with a CSV of the new signatures
    MILESTONE = "milestone"  # the petition passed a threshold
    HANDOVER = "handover"  # the final count and the full list


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # waiting for its due time (or for the throttle)
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # permanently, or retries exhausted; a campaigner can retry
    CANCELLED = "cancelled"  # a campaigner withdrew it inside the undo window; never sent


class Delivery(db.Model):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("petition_id", "target_id", "key", name="uq_deliveries_occasion"),
        # At most one letter per supporter per target (NULLs, for the other kinds, never conflict).
        UniqueConstraint("signature_id", "target_id", name="uq_deliveries_signature_target"),
        # The relay's question: what is due, or whose lease ran out?
        Index("ix_deliveries_status_due", "status", "due_at"),
        Index("ix_deliveries_petition_status", "petition_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(16))
    key: Mapped[str] = mapped_column(db.String(64))
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id", ondelete="SET NULL"))
    threshold: Mapped[int | None]  # milestones
    period_start: Mapped[datetime | None]  # digests: the new signatures are those confirmed in
    period_end: Mapped[datetime | None]  # [period_start, period_end)
    status: Mapped[str] = mapped_column(db.String(16), default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Mail a campaigner caused (a hand-over) waits until then, and may be cancelled until then.
    undo_until: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(db.String(200))
    last_error: Mapped[str | None] = mapped_column(db.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    petition = relationship("Petition")
    target = relationship("Target")
    signature = relationship("Signature")


class DigestFrequency(StrEnum):
    OFF = ""
    DAILY = "daily"
    WEEKLY = "weekly"


# Columns a campaigner may put in a digest or hand-over CSV; the supporter consented to name and place.
CSV_FIELDS = ("name", "place", "country", "date", "message")
DEFAULT_CSV_FIELDS = "name,place"


class DeliverySettings(db.Model):
    """How one petition's signatures reach its targets (no row: nothing is delivered)."""

    __tablename__ = "delivery_settings"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    letters: Mapped[bool] = mapped_column(default=False)
    letters_per_hour: Mapped[int] = mapped_column(default=60)  # per target
    daytime_only: Mapped[bool] = mapped_column(default=False)  # letters leave within day_starts..day_ends
    day_starts: Mapped[int] = mapped_column(default=9)  # hour in the target's time zone
    day_ends: Mapped[int] = mapped_column(default=17)
    digest: Mapped[str] = mapped_column(db.String(8), default=DigestFrequency.OFF)
    csv_fields: Mapped[str] = mapped_column(db.String(100), default=DEFAULT_CSV_FIELDS)
    milestones: Mapped[str] = mapped_column(db.String(200), default="")  # "1000,10000"
    milestone_goal: Mapped[bool] = mapped_column(default=False)  # the goal is a threshold too
    handover: Mapped[bool] = mapped_column(default=False)  # on closing
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    petition = relationship("Petition")

    @property
    def fields(self) -> list[str]:
        chosen = [name for name in (self.csv_fields or "").split(",") if name in CSV_FIELDS]
        return chosen or DEFAULT_CSV_FIELDS.split(",")

    def thresholds(self, goal: int) -> list[int]:
        values = {int(part) for part in (self.milestones or "").split(",") if part.strip().isdigit()}
        if self.milestone_goal and goal:
            values.add(goal)
        return sorted(value for value in values if value > 0)


class TargetMailHealth(db.Model):
    """Permanent failures in a row for a target's address. After a few, the address is skipped until
    it changes (the studio fixes it) or a campaigner retries."""

    __tablename__ = "target_mail_health"

    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True)
    failures_in_a_row: Mapped[int] = mapped_column(default=0)
    blocked_email: Mapped[str | None] = mapped_column(db.String(320))  # the address that kept failing
    blocked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(db.String(500))
