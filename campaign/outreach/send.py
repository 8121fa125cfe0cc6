"""Sending update mail: claim a batch of due rows with a lease, send each over the worker's reused SMTP
connection, record each outcome (only the lease holder may).

At most once per supporter and update: the rows are unique per (update, signature), a claimed row is
held by one worker, and a sent row is never claimed again. A worker that dies between the server's
"250" and its record leaves a lease that runs out; that row is sent again (the one case SMTP cannot
rule out, as for letters to officials). Temporary failures (4xx, a dropped connection) are retried with
backoff; permanent ones (5xx, a message that cannot be written) are recorded at once, sorted by
campaign.mail.classify_failure like letters and supporter mail. A supporter who unsubscribed or withdrew since
the update left is skipped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, bindparam, or_

from campaign.dbutil import unlocked_ids
from campaign.extensions import db
from campaign.jobs import SEND_UPDATES
from campaign.mail import classify_failure, public_url, retry_delay
from campaign.mail import send as send_over_held_connection
from campaign.models import (
    Account,
    Petition,
    Signature,
    SupporterUpdate,
    UpdateMail,
    UpdateMailStatus,
    UpdateStatus,
)
from campaign.models.base import utcnow
from campaign.outreach.messages import update_message
from campaign.outreach.unsubscribe import TEST
from campaign.petitions.markup import render_markdown
from campaign.queueing import enqueue

LEASE = timedelta(minutes=2)
BATCH = 100


@dataclass
class Recipient:
    mail_id: int
    update_id: int
    signature_id: int
    attempts: int
    name: str = ""
    email: str = ""
    locale: str = "nl"
    wanted: bool = True  # still confirmed, counted, subscribed and not wiped


def claim_batch(now: datetime, limit: int = BATCH) -> tuple[datetime, list[Recipient]]:
    """Due rows, or rows whose worker's lease ran out, taken with a fresh lease. Flushes."""
    table = UpdateMail.__table__
    lease = now + LEASE
    claimable = or_(
        and_(table.c.status == UpdateMailStatus.QUEUED, table.c.due_at <= now),
        and_(table.c.status == UpdateMailStatus.SENDING, table.c.lease_until < now),
    )
    candidates = db.select(table.c.id).where(claimable).order_by(table.c.due_at).limit(limit)
    candidates = unlocked_ids(candidates, db.session.get_bind().dialect.name == "postgresql")
    rows = db.session.execute(
        table.update()
        .where(table.c.id.in_(candidates), claimable)
        .values(status=UpdateMailStatus.SENDING, lease_until=lease, attempts=table.c.attempts + 1)
        .returning(table.c.id, table.c.update_id, table.c.signature_id, table.c.attempts)
    ).all()
    recipients = [Recipient(*row) for row in rows]
    _fill(recipients)
    return lease, recipients


def _fill(recipients: list[Recipient]) -> None:
    """Each recipient's name, address and language, and whether they still want updates (one query)."""
    if not recipients:
        return
    found = {
        row.id: row
        for row in db.session.execute(
            db.select(
                Signature.id,
                Signature.name,
                Signature.email,
                Signature.locale,
                Signature.newsletter,
                Signature.counts.label("counts"),
                Signature.anonymised_at,
            ).where(Signature.id.in_([r.signature_id for r in recipients]))
        )
    }
    for recipient in recipients:
        row = found.get(recipient.signature_id)
        recipient.wanted = bool(row and row.newsletter and row.counts and row.anonymised_at is None)
        if row is not None:
            recipient.name, recipient.email, recipient.locale = row.name, row.email, row.locale


class UpdateCache:
    """Per run: each update, its petition, the petition's link and the rendered body (plain copies)."""

    def __init__(self):
        self.entries: dict[int, tuple] = {}

    def get(self, update_id: int):
        if update_id not in self.entries:
            update = db.session.get(SupporterUpdate, update_id)
            petition = db.session.get(Petition, update.petition_id)
            url = public_url("public.petition", slug=petition.slug)
            self.entries[update_id] = (update, petition, url, render_markdown(update.body))
        return self.entries[update_id]


