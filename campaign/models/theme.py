from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db


class Theme(db.Model):
    """One of the organisation's priority themes (seeded; see `campaign seed`)."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(64), unique=True)
    name_nl: Mapped[str] = mapped_column(db.String(200))
    name_en: Mapped[str] = mapped_column(db.String(200))
    description_nl: Mapped[str] = mapped_column(db.Text, default="")
    description_en: Mapped[str] = mapped_column(db.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" else self.description_nl
