"""What became of a claimed delivery row, recorded only by the holder of its lease: sent, back in the
queue (retry, postponed), failed or skipped. Also the target's mail health, which permanent failures
in a row turn into a block.

A batch's outcomes are gathered (Outcomes) and written together before the next claim, in the same
transaction as it: one statement per set of columns rather than one per letter."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_mail import Message
from sqlalchemy import bindparam

from campaign.dbutil import insert_ignoring_conflict
from campaign.extensions import db
from campaign.mail import MailFailure, retry_delay
from campaign.models import Delivery, DeliveryStatus, TargetMailHealth
from campaign.webhooks.events import emit

# Markers stored in last_error for failures that are ours, not the server's (the studio words them).
BLOCKED = "skipped: address blocked"
WITHDRAWN = "skipped: signature withdrawn"
GAVE_UP = "gave up: the send was cut off too often"  # leases ran out: the worker died mid-send


@dataclass(frozen=True)
class SendResult:
    status: str  # sent | retry | postponed | failed | skipped | handed back
    retry_at: datetime | None = None  # when the row is due again (retry, postponed)


@dataclass
class Attempt:
    """A claimed row ready to send: plain values only, so recording the outcome needs no reads
    (the transaction that read them is committed before the SMTP conversation starts)."""

    delivery_id: int
    target_id: int
    target_email: str
    attempts: int
    lease: datetime
    message: Message
    health_failures: int


@dataclass
class Health:
    """The targets' mail health as a batch changes it: failures in a row per target (from the claim's
    read, then as recorded) and the addresses blocked meanwhile, so that a letter later in the same
    batch is skipped, and a success resets a count that an earlier letter set."""

    failures: dict[int, int] = field(default_factory=dict)
    blocked: dict[int, str] = field(default_factory=dict)

    def is_blocked(self, attempt: Attempt) -> bool:
        return self.blocked.get(attempt.target_id) == attempt.target_email


class Outcomes:
    """Outcomes waiting to be written: one UPDATE per set of columns, run for all its rows at once
    (executemany), each row only if the lease is still ours (else another worker has taken over)."""

    def __init__(self):
        self._pending: dict[tuple, list[dict]] = {}

    def finish(self, delivery_id: int, lease: datetime, status: str, outcome: str, **values) -> SendResult:
        values["status"] = status
        params = {"f_id": delivery_id, "f_lease": lease, **{"f_" + name: v for name, v in values.items()}}
        self._pending.setdefault(tuple(sorted(values)), []).append(params)
        return SendResult(outcome, values.get("due_at"))

    def write(self) -> None:
        """Flushes; the caller commits."""
        for names, rows in self._pending.items():
            db.session.execute(_finish_statement(names), rows)
        self._pending.clear()


@functools.cache
def _finish_statement(names: tuple) -> object:
    """The outcome UPDATE for one set of columns, built once per set."""
    table = Delivery.__table__
    return (
        table.update()
        .where(
            table.c.id == bindparam("f_id"),
            table.c.status == DeliveryStatus.SENDING,
            table.c.lease_until == bindparam("f_lease", type_=table.c.lease_until.type),
        )
        .values(
            lease_until=None, **{name: bindparam("f_" + name, type_=table.c[name].type) for name in names}
        )
    )


def postpone(
    record: Outcomes, delivery_id: int, lease: datetime, later: datetime, attempts: int
) -> SendResult:
    """Back in the queue until `later`; waiting for the budget is not a failed attempt."""
    return record.finish(
        delivery_id, lease, DeliveryStatus.QUEUED, due_at=later, attempts=attempts - 1, outcome="postponed"
    )


def sent(record: Outcomes, attempt: Attempt, now: datetime, health: Health) -> SendResult:
    if health.failures.get(attempt.target_id):
        record_health(attempt, None, now, health)
    return record.finish(
        attempt.delivery_id,
        attempt.lease,
        DeliveryStatus.SENT,
        sent_at=now,
        last_error=None,
        message_id=attempt.message.msgId,
        outcome="sent",
    )


def failed(
    record: Outcomes, attempt: Attempt, failure: MailFailure, now: datetime, health: Health
) -> SendResult:
    """A permanent failure fails the row at once; anything else is retried with a growing pause,
    until DELIVERY_MAX_ATTEMPTS."""
    done = dict(message_id=attempt.message.msgId, last_error=failure.text)
    if failure.permanent:  # record, never retry
        record_health(attempt, failure.text, now, health)
    if failure.permanent or attempt.attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]:
        emit("delivery.failed", {"delivery_id": attempt.delivery_id, "target_id": attempt.target_id}, now)
        return record.finish(
            attempt.delivery_id, attempt.lease, DeliveryStatus.FAILED, outcome="failed", **done
        )
    return record.finish(
        attempt.delivery_id,
        attempt.lease,
        DeliveryStatus.QUEUED,
        due_at=now + retry_delay(attempt.attempts, current_app.config["DELIVERY_RETRY_SECONDS"]),
        outcome="retry",
        **done,
    )


def cut_off_too_often(attempts: int) -> bool:
    """A claim counts an attempt; more claims than allowed attempts means sends that never came back
    (a worker killed, or a message that crashes it): stop rather than loop for ever."""
    return attempts > current_app.config["DELIVERY_MAX_ATTEMPTS"]


def record_health(attempt: Attempt, error: str | None, now: datetime, health: Health) -> None:
    """Count permanent failures in a row per target; a success (or a new address) starts over.
    Writes first: the row's reads happen inside the write transaction."""
    table = TargetMailHealth.__table__
    if error is None:
        db.session.execute(
            table.update()
            .where(table.c.target_id == attempt.target_id)
            .values(failures_in_a_row=0, blocked_email=None, blocked_at=None)
        )
        health.failures[attempt.target_id] = 0
        health.blocked.pop(attempt.target_id, None)
        return
    insert_ignoring_conflict(
        table, {"target_id": attempt.target_id, "failures_in_a_row": 0}, returning=table.c.target_id
    )
    failures, blocked_email = db.session.execute(
        db.select(table.c.failures_in_a_row, table.c.blocked_email).where(
            table.c.target_id == attempt.target_id
        )
    ).one()
    if blocked_email and blocked_email != attempt.target_email:
        failures = 0  # the address was fixed since it was blocked
    failures += 1
    blocked = failures >= current_app.config["DELIVERY_BLOCK_AFTER"]
    db.session.execute(
        table.update()
        .where(table.c.target_id == attempt.target_id)
        .values(
            failures_in_a_row=failures,
            last_error=error,
            blocked_email=attempt.target_email if blocked else None,
            blocked_at=now if blocked else None,
        )
    )
    health.failures[attempt.target_id] = failures
    if blocked:
        health.blocked[attempt.target_id] = attempt.target_email
