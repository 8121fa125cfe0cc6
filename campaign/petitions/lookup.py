"""Finding a petition the public may see, by the slug in its address (current or an earlier one)."""

from sqlalchemy import bindparam
from sqlalchemy.orm import lazyload

from campaign.dbutil import read
from campaign.extensions import db
from campaign.models import Petition, PetitionSlug, PetitionStatus
from campaign.models.petition import PetitionGate

PUBLIC = (PetitionStatus.OPEN, PetitionStatus.CLOSED)

# Built once, not per request: the statements never change, and every public page and sign post
# runs one. The theme is loaded only when a page reads it (the sign post and a cached page never do).
_PETITION_BY_SLUG = (
    db.select(Petition)
    .where(Petition.slug == bindparam("slug"), Petition.status.in_(PUBLIC))
    .options(lazyload(Petition.theme))
)
# On the table, not the mapped class: a Core statement needs no ORM compile state or result rows.
_PETITIONS = Petition.__table__
_GATE_BY_SLUG = db.select(
    _PETITIONS.c.id,
    _PETITIONS.c.slug,
    _PETITIONS.c.status,
    _PETITIONS.c.opens_at,
    _PETITIONS.c.closes_at,
    _PETITIONS.c.updated_at,
).where(_PETITIONS.c.slug == bindparam("slug"), _PETITIONS.c.status.in_(PUBLIC))


def find_public_petition(slug: str) -> Petition | None:
    """The open or closed petition with this slug."""
    return db.session.execute(_PETITION_BY_SLUG, {"slug": slug}).scalar_one_or_none()


def find_public_gate(slug: str) -> PetitionGate | None:
    """What signing and a cached page need of the public petition with this slug, as plain values:
    loading the whole row as an object is for rendering it."""
    row = read(_GATE_BY_SLUG, {"slug": slug}).one_or_none()
    return PetitionGate(*row) if row is not None else None


def find_by_old_slug(slug: str) -> Petition | None:
    """The petition that once had this slug (for redirecting links shared earlier)."""
    row = db.session.get(PetitionSlug, slug)
    return db.session.get(Petition, row.petition_id) if row else None


def public_slug_now(old_slug: str) -> str | None:
    """The current slug of the public petition that once had `old_slug`, else None."""
    moved = find_by_old_slug(old_slug)
    return moved.slug if moved is not None and moved.is_public() else None
