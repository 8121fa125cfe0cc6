from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class PetitionTranslation(db.Model):
    """A petition's supporter-facing text in another language than its own.

    Supporters see it only once published; the letter to officials stays in the petition's language.
    """

    __tablename__ = "petition_translations"
    __table_args__ = (UniqueConstraint("petition_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(db.String(8))
    title: Mapped[str] = mapped_column(db.String(200))
    summary: Mapped[str] = mapped_column(db.String(500), default="")
    body: Mapped[str] = mapped_column(db.Text, default="")  # Markdown
    body_html: Mapped[str] = mapped_column(db.Text, default="")  # rendered and sanitised on save
    share_text: Mapped[str] = mapped_column(db.String(280), default="")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def published(self) -> bool:
        return self.published_at is not None