def send_claimed(recipients: list[Recipient], lease: datetime, cache: UpdateCache) -> dict[str, int]:
    """Send a claimed batch; record every outcome (flushes; the caller commits). Returns the tally.
    Builds all messages first (the SMTP conversation then runs without touching the database)."""
    outcomes = {"sent": [], "skipped": [], "retry": [], "failed": []}
    errors: dict[int, str] = {}
    try:
        for recipient in recipients:
            if not recipient.wanted:
                outcomes["skipped"].append(recipient)
                continue
            if recipient.attempts > current_app.config["UPDATE_MAX_ATTEMPTS"]:  # its runs kept breaking off
                outcomes["failed"].append(recipient)
                errors[recipient.mail_id] = "gave up: the send was cut off too often"
                continue
            update, petition, url, body_html = cache.get(recipient.update_id)
            message = update_message(update, petition, url, recipient, body_html)
            try:
                send_over_held_connection(message)
            except Exception as error:  # noqa: BLE001 - sorted into permanent or temporary (campaign.mail)
                failure = classify_failure(error)
                too_many = recipient.attempts >= current_app.config["UPDATE_MAX_ATTEMPTS"]
                outcomes["failed" if failure.permanent or too_many else "retry"].append(recipient)
                errors[recipient.mail_id] = failure.text
            else:
                outcomes["sent"].append(recipient)
    finally:  # what went out is recorded even if the batch broke off (the rest waits for the lease)
        _record(outcomes, errors, lease)
    return {kind: len(rows) for kind, rows in outcomes.items()}


def _record(outcomes: dict, errors: dict, lease: datetime) -> None:
    table = UpdateMail.__table__
    held = and_(table.c.id == bindparam("m_id"), table.c.lease_until == bindparam("m_lease"))
    now = utcnow()
    plans = {
        "sent": {"status": UpdateMailStatus.SENT, "sent_at": now, "lease_until": None, "last_error": None},
        "skipped": {"status": UpdateMailStatus.SKIPPED, "lease_until": None, "last_error": "unsubscribed"},
        "failed": {
            "status": UpdateMailStatus.FAILED,
            "lease_until": None,
            "last_error": bindparam("m_error"),
        },
    }
    for kind, values in plans.items():
        if outcomes[kind]:
            db.session.execute(
                table.update().where(held).values(**values),
                [
                    {"m_id": r.mail_id, "m_lease": lease, "m_error": errors.get(r.mail_id, "")}
                    for r in outcomes[kind]
                ],
            )
    if outcomes["retry"]:
        first = current_app.config["UPDATE_RETRY_SECONDS"]
        db.session.execute(
            table.update()
            .where(held)
            .values(
                status=UpdateMailStatus.QUEUED,
                lease_until=None,
                due_at=bindparam("m_due"),
                last_error=bindparam("m_error"),
            ),
            [
                {
                    "m_id": r.mail_id,
                    "m_lease": lease,
                    "m_due": now + retry_delay(r.attempts, first),
                    "m_error": errors.get(r.mail_id, ""),
                }
                for r in outcomes["retry"]
            ],
        )


def finish_done_updates(update_ids: set[int]) -> None:
    """Mark an update sent once none of its rows waits any more."""
    for update_id in update_ids:
        waiting = db.session.execute(
            db.select(UpdateMail.id)
            .where(
                UpdateMail.update_id == update_id,
                UpdateMail.status.in_([UpdateMailStatus.QUEUED, UpdateMailStatus.SENDING]),
            )
            .limit(1)
        ).scalar()
        if waiting is None:
            db.session.execute(
                SupporterUpdate.__table__.update()
                .where(SupporterUpdate.id == update_id, SupporterUpdate.status == UpdateStatus.SENDING)
                .values(status=UpdateStatus.SENT)
            )


def next_due() -> datetime | None:
    """When the next queued row falls due (for a throttled or retried remainder)."""
    return db.session.execute(
        db.select(db.func.min(UpdateMail.due_at)).where(UpdateMail.status == UpdateMailStatus.QUEUED)
    ).scalar()


def overdue(now: datetime, grace: timedelta) -> bool:
    """For the relay: rows due a while ago and still queued, or held past their lease."""
    table = UpdateMail.__table__
    return (
        db.session.execute(
            db.select(table.c.id)
            .where(
                or_(
                    and_(table.c.status == UpdateMailStatus.QUEUED, table.c.due_at < now - grace),
                    and_(table.c.status == UpdateMailStatus.SENDING, table.c.lease_until < now),
                )
            )
            .limit(1)
        ).scalar()
        is not None
    )


def wake_overdue(now: datetime, grace: timedelta) -> int:
    """The relay's part for updates: wake the sender when rows wait past their time (their nudge
    was lost with Redis, or a worker died holding them). Returns jobs enqueued."""
    if not overdue(now, grace):
        return 0
    enqueue(SEND_UPDATES)
    return 1


def send_test_mail(update_id: int, account_id: int) -> str:
    """The update as a supporter gets it, to the campaigner's own address (its links change nothing)."""
    account = db.session.get(Account, account_id)
    if account is None:
        return "gone"
    update, petition, url, body_html = UpdateCache().get(update_id)
    recipient = SimpleNamespace(
        signature_id=TEST, name=account.name or account.email, email=account.email, locale="nl"
    )
    message = update_message(update, petition, url, recipient, body_html)
    message.subject = f"[TEST] {message.subject}"
    send_over_held_connection(message)
    return "sent"
