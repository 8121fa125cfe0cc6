"""Webhook endpoints and their outbox: one message row per event and endpoint."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import BigId, utcnow

EVENTS = (
    "signature.confirmed",
    "signature.withdrawn",
    "signature.erased",
    "petition.published",
    "petition.closed",
    "delivery.failed",
)


class WebhookStatus(StrEnum):
    PENDING = "pending"  # due at due_at (a worker holds it while lease_until is in the future)
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after WEBHOOK_MAX_ATTEMPTS; redeliver puts it back


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(db.String(500))
    description: Mapped[str] = mapped_column(db.String(200), default="")
    events: Mapped[str] = mapped_column(db.String(500))  # comma-separated event types
    # Needed to sign every message, so kept as given (unlike API keys, which are only hashed).
    secret: Mapped[str] = mapped_column(db.String(100))
    active: Mapped[bool] = mapped_column(default=True)  # False: removed by an admin, nothing is sent
    paused_at: Mapped[datetime | None]  # set after repeated failure; messages wait until resumed
    failures_in_a_row: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(db.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def event_list(self) -> list[str]:
        return [event for event in self.events.split(",") if event]


class WebhookMessage(db.Model):
    __tablename__ = "webhook_messages"
    __table_args__ = (Index("ix_webhook_messages_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(db.String(40), unique=True)  # webhook-id: the same on a retry
    event_type: Mapped[str] = mapped_column(db.String(40))
    payload: Mapped[str] = mapped_column(db.Text)  # the JSON body, exactly as signed and sent
    status: Mapped[str] = mapped_column(db.String(16), default=WebhookStatus.PENDING)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(db.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    endpoint = relationship("WebhookEndpoint")
