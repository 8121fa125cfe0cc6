"""Finding a petition the public may see, by the slug in its address (current or an earlier one)."""

from sqlalchemy.orm import lazyload

from campaign.extensions import db
from campaign.models import Petition, PetitionSlug, PetitionStatus

PUBLIC = (PetitionStatus.OPEN, PetitionStatus.CLOSED)


def find_public_petition(slug: str) -> Petition | None:
    """The open or closed petition with this slug. The theme is loaded only when a page reads it
    (the sign post and a cached page never do): no join here."""
    return db.session.execute(
        db.select(Petition)
        .where(Petition.slug == slug, Petition.status.in_(PUBLIC))
        .options(lazyload(Petition.theme))
    ).scalar_one_or_none()


def find_by_old_slug(slug: str) -> Petition | None:
    """The petition that once had this slug (for redirecting links shared earlier)."""
    row = db.session.get(PetitionSlug, slug)
    return db.session.get(Petition, row.petition_id) if row else None


def public_slug_now(old_slug: str) -> str | None:
    """The current slug of the public petition that once had `old_slug`, else None."""
    moved = find_by_old_slug(old_slug)
    return moved.slug if moved is not None and moved.is_public() else None
