from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class PetitionSlug(db.Model):
    """A slug a published petition had before; links shared earlier redirect to its current slug."""

    __tablename__ = "petition_slugs"

    slug: Mapped[str] = mapped_column(db.String(120), primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    retired_at: Mapped[datetime] = mapped_column(default=utcnow)
