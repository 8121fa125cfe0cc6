from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import BigId, utcnow


class AuditEvent(db.Model):
    """Who did what, when. `details` never holds a supporter's personal data."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(db.String(64), index=True)  # e.g. "petition.publish"
    subject: Mapped[str] = mapped_column(db.String(200), default="")  # e.g. "petition:12"
    details: Mapped[str] = mapped_column(db.Text, default="")
    ip_hash: Mapped[str | None] = mapped_column(db.String(64))

    actor = relationship("Account")
