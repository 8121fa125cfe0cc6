"""Claiming delivery rows: one worker at a time per row, by a conditional UPDATE that sets a lease.

A row is claimable when it is queued and due, or when the worker holding it let its lease run out
(it died mid-send). A worker that dies holds one row, as with a job per row.
"""

import functools
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam

from campaign.delivery.due import claimable
from campaign.delivery.outcome import Attempt, SendResult
from campaign.delivery.prepare import RunCache, prepare
from campaign.extensions import db
from campaign.models import Delivery, DeliveryStatus


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=current_app.config["DELIVERY_LEASE_SECONDS"])


def claim_next(
    now: datetime, due_by: datetime, budgets: dict | None = None, cache: RunCache | None = None
) -> Attempt | SendResult | None:
    """Take the next due row, whichever it is (the sender's loop): the oldest due row that no other
    worker holds, queued rows only if due by `due_by` (so a row this run just put back for a retry is
    not taken again in the same run), and prepare its email. None when nothing is due; a SendResult
    when it was decided without sending (throttled, skipped), already recorded. The caller commits
    before sending, so other workers see the claim."""
    lease = _lease(now)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    for claim in _claim_statements(postgresql):
        delivery_id = db.session.execute(claim, {"c_now": now, "c_due_by": due_by, "c_lease": lease}).scalar()
        if delivery_id is not None:
            return prepare(delivery_id, lease, now, budgets, cache or RunCache())
    return None


@functools.cache
def _claim_statements(postgresql: bool) -> tuple:
    """claim_next's two UPDATEs, built once: the sender claims every letter with the same statements."""
    table = Delivery.__table__
    now = bindparam("c_now", type_=table.c.due_at.type)
    due_by = bindparam("c_due_by", type_=table.c.due_at.type)
    lease = bindparam("c_lease", type_=table.c.lease_until.type)
    statements = []
    for condition in claimable(table, now, due_by):
        candidate = db.select(table.c.id).where(condition).order_by(table.c.due_at).limit(1)
        if postgresql:
            candidate = candidate.with_for_update(skip_locked=True)  # two workers take two different rows
        statements.append(
            table.update()
            .where(table.c.id == candidate.scalar_subquery(), condition)
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
