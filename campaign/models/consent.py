"""The consent text supporters agree to, one row per version; the newest is the current one.

Editing the text in the studio adds a row; a signature records the version it was given under.
"""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class ConsentText(db.Model):
    __tablename__ = "consent_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(db.String(32), unique=True)
    text: Mapped[str] = mapped_column(db.Text)  # Dutch, Markdown
    text_en: Mapped[str] = mapped_column(db.Text, default="")  # English, Markdown; empty: show the Dutch
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
