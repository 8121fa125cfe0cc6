"""Outcomes: what changed because of a campaign, recorded by campaigners (the impact log)."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import utcnow


class ChangeType(StrEnum):
    """The four types of change of the organisation's Impact & Learning system."""

    LIVES = "lives"
    LAW = "law"
    ACCOUNTABILITY = "accountability"
    CIVIL_SOCIETY = "civil_society"


CHANGE_TYPE_LABELS = {
    ChangeType.LIVES: _l("Verandering in het leven van mensen"),
    ChangeType.LAW: _l("Verandering in wet- en regelgeving"),
    ChangeType.ACCOUNTABILITY: _l("Verandering in accountability"),
    ChangeType.CIVIL_SOCIETY: _l("Verandering in de civil society, media en andere beïnvloedingskanalen"),
}


class Outcome(db.Model):
    """One recorded change. For a petition, theme_id is its petition's theme; for a whole theme,
    petition_id is empty."""

    __tablename__ = "outcomes"
    __table_args__ = (Index("ix_outcomes_theme_date", "theme_id", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    change_type: Mapped[str] = mapped_column(db.String(32), index=True)
    happened_on: Mapped[date]
    title: Mapped[str] = mapped_column(db.String(200))
    description: Mapped[str] = mapped_column(db.Text, default="")
    source_url: Mapped[str] = mapped_column(db.String(1000), default="")  # http(s) only
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    petition = relationship("Petition", lazy="joined")
    theme = relationship("Theme", lazy="joined")

    @property
    def change_label(self) -> str:
        return str(CHANGE_TYPE_LABELS.get(self.change_type, self.change_type))
