"""The count fold: brings the tallies in line with the signatures, in batches.

A signature is counted when it is confirmed and not flagged as abuse. Its `counted` flag says whether
the tallies include it; the fold flips the flag and adjusts the tallies in one transaction, so running it twice, or in two
workers at once, counts every signature once. The sign and confirm requests never touch a tally row.
"""

from collections import Counter

from sqlalchemy import and_, not_, or_

from campaign.dbutil import add_to_counters, unlocked_ids
from campaign.extensions import db
from campaign.metrics.recent import add_recent, minute_of
from campaign.models import DailyTally, PetitionTally, RegionTally, Signature
from campaign.models.base import utcnow

BATCH = 5000


def _out_of_step(table):
    should_count = Signature.counts  # the one definition of what counts (campaign.models.signature)
    return or_(
        and_(table.c.counted.is_(False), should_count), and_(table.c.counted.is_(True), not_(should_count))
    )


def fold_batch(limit: int = BATCH) -> int:
    """Fold up to `limit` signatures into the tallies. Flushes; the caller commits. Returns the number."""
    table = Signature.__table__
    candidates = db.select(table.c.id).where(_out_of_step(table)).order_by(table.c.id).limit(limit)
    # Rows locked in id order, skipping those another fold holds: two folds at once take different
    # rows instead of deadlocking on each other's.
    candidates = unlocked_ids(candidates, db.session.get_bind().dialect.name == "postgresql")
    # The state test is repeated on the UPDATE itself: a concurrent fold that took the row first
    # leaves it in step, so PostgreSQL's re-check skips it here and it is not counted twice.
    flipped = db.session.execute(
        table.update()
        .where(table.c.id.in_(candidates), _out_of_step(table))
        .values(counted=not_(table.c.counted))
        .returning(
            table.c.petition_id, table.c.confirmed_on, table.c.region, table.c.counted, table.c.confirmed_at
        )
    ).all()
    per_petition, per_day, per_region, per_minute = Counter(), Counter(), Counter(), Counter()
    for petition_id, day, region, counted_now, confirmed_at in flipped:
        delta = 1 if counted_now else -1
        per_petition[petition_id] += delta
        per_day[(petition_id, day)] += delta
        per_region[(petition_id, region)] += delta
        if confirmed_at is not None:
            per_minute[(petition_id, minute_of(confirmed_at))] += delta
    now = utcnow()
    # Rows in key order: two folds at once then lock tally rows in the same order and cannot deadlock.
    add_to_counters(
        PetitionTally.__table__,
        ["petition_id"],
        [{"petition_id": p, "confirmed": n, "updated_at": now} for p, n in sorted(per_petition.items())],
        also_set=("updated_at",),
    )
    add_to_counters(
        DailyTally.__table__,
        ["petition_id", "day"],
        [
            {"petition_id": p, "day": d, "confirmed": n}
            for (p, d), n in sorted(item for item in per_day.items() if item[0][1] is not None)
        ],
    )
    add_to_counters(
        RegionTally.__table__,
        ["petition_id", "region"],
        [{"petition_id": p, "region": r, "confirmed": n} for (p, r), n in sorted(per_region.items())],
    )
    add_recent(per_minute, now)
    return len(flipped)
