"""Web addresses from titles: transliterated to plain ASCII (python-slugify with text-unidecode, so
"Één Straße voor Kyïv" becomes "een-strasse-voor-kyiv"), short, and unique among petitions' current
and retired slugs."""

from slugify import slugify

from campaign.extensions import db
from campaign.models import Petition, PetitionSlug

MAX_LENGTH = 80  # the column allows 120; a shorter address reads better in a shared link
FALLBACK = "petitie"


def slug_for(title: str) -> str:
    return slugify(title or "", max_length=MAX_LENGTH, word_boundary=True) or FALLBACK


def _taken(slug: str, own_id: int | None) -> bool:
    current = db.session.execute(db.select(Petition.id).where(Petition.slug == slug)).scalar()
    retired = db.session.get(PetitionSlug, slug)
    return (current is not None and current != own_id) or (
        retired is not None and retired.petition_id != own_id
    )


def unique_slug(title: str, own_id: int | None = None) -> str:
    """The title's slug, or with -2, -3... after it when another petition has (or had) it. A concurrent
    save of the same title can still collide: the unique constraint decides, the form says so."""
    base = slug_for(title)
    candidate, n = base, 1
    while _taken(candidate, own_id):
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate
