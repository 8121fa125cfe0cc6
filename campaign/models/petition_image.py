from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class PetitionImage(db.Model):
    """A petition's hero image: the cleaned original (MEDIA_DIR/originals/<digest>.jpg, never
    served) and the cropped sizes made from it (MEDIA_DIR/public/, content-hashed names)."""

    __tablename__ = "petition_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), unique=True)
    alt: Mapped[str] = mapped_column(db.String(300))
    focus_x: Mapped[int] = mapped_column(default=50)  # the focal point, in percent of width and height
    focus_y: Mapped[int] = mapped_column(default=50)
    digest: Mapped[str] = mapped_column(db.String(64))  # sha256 of the cleaned original
    # [{"width": 800, "height": 450, "webp": "<hash>.webp", "jpeg": "<hash>.jpg"}, ...], narrowest first
    sizes: Mapped[list] = mapped_column(db.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def largest(self) -> dict:
        return self.sizes[-1]
