"""Reconciliation: compare the tallies with the signature table, repair and log any drift.

The fold keeps the tallies equal to the signatures whose `counted` flag is set. This check recounts
those rows one petition at a time. It first takes the petition's tally row for update (an upsert
that adds nothing), so a fold touching the same petition waits until this transaction commits and
neither sees half of the other. Drift should never happen; when it does (a manual edit, a restore,
a bug) it is repaired, logged and written to the audit log.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func

from campaign import audit
from campaign.dbutil import add_to_counters, insert_ignoring_conflict
from campaign.extensions import db
from campaign.models import DailyTally, MetricTotal, Petition, PetitionTally, RegionTally, Signature
from campaign.models.base import utcnow

log = logging.getLogger(__name__)


@dataclass
class Drift:
    petition_id: int
    total: tuple[int, int] | None = None  # (was, now)
    days: dict = field(default_factory=dict)  # day -> (was, now)
    regions: dict = field(default_factory=dict)  # region -> (was, now)

    def __bool__(self) -> bool:
        return bool(self.total or self.days or self.regions)

    def describe(self) -> str:
        parts = []
        if self.total:
            parts.append(f"total {self.total[0]}->{self.total[1]}")
        parts += [f"day {day} {was}->{now}" for day, (was, now) in sorted(self.days.items())[:20]]
        parts += [f"region {region} {was}->{now}" for region, (was, now) in sorted(self.regions.items())[:20]]
        return "; ".join(parts)


def petition_ids() -> list[int]:
    return list(db.session.execute(db.select(Petition.id).order_by(Petition.id)).scalars())


def _lock_tally(petition_id: int) -> None:
    """Create the tally row if needed and hold it: a concurrent fold waits for our commit."""
    add_to_counters(
        PetitionTally.__table__,
        ["petition_id"],
        [{"petition_id": petition_id, "confirmed": 0, "updated_at": utcnow()}],
    )


def _counted_rows(petition_id: int):
    table = Signature.__table__
    return (
        db.select(func.count())
        .select_from(table)
        .where(table.c.petition_id == petition_id, table.c.counted.is_(True))
    )


def _counted_by(petition_id: int, column) -> Counter:
    rows = db.session.execute(_counted_rows(petition_id).add_columns(column).group_by(column))
    return Counter({key: n for n, key in rows})


def _check_rollup(model, key: str, petition_id: int, true_counts: dict) -> dict:
    """Compare a rollup (per day, per region) with the true counts and repair it; returns the drift."""
    stored = {
        getattr(row, key): row
        for row in db.session.execute(db.select(model).where(model.petition_id == petition_id)).scalars()
    }
    drift = _compare(true_counts, {value: row.confirmed for value, row in stored.items()})
    _repair(model, petition_id, key, drift, stored)
    return drift


def _compare(truth: Counter, stored: dict) -> dict:
    """key -> (stored, true) for every key whose stored count differs (missing rows count as 0)."""
    return {
        key: (stored.get(key, 0), truth.get(key, 0))
        for key in set(truth) | set(stored)
        if stored.get(key, 0) != truth.get(key, 0)
    }


def reconcile_petition(petition_id: int) -> Drift:
    """Bring one petition's tallies in line with its counted signatures. Flushes; the caller commits."""
    _lock_tally(petition_id)
    drift = Drift(petition_id)
    table = Signature.__table__

    tally = db.session.get(PetitionTally, petition_id, populate_existing=True)
    true_total = db.session.execute(_counted_rows(petition_id)).scalar_one()
    if tally.confirmed != true_total:
        drift.total = (tally.confirmed, true_total)
        tally.confirmed = true_total

    days = _counted_by(petition_id, table.c.confirmed_on)
    days.pop(None, None)  # the fold leaves signatures without a day out of the daily rollup too
    drift.days = _check_rollup(DailyTally, "day", petition_id, days)
    drift.regions = _check_rollup(
        RegionTally, "region", petition_id, _counted_by(petition_id, table.c.region)
    )

    if drift:
        tally.updated_at = utcnow()  # also tells the page caches that the figures changed
        log.warning("tally drift repaired for petition %s: %s", petition_id, drift.describe())
        audit.record("metrics.drift_repaired", f"petition:{petition_id}", drift.describe(), actor=None)
    db.session.flush()
    return drift


def _repair(model, petition_id: int, key_name: str, differences: dict, stored: dict) -> None:
    for key, (_, true) in differences.items():
        row = stored.get(key)
        if row is None:
            db.session.add(model(petition_id=petition_id, confirmed=true, **{key_name: key}))
        elif true == 0:
            db.session.delete(row)
        else:
            row.confirmed = true


def count_supporters() -> int:
    """Distinct addresses with a counted signature, stored for the metrics page. A scan of the
    signatures: run by the scheduled job only, never on a request. Flushes; the caller commits."""
    table = Signature.__table__
    supporters = db.session.execute(
        db.select(func.count(func.distinct(table.c.email_normalised))).where(table.c.counted.is_(True))
    ).scalar_one()
    # Two reconciliations may overlap: create the row if missing, then update it (no duplicate key).
    totals = MetricTotal.__table__
    insert_ignoring_conflict(totals, {"key": "supporters", "value": 0, "computed_at": utcnow()}, totals.c.key)
    db.session.execute(
        totals.update().where(totals.c.key == "supporters").values(value=supporters, computed_at=utcnow())
    )
    db.session.flush()
    return supporters
