"""Sending one delivery row: claim it with a lease, check the target's budget and window, send,
record the outcome. The worker commits after the claim and after the outcome.

Exactly-once as far as SMTP allows: a row is claimed by one worker at a time (a conditional UPDATE),
and the outcome is recorded only by the holder of the lease. A worker that dies between the
server's "250" and its own record leaves a lease that runs out; the relay enqueues the row again and
the resend carries the same Message-ID, so receiving systems can tell it is the same email.
"""

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_

from campaign.delivery import transport
from campaign.delivery.messages import build_message, message_id
from campaign.delivery.settings import settings_for
from campaign.delivery.throttle import next_daytime, throttle
from campaign.dbutil import insert_ignoring_conflict
from campaign.extensions import db
from campaign.models import Delivery, DeliveryKind, DeliveryStatus, TargetMailHealth

# Markers stored in last_error for failures that are ours, not the server's (the studio words them).
BLOCKED = "skipped: address blocked"
WITHDRAWN = "skipped: signature withdrawn"
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | retry | postponed | failed | skipped
    retry_at: datetime | None = None  # when the row is due again (retry, postponed)


class Claim:
    def __init__(self, delivery: Delivery, lease: datetime):
        self.delivery, self.lease = delivery, lease


def claim_delivery(delivery_id: int, now: datetime) -> Claim | None:
    """Take the row if it is due and nobody holds it (or the holder's lease ran out). Caller commits
    before sending, so other workers see the claim."""
    table = Delivery.__table__
    lease = now + timedelta(seconds=current_app.config["DELIVERY_LEASE_SECONDS"])
    taken = db.session.execute(
        table.update()
        .where(table.c.id == delivery_id, or_(
            and_(table.c.status == DeliveryStatus.QUEUED, table.c.due_at <= now),
            and_(table.c.status == DeliveryStatus.SENDING, table.c.lease_until < now),
        ))
        .values(status=DeliveryStatus.SENDING, lease_until=lease, attempts=table.c.attempts + 1)
    ).rowcount
    if not taken:
        return None
    return Claim(db.session.get(Delivery, delivery_id, populate_existing=True), lease)


def send_delivery(claim: Claim, now: datetime) -> Outcome:
    """Send a claimed row and record what happened (flushes; the caller commits)."""
    delivery = claim.delivery
    if _blocked(delivery):
        return _finish(claim, DeliveryStatus.FAILED, last_error=BLOCKED, outcome="skipped")
    settings = settings_for(delivery.petition_id)
    if delivery.kind == DeliveryKind.LETTER and settings is not None:
        later = _not_yet(delivery, settings, now)
        if later is not None:
            return _finish(claim, DeliveryStatus.QUEUED, due_at=later, attempts=delivery.attempts - 1,
                           outcome="postponed")
    message = build_message(delivery, settings)
    if message is None:
        return _finish(claim, DeliveryStatus.FAILED, last_error=WITHDRAWN, outcome="skipped")
    try:
        transport.send(message)
    except smtplib.SMTPResponseException as error:
        return _failed(claim, error.smtp_code, _reply(error.smtp_code, error.smtp_error), now)
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        return _failed(claim, code, _reply(code, text), now)
    except (smtplib.SMTPException, OSError) as error:  # timeouts, refused or dropped connections
        return _failed(claim, None, f"{type(error).__name__}: {error}"[:500], now)
    _record_health(delivery, error=None, now=now)
    return _finish(claim, DeliveryStatus.SENT, sent_at=now, last_error=None, message_id=message.msgId,
                   outcome="sent")


def _not_yet(delivery: Delivery, settings, now: datetime) -> datetime | None:
    """When a letter must wait: outside the target's daytime window, or over its hourly budget."""
    if settings.daytime_only:
        opening = next_daytime(now, delivery.target.timezone, settings.day_starts, settings.day_ends)
        if opening is not None:
            return opening
    wait = throttle(delivery.petition_id, delivery.target_id, settings.letters_per_hour)
    return now + timedelta(seconds=wait) if wait else None


def _failed(claim: Claim, code: int | None, text: str, now: datetime) -> Outcome:
    delivery = claim.delivery
    permanent = code is not None and 500 <= code < 600
    if permanent:
        _record_health(delivery, error=text, now=now)
        return _finish(claim, DeliveryStatus.FAILED, last_error=text, message_id=message_id(delivery),
                       outcome="failed")
    if delivery.attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]:
        return _finish(claim, DeliveryStatus.FAILED, last_error=text, outcome="failed")
    backoff = timedelta(seconds=current_app.config["DELIVERY_RETRY_SECONDS"] * 2 ** (delivery.attempts - 1))
    due = now + min(backoff, MAX_BACKOFF)
    return _finish(claim, DeliveryStatus.QUEUED, due_at=due, last_error=text, outcome="retry")


def _finish(claim: Claim, status: str, outcome: str, **values) -> Outcome:
    """Record the outcome, if the lease is still ours (else another worker has taken over)."""
    table = Delivery.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == claim.delivery.id, table.c.status == DeliveryStatus.SENDING,
               table.c.lease_until == claim.lease)
        .values(status=status, lease_until=None, **values)
    )
    return Outcome(outcome, values.get("due_at"))


def _reply(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"[:500]


def _blocked(delivery: Delivery) -> bool:
    health = db.session.get(TargetMailHealth, delivery.target_id)
    return bool(health and health.blocked_email and health.blocked_email == delivery.target.email)


def _record_health(delivery: Delivery, error: str | None, now: datetime) -> None:
    """Count permanent failures in a row per target; a success (or a new address) starts over."""
    table = TargetMailHealth.__table__
    if error is None:
        db.session.execute(table.update().where(table.c.target_id == delivery.target_id,
                                                table.c.failures_in_a_row > 0)
                           .values(failures_in_a_row=0, blocked_email=None, blocked_at=None))
        return
    insert_ignoring_conflict(table, {"target_id": delivery.target_id, "failures_in_a_row": 0},
                             returning=table.c.target_id)
    health = db.session.get(TargetMailHealth, delivery.target_id, populate_existing=True)
    if health.blocked_email and health.blocked_email != delivery.target.email:
        health.failures_in_a_row, health.blocked_email, health.blocked_at = 0, None, None  # fixed since
    health.failures_in_a_row += 1
    health.last_error = error
    if health.failures_in_a_row >= current_app.config["DELIVERY_BLOCK_AFTER"]:
        health.blocked_email, health.blocked_at = delivery.target.email, now
    db.session.flush()
