"""Reading counts: primary-key look-ups on the tallies, cached in-process for a moment.

A viral petition's page and count.json are read thousands of times a second; each process keeps the
answer for COUNT_CACHE_SECONDS, so the database sees a handful of reads per second per process.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from campaign.extensions import db
from campaign.models import Petition, PetitionStatus, PetitionTally


@dataclass(frozen=True)
class Count:
    confirmed: int
    updated_at: datetime | None


@dataclass(frozen=True)
class PublicPetition:
    """What count.json needs of a petition: kept per process as long as a count is."""

    id: int
    slug: str
    goal: int | None


_cache: dict[int, tuple[float, Count]] = {}
_by_slug: dict[str, tuple[float, PublicPetition | None]] = {}


def public_petition(slug: str) -> PublicPetition | None:
    """The public (open or closed) petition with this slug, else None; cached COUNT_CACHE_SECONDS,
    so a widget polled thousands of times a second costs no query per request."""
    now = time.monotonic()
    cached = _by_slug.get(slug)
    if cached and now - cached[0] < current_app.config["COUNT_CACHE_SECONDS"]:
        return cached[1]
    row = db.session.execute(
        db.select(Petition.id, Petition.slug, Petition.goal, Petition.status).where(Petition.slug == slug)
    ).first()
    found = None
    if row is not None and row.status in (PetitionStatus.OPEN, PetitionStatus.CLOSED):
        found = PublicPetition(row.id, row.slug, row.goal)
    if len(_by_slug) > 10_000:  # unknown slugs are remembered too: a bound, not an eviction policy
        _by_slug.clear()
    _by_slug[slug] = (now, found)
    return found


def petition_counts(petition_ids: list[int]) -> dict[int, Count]:
    """The confirmed count of each petition (0 for one with no tally yet)."""
    ttl = current_app.config["COUNT_CACHE_SECONDS"]
    now = time.monotonic()
    result, missing = {}, []
    for petition_id in petition_ids:
        cached = _cache.get(petition_id)
        if cached and now - cached[0] < ttl:
            result[petition_id] = cached[1]
        else:
            missing.append(petition_id)
    if missing:
        rows = db.session.execute(
            db.select(PetitionTally.petition_id, PetitionTally.confirmed, PetitionTally.updated_at).where(
                PetitionTally.petition_id.in_(missing)
            )
        ).all()
        found = {row.petition_id: Count(row.confirmed, row.updated_at) for row in rows}
        for petition_id in missing:
            count = found.get(petition_id, Count(0, None))
            _cache[petition_id] = (now, count)
            result[petition_id] = count
    return result


def petition_count(petition_id: int) -> Count:
    return petition_counts([petition_id])[petition_id]


def forget_cached_counts() -> None:
    """For tests and the CLI: the next read goes to the database."""
    from campaign.metrics.cache import forget_all

    _cache.clear()
    _by_slug.clear()
    forget_all()
