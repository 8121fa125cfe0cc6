"""Momentum without names: how many people signed a petition in the last hour.

The fold adds each newly counted (or uncounted) signature to its petition's minute of confirmation
in `recent_tallies` and drops minutes older than RECENT_KEEP; a page sums at most sixty rows by
primary key, cached per process for a minute. Shown only from SOCIAL_PROOF_MIN up: "1 person
signed in the last hour" persuades nobody and says more about that one person than a crowd does.
"""

from collections import Counter
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func

from campaign.dbutil import add_to_counters
from campaign.extensions import db
from campaign.metrics.cache import remember
from campaign.models import RecentTally

WINDOW = timedelta(hours=1)
RECENT_KEEP = timedelta(hours=2)


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def add_recent(flipped: Counter, now: datetime) -> None:
    """From the fold: (petition id, confirmation minute) -> +n/-n. Minutes too old to matter are
    left out, and rows past RECENT_KEEP are dropped. Flushes with the fold's transaction."""
    oldest = minute_of(now - RECENT_KEEP)
    rows = [
        {"petition_id": petition_id, "minute": minute, "confirmed": n}
        for (petition_id, minute), n in sorted(flipped.items())
        if n and minute >= oldest
    ]
    add_to_counters(RecentTally.__table__, ["petition_id", "minute"], rows)
    db.session.execute(db.delete(RecentTally).where(RecentTally.minute < oldest))


def signed_last_hour(petition_id: int, now: datetime) -> int:
    since = minute_of(now - WINDOW)
    return int(
        db.session.execute(
            db.select(func.coalesce(func.sum(RecentTally.confirmed), 0)).where(
                RecentTally.petition_id == petition_id, RecentTally.minute > since
            )
        ).scalar_one()
    )


def momentum(petition_id: int, now: datetime) -> int | None:
    """The number to show ("n mensen tekenden het afgelopen uur"), or None below the threshold."""
    n = remember(
        ("signed-last-hour", petition_id), minute_of(now), 60, lambda: signed_last_hour(petition_id, now)
    )
    return n if n >= current_app.config["SOCIAL_PROOF_MIN"] else None
