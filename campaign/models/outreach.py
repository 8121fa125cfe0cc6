"""Updates to supporters: what a campaigner wrote, and the outbox of its mails (one row a supporter).

The rows are written when the campaigner sends; a worker claims them in batches with a lease and
marks each sent, so an update reaches a supporter at most once (unique per update and signature).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import BigId, utcnow


class UpdateStatus(StrEnum):
    DRAFT = "draft"  # being written; a test may go to the campaigner
    SENDING = "sending"  # the outbox rows are written; workers are sending
    SENT = "sent"  # every row is done (sent, failed or skipped)


class UpdateMailStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # refused for good, or retries exhausted
    SKIPPED = "skipped"  # unsubscribed (or withdrawn) after the update was sent off


class SupporterUpdate(db.Model):
    __tablename__ = "supporter_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(db.String(200))
    body: Mapped[str] = mapped_column(db.Text, default="")  # Markdown
    status: Mapped[str] = mapped_column(db.String(16), default=UpdateStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]  # when the campaigner sent it off
    recipients: Mapped[int] = mapped_column(default=0)  # outbox rows written at that moment

    petition = relationship("Petition")
    created_by = relationship("Account")


class UpdateMail(db.Model):
    __tablename__ = "update_mails"
    __table_args__ = (
        UniqueConstraint("update_id", "signature_id", name="uq_update_mails_update_signature"),
        Index("ix_update_mails_status_due", "status", "due_at"),
        Index("ix_update_mails_update_status", "update_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("supporter_updates.id", ondelete="CASCADE"))
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(db.String(16), default=UpdateMailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)  # spread out by the throttle
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(db.String(500))
    sent_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]  # the supporter used this mail's unsubscribe link
