"""Claiming delivery rows, a small batch at a time: one conditional UPDATE sets a lease on each row.

A row is claimable when it is queued and due, or when the worker holding it let its lease run out
(it died mid-send). What a batch changes for a worker that dies: it holds the rows of its batch, not
one row. Those it had sent but not yet recorded go out again once the lease runs out, with the same
Message-ID; those it had not tried wait for the lease too. Hence a small BATCH. A row whose lease ran
out is claimed alone: if its letter is what killed the worker, no other letter is held up or has an
attempt counted with it again (each claim counts one, and a row claimed too often is given up).
"""

import functools
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam

from campaign.dbutil import unlocked_ids
from campaign.delivery.due import claimable
from campaign.delivery.outcome import Attempt, Outcomes, SendResult
from campaign.delivery.prepare import RunCache, prepare_claimed
from campaign.extensions import db
from campaign.models import Delivery, DeliveryStatus

BATCH = 20  # letters claimed in one statement, sent over one connection, recorded together


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=current_app.config["DELIVERY_LEASE_SECONDS"])


def claim_due(
    now: datetime,
    due_by: datetime,
    record: Outcomes,
    budgets: dict | None = None,
    cache: RunCache | None = None,
) -> list[Attempt | SendResult]:
    """Take the next due rows (the sender's loop): up to BATCH of the oldest queued rows due by
    `due_by` that no other worker holds (so a row this run just put back for a retry is not taken
    again in the same run), else one row whose holder's lease ran out, and prepare their emails.
    Empty when nothing is due; a SendResult for a row decided without sending (throttled, skipped),
    gathered in `record`. The caller writes `record` and commits before sending, so other workers
    see the claim."""
    lease = _lease(now)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    params = {"c_now": now, "c_due_by": due_by, "c_lease": lease}
    ids = []
    for claim in _claim_statements(postgresql, BATCH):
        ids = db.session.execute(claim, params).scalars().all()
        if ids:
            break
    return prepare_claimed(ids, lease, now, record, {} if budgets is None else budgets, cache or RunCache())


@functools.cache
def _claim_statements(postgresql: bool, batch: int) -> tuple:
    """claim_due's two UPDATEs (queued rows, a batch; rows whose lease ran out, one), built once."""
    table = Delivery.__table__
    now = bindparam("c_now", type_=table.c.due_at.type)
    due_by = bindparam("c_due_by", type_=table.c.due_at.type)
    lease = bindparam("c_lease", type_=table.c.lease_until.type)
    statements = []
    for condition, limit in zip(claimable(table, now, due_by), (batch, 1), strict=True):
        candidates = db.select(table.c.id).where(condition).order_by(table.c.due_at).limit(limit)
        candidates = unlocked_ids(candidates, postgresql)  # two workers take different rows, `limit` at most
        statements.append(
            table.update()
            .where(table.c.id.in_(candidates), condition)  # the condition again: the row as it is once locked
            .values(status=DeliveryStatus.SENDING, lease_until=lease, attempts=table.c.attempts + 1)
            .returning(table.c.id)
        )
    return tuple(statements)


def more_due(now: datetime, due_by: datetime) -> bool:
    """Is another row waiting to be claimed (is a second worker worth waking)?"""
    table = Delivery.__table__
    return any(
        db.session.execute(db.select(table.c.id).where(condition).limit(1)).first() is not None
        for condition in claimable(table, now, due_by)
    )
