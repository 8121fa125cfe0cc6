"""Keys for the OSDI API, and the answers it remembers for Idempotency-Key."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import BigId, utcnow


class ApiScope(StrEnum):
    READ = "read"  # petitions and signatures
    WRITE = "write"  # read, and record signatures


class ApiKey(db.Model):
    """Only a hash of the key is kept; the key itself is shown once, when it is created."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(100))
    scope: Mapped[str] = mapped_column(db.String(8), default=ApiScope.READ)
    prefix: Mapped[str] = mapped_column(db.String(16))  # the key's first characters, to recognise it
    key_hash: Mapped[str] = mapped_column(db.String(64), unique=True)  # SHA-256 of the key, hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    use_count: Mapped[int] = mapped_column(default=0)

    created_by = relationship("Account")

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def may(self, scope: str) -> bool:
        return self.scope == ApiScope.WRITE or scope == ApiScope.READ


class IdempotentRequest(db.Model):
    """A write answered once per key and Idempotency-Key: a retry gets the same answer, no second write."""

    __tablename__ = "api_idempotent_requests"
    __table_args__ = (UniqueConstraint("api_key_id", "idempotency_key", name="uq_api_idempotent_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(db.String(255))
    request_hash: Mapped[str] = mapped_column(db.String(64))  # the same key with another body is refused
    status_code: Mapped[int] = mapped_column(default=200)
    body: Mapped[str] = mapped_column(db.Text, default="")  # the JSON answer (no personal data: ids only)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
