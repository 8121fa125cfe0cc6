from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, validates

from campaign.extensions import db
from campaign.models.base import utcnow


class Target(db.Model):
    """An official whom petitions address; reusable across petitions."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(200))
    title: Mapped[str] = mapped_column(db.String(200), default="")  # role, e.g. "Minister van Justitie"
    organisation: Mapped[str] = mapped_column(db.String(200), default="")
    email: Mapped[str] = mapped_column(db.String(320))
    # The address lower-cased: one target per address, kept by the database (set with `email`).
    email_key: Mapped[str] = mapped_column(db.String(320), unique=True)
    language: Mapped[str] = mapped_column(db.String(8), default="nl")
    region: Mapped[str | None] = mapped_column(db.String(64))
    timezone: Mapped[str] = mapped_column(db.String(64), default="Europe/Amsterdam")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("email")
    def _key_follows_email(self, _name: str, value: str) -> str:
        self.email_key = (value or "").lower()
        return value

    @property
    def display(self) -> str:
        parts = [self.name, self.title, self.organisation]
        return ", ".join(part for part in parts if part)
