"""Small builders for test data, written through the models like the app does."""

from datetime import timedelta

from campaign.extensions import db
from campaign.models import Petition, PetitionStatus, Target, Theme
from campaign.models.base import utcnow
from campaign.petitions.markup import render_markdown
from campaign.seeding import seed_themes


def theme(slug="technologie") -> Theme:
    seed_themes()
    return db.session.execute(db.select(Theme).where(Theme.slug == slug)).scalar_one()


def petition(
    slug="test-petitie", status=PetitionStatus.OPEN, theme_slug="technologie", goal=100, **fields
) -> Petition:
    body = fields.pop("body", "Wij vragen **iets** belangrijks.")
    now = utcnow()
    item = Petition(
        slug=slug,
        theme=theme(theme_slug),
        title=fields.pop("title", "Een test­petitie"),
        summary=fields.pop("summary", "Een korte samenvatting."),
        body=body,
        body_html=render_markdown(body),
        goal=goal,
        status=status,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        **fields,
    )
    db.session.add(item)
    db.session.commit()
    return item


def target(name="Minister Test", email="minister@example.org", **fields) -> Target:
    item = Target(name=name, email=email, **fields)
    db.session.add(item)
    db.session.commit()
    return item
