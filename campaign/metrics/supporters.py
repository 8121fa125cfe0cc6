"""The number of people who signed (distinct addresses): right within a minute, or not shown.

Counting distinct addresses needs a scan of the signatures, so no request does it. The fold job
(workers.tally.fold, every few seconds and after confirmations) recounts when the tallies changed
since the last count and that count is older than SUPPORTERS_RECOUNT_SECONDS. A page shows the
number only while it is current: counted after the last change, or less than twice that old.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func

from campaign.extensions import db
from campaign.metrics.reconcile import count_supporters
from campaign.models import MetricTotal, PetitionTally


def _last_change() -> datetime | None:
    return db.session.execute(db.select(func.max(PetitionTally.updated_at))).scalar_one()


def recount_if_stale(now: datetime) -> bool:
    """Recount the people when the tallies moved since the last count and it is old enough.
    Flushes; the caller commits. Returns whether it counted."""
    stored = db.session.get(MetricTotal, "supporters", populate_existing=True)
    last_change = _last_change()
    if last_change is None:
        return False
    seconds = current_app.config["SUPPORTERS_RECOUNT_SECONDS"]
    if stored is not None and (
        stored.computed_at >= last_change or now - stored.computed_at < timedelta(seconds=seconds)
    ):
        return False
    count_supporters()
    return True


def current_supporters(stored: MetricTotal | None, last_change: datetime | None, now: datetime) -> int | None:
    """The stored number if it is still right (or at most a minute behind), else None."""
    if stored is None:
        return None
    if last_change is None or stored.computed_at >= last_change:
        return stored.value
    fresh_for = timedelta(seconds=2 * current_app.config["SUPPORTERS_RECOUNT_SECONDS"])
    return stored.value if now - stored.computed_at <= fresh_for else None
