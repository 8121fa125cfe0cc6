from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

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
    language: Mapped[str] = mapped_column(db.String(8), default="nl")
    region: Mapped[str | None] = mapped_column(db.String(64))
    timezone: Mapped[str] = mapped_column(db.String(64), default="Europe/Amsterdam")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def display(self) -> str:
        parts = [self.name, self.title, self.organisation]
        return ", ".join(part for part in parts if part)
