"""Owing deliveries: outbox rows written in the caller's transaction, jobs enqueued after its commit.

Every verb flushes and leaves the commit to the caller. Rows are inserted with ON CONFLICT DO
NOTHING against the table's unique constraints, so an occasion (a letter, a milestone, a hand-over,
a digest period) owes each target one row however often it is queued.
"""

from datetime import datetime, timedelta
from typing import Protocol

from flask import current_app
from sqlalchemy import func, or_
from sqlalchemy.dialects import postgresql, sqlite

from campaign.delivery.due import claimable
from campaign.delivery.settings import settings_for
from campaign.extensions import db
from campaign.jobs import DELIVERY_NUDGE, SEND_DUE
from campaign.models import (
    Delivery,
    DeliveryKind,
    DeliverySettings,
    DeliveryStatus,
    Petition,
    PetitionStatus,
    PetitionTally,
    Signature,
    TargetMailHealth,
    petition_targets,
)
from campaign.models.base import amsterdam_day, amsterdam_midnight
from campaign.models.delivery import DigestFrequency
from campaign.queueing import enqueue, nudge_after_commit

RELAY_BATCH = 2000


def nudge_sender() -> None:
    """After commit, wake the batch sender: one debounced job, not a job per row."""
    nudge_after_commit(DELIVERY_NUDGE)


def _target_ids(petition_id: int) -> list[int]:
    return (
        db.session.execute(
            db.select(petition_targets.c.target_id).where(petition_targets.c.petition_id == petition_id)
        )
        .scalars()
        .all()
    )


