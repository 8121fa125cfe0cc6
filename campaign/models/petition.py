from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import utcnow


class PetitionStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


petition_targets = db.Table(
    "petition_targets",
    db.Column("petition_id", db.ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True),
    db.Column("target_id", db.ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True),
)


class SigningRules:
    """Whether a petition is public and takes signatures; needs `status`, `opens_at` and `closes_at`.

    Shared by the model and by `PetitionGate`, the few columns the sign request reads.
    """

    def accepts_signatures(self, now: datetime) -> bool:
        if self.status != PetitionStatus.OPEN:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def is_public(self) -> bool:
        return self.status in (PetitionStatus.OPEN, PetitionStatus.CLOSED)


@dataclass(frozen=True)
class PetitionGate(SigningRules):
    """A petition's id, slug, signing window and version as plain values: what signing and a cached
    page need, without loading (and tracking) the whole row as an ORM object on every request."""

    id: int
    slug: str
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    updated_at: datetime


class Petition(db.Model, SigningRules):
    __tablename__ = "petitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    title: Mapped[str] = mapped_column(db.String(200))
    summary: Mapped[str] = mapped_column(db.String(500), default="")
    body: Mapped[str] = mapped_column(db.Text, default="")  # Markdown, as the campaigner wrote it
    body_html: Mapped[str] = mapped_column(db.Text, default="")  # rendered and sanitised on save
    goal: Mapped[int] = mapped_column(default=1000)
    status: Mapped[str] = mapped_column(db.String(16), default=PetitionStatus.DRAFT, index=True)
    language: Mapped[str] = mapped_column(db.String(8), default="nl")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]  # first publication; from then on the slug is public
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    theme = relationship("Theme", lazy="joined")
    # The hero image (campaign.media.heroes); lists load it with selectinload.
    hero_image = relationship("PetitionImage", uselist=False, cascade="all, delete-orphan")
    targets = relationship("Target", secondary=petition_targets, order_by="Target.name")
    # Loaded when a page asks for the text in a language (text_for); lists use selectinload.
    translations = relationship(
        "PetitionTranslation", order_by="PetitionTranslation.language", cascade="all, delete-orphan"
    )

    def text_for(self, language: str) -> "PetitionText":
        """The supporter-facing text in `language` if a translation is published, else the original."""
        if language != self.language:
            for translation in self.translations:
                if translation.language == language and translation.published_at is not None:
                    return PetitionText(
                        language=language,
                        title=translation.title,
                        summary=translation.summary,
                        body_html=translation.body_html,
                        share_text=translation.share_text or translation.title,
                        original=False,
                    )
        return PetitionText(
            language=self.language,
            title=self.title,
            summary=self.summary,
            body_html=self.body_html,
            share_text=self.title,
            original=True,
        )

    def published_languages(self) -> list[str]:
        """The petition's own language first, then those of its published translations."""
        others = [
            t.language
            for t in self.translations
            if t.published_at is not None and t.language != self.language
        ]
        return [self.language, *others]


@dataclass(frozen=True)
class PetitionText:
    language: str
    title: str
    summary: str
    body_html: str
    share_text: str
    original: bool
