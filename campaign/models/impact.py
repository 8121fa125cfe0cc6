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


class Contribution(StrEnum):
    """How much the organisation's own work contributed to an outcome (Impact & Learning)."""

    DECISIVE = "decisive"
    SIGNIFICANT = "significant"
    PARTIAL = "partial"
    UNCLEAR = "unclear"


CONTRIBUTION_LABELS = {
    Contribution.DECISIVE: _l("Doorslaggevend"),
    Contribution.SIGNIFICANT: _l("Aanzienlijk"),
    Contribution.PARTIAL: _l("Gedeeltelijk"),
    Contribution.UNCLEAR: _l("Onduidelijk"),
}

# The other parties a joint analysis names most; anything else goes in `contributors_other`.
CONTRIBUTOR_LABELS = {
    "international_secretariat": _l("Internationaal secretariaat"),
    "regional_office": _l("Regionaal kantoor"),
    "partners": _l("Partnerorganisaties"),
}

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
    contribution: Mapped[str] = mapped_column(db.String(16), default=Contribution.UNCLEAR)
    contributors: Mapped[str] = mapped_column(
        db.String(200), default=""
    )  # keys of CONTRIBUTOR_LABELS, comma-separated
    contributors_other: Mapped[str] = mapped_column(
        db.String(300), default=""
    )  # as the campaigner wrote them
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    petition = relationship("Petition", lazy="joined")
    theme = relationship("Theme", lazy="joined")
    evidence = relationship(
        "Evidence", order_by="Evidence.id", cascade="all, delete-orphan", passive_deletes=True
    )
    reviews = relationship("Review", order_by="Review.id", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def change_label(self) -> str:
        return str(CHANGE_TYPE_LABELS.get(self.change_type, self.change_type))

    @property
    def contribution_label(self) -> str:
        return str(CONTRIBUTION_LABELS.get(self.contribution, self.contribution))

    @property
    def contributor_names(self) -> list[str]:
        """The contributing parties, named for a reader: the standard ones, then the others."""
        names = [
            str(CONTRIBUTOR_LABELS[key]) for key in self.contributors.split(",") if key in CONTRIBUTOR_LABELS
        ]
        return names + [part.strip() for part in self.contributors_other.split(",") if part.strip()]

    @property
    def public_validations(self) -> list:
        """Reviews the organisation chose to show on /impact in which the reviewer confirmed the outcome
        (with or without a reservation): the "validated by" marks."""
        return [
            review for review in self.reviews if review.public and review.status in ("confirmed", "qualified")
        ]


class Evidence(db.Model):
    """What shows an outcome happened: a link, or a document uploaded to the media folder
    (served to studio users only; `stored_name` is ours, never the uploader's file name)."""

    __tablename__ = "outcome_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(db.String(1000), default="")  # a link, or empty for a document
    stored_name: Mapped[str] = mapped_column(db.String(80), default="")  # under MEDIA_DIR/evidence/
    file_name: Mapped[str] = mapped_column(db.String(200), default="")  # shown, sanitised
    content_type: Mapped[str] = mapped_column(db.String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_document(self) -> bool:
        return bool(self.stored_name)