def _insert_new(rows: list[dict]) -> list[int]:
    """Insert the rows the unique constraints allow; return the ids of those inserted."""
    if not rows:
        return []
    table = Delivery.__table__
    insert = (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(
        table
    )
    statement = insert.values(rows).on_conflict_do_nothing().returning(table.c.id)
    ids = db.session.execute(statement).scalars().all()
    if ids:
        nudge_sender()
    return ids


def _row(kind: str, key: str, petition_id: int, target_id: int, now: datetime, **extra) -> dict:
    row = {
        "kind": kind,
        "key": key,
        "petition_id": petition_id,
        "target_id": target_id,
        "signature_id": None,
        "threshold": None,
        "period_start": None,
        "period_end": None,
        "status": DeliveryStatus.QUEUED,
        "attempts": 0,
        "due_at": now,
        "undo_until": None,
        "created_at": now,
    }
    row.update(extra)
    return row


class SignatureIds(Protocol):
    """What queue_letters reads of a signature: a Signature row, or confirming's plain values."""

    id: int
    petition_id: int


def queue_letters(signature: SignatureIds, now: datetime) -> list[int]:
    """After a confirmation: owe each target of the petition this supporter's letter (letter mode only).

    On the confirm path, so cheap: a primary-key read, one small select, one insert. No shared row
    is updated; the per-target throttle is decided later, by the worker.
    """
    settings = settings_for(signature.petition_id)
    if settings is None or not settings.letters:
        return []
    return _insert_new(
        [
            _row(
                DeliveryKind.LETTER,
                f"letter:{signature.id}",
                signature.petition_id,
                target_id,
                now,
                signature_id=signature.id,
            )
            for target_id in _target_ids(signature.petition_id)
        ]
    )


def queue_handover(
    petition: Petition, now: datetime, force: bool = False, hold: timedelta | None = None
) -> list[int]:
    """The final count and full list, once per target: on closing when the mode is on, or on a
    campaigner's click (force). With `hold` (a campaigner caused it) the rows wait that long, and
    may be cancelled until then; a hand-over cancelled earlier is owed again."""
    settings = settings_for(petition.id)
    if not force and (settings is None or not settings.handover):
        return []
    due = now + hold if hold else now
    undo_until = due if hold else None
    rearmed = _rearm_cancelled(petition.id, due, undo_until)
    inserted = _insert_new(
        [
            _row(
                DeliveryKind.HANDOVER,
                "handover",
                petition.id,
                target_id,
                now,
                due_at=due,
                undo_until=undo_until,
            )
            for target_id in _target_ids(petition.id)
        ]
    )
    if rearmed and not inserted:
        nudge_sender()
    return rearmed + inserted


def _rearm_cancelled(petition_id: int, due: datetime, undo_until: datetime | None) -> list[int]:
    table = Delivery.__table__
    return (
        db.session.execute(
            table.update()
            .where(
                table.c.petition_id == petition_id,
                table.c.kind == DeliveryKind.HANDOVER,
                table.c.status == DeliveryStatus.CANCELLED,
            )
            .values(status=DeliveryStatus.QUEUED, due_at=due, undo_until=undo_until, attempts=0)
            .returning(table.c.id)
        )
        .scalars()
        .all()
    )


def pending_undo(petition_id: int, now: datetime) -> list[Delivery]:
    """Mail to officials that a campaigner caused and may still cancel."""
    return (
        db.session.execute(
            db.select(Delivery)
            .where(
                Delivery.petition_id == petition_id,
                Delivery.status == DeliveryStatus.QUEUED,
                Delivery.undo_until > now,
            )
            .order_by(Delivery.id)
        )
        .scalars()
        .all()
    )


def cancel_pending(petition_id: int, now: datetime) -> int:
    """Cancel the mail still inside its undo window. A row a worker already claimed is not touched
    (the claim is a conditional UPDATE on 'queued' too, so exactly one of the two wins)."""
    table = Delivery.__table__
    result = db.session.execute(
        table.update()
        .where(
            table.c.petition_id == petition_id,
            table.c.status == DeliveryStatus.QUEUED,
            table.c.undo_until > now,
        )
        .values(status=DeliveryStatus.CANCELLED, undo_until=None)
    )
    return result.rowcount


def queue_milestones(now: datetime) -> list[int]:
    """Compare each open petition's count with its thresholds; owe one notice per threshold passed."""
    rows = db.session.execute(
        db.select(DeliverySettings, Petition.goal, PetitionTally.confirmed)
        .join(Petition, Petition.id == DeliverySettings.petition_id)
        .join(PetitionTally, PetitionTally.petition_id == DeliverySettings.petition_id)
        .where(
            Petition.status == PetitionStatus.OPEN,
            or_(DeliverySettings.milestones != "", DeliverySettings.milestone_goal.is_(True)),
        )
    ).all()
    owed = []
    for settings, goal, confirmed in rows:
        passed = [value for value in settings.thresholds(goal) if confirmed >= value]
        if passed:
            owed += [
                _row(
                    DeliveryKind.MILESTONE,
                    f"milestone:{value}",
                    settings.petition_id,
                    target_id,
                    now,
                    threshold=value,
                )
                for target_id in _target_ids(settings.petition_id)
                for value in passed
            ]
    return _insert_new(owed)


def digest_period(frequency: str, now: datetime) -> tuple[datetime, datetime]:
    """The last whole day or week (Monday to Monday) in Amsterdam, as naive UTC."""
    local_today = amsterdam_day(now)
    if frequency == DigestFrequency.WEEKLY:
        end_day = local_today - timedelta(days=local_today.weekday())
        start_day = end_day - timedelta(days=7)
    else:
        end_day, start_day = local_today, local_today - timedelta(days=1)
    return amsterdam_midnight(start_day), amsterdam_midnight(end_day)


def queue_digest(petition: Petition, settings: DeliverySettings, now: datetime) -> list[int]:
    """Owe each target the digest of the last period, if it brought new signatures."""
    if settings.digest not in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        return []
    start, end = digest_period(settings.digest, now)
    new = db.session.execute(
        db.select(func.count())
        .select_from(Signature)
        .where(
            Signature.petition_id == petition.id,
            Signature.counts,
            Signature.confirmed_at >= start,
            Signature.confirmed_at < end,
        )
    ).scalar()
    if not new:
        return []
    key = f"digest:{settings.digest}:{start:%Y-%m-%d}"
    return _insert_new(
        [
            _row(DeliveryKind.DIGEST, key, petition.id, target_id, now, period_start=start, period_end=end)
            for target_id in _target_ids(petition.id)
        ]
    )


def queue_digests(now: datetime) -> list[int]:
    settings_rows = (
        db.session.execute(
            db.select(DeliverySettings)
            .join(Petition, Petition.id == DeliverySettings.petition_id)
            .where(DeliverySettings.digest != DigestFrequency.OFF, Petition.status == PetitionStatus.OPEN)
        )
        .scalars()
        .all()
    )
    owed = []
    for settings in settings_rows:
        owed += queue_digest(settings.petition, settings, now)
    return owed


def retry_delivery(delivery: Delivery, now: datetime) -> bool:
    """A campaigner retries a failed delivery (after fixing the target's address, say). Clears the
    target's block: retrying is the campaigner saying the address is worth another try."""
    if delivery.status != DeliveryStatus.FAILED:
        return False
    delivery.status, delivery.due_at, delivery.attempts = DeliveryStatus.QUEUED, now, 0
    delivery.lease_until = None
    _unblock(delivery.target_id)
    db.session.flush()
    nudge_sender()
    return True


def retry_failed(petition_id: int, now: datetime) -> int:
    failed = (
        db.session.execute(
            db.select(Delivery).where(
                Delivery.petition_id == petition_id, Delivery.status == DeliveryStatus.FAILED
            )
        )
        .scalars()
        .all()
    )
    return sum(retry_delivery(delivery, now) for delivery in failed)


def _unblock(target_id: int) -> None:
    health = db.session.get(TargetMailHealth, target_id)
    if health is not None:
        health.failures_in_a_row, health.blocked_email, health.blocked_at = 0, None, None


def wake_overdue(now: datetime, grace: timedelta) -> int:
    """The relay's part for deliveries: wake the sender for rows due in the database that may be
    missing from Redis. Returns how many it found (up to RELAY_BATCH)."""
    found = len(relay_due(now, grace, RELAY_BATCH))
    if found:
        enqueue(SEND_DUE)
    return found


def relay_due(now: datetime, grace: timedelta, limit: int) -> list[int]:
    """Rows a job should be working on but may not be: due a while ago and still queued (their job
    was lost with Redis), or claimed by a worker whose lease ran out (it died mid-send)."""
    return (
        db.session.execute(
            db.select(Delivery.id)
            .where(or_(*claimable(Delivery.__table__, now, now - grace)))
            .order_by(Delivery.due_at)
            .limit(limit)
        )
        .scalars()
        .all()
    )


def undo_window() -> timedelta:
    """How long mail to officials that a campaigner caused waits before it leaves (HANDOVER_UNDO_MINUTES)."""
    return timedelta(minutes=current_app.config["HANDOVER_UNDO_MINUTES"])
