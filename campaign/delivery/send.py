"""Sending one delivery row: claim it with a lease, check the target's budget and window, send,
record the outcome. The worker commits after the claim and after the outcome.

Exactly-once as far as SMTP allows: a row is claimed by one worker at a time (a conditional UPDATE),
and the outcome is recorded only by the holder of the lease. A worker that dies between the
server's "250" and its own record leaves a lease that runs out; the relay enqueues the row again and
the resend carries the same Message-ID, so receiving systems can tell it is the same email.
"""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import current_app
from flask_mail import Message
from sqlalchemy import and_, bindparam, inspect, or_
from sqlalchemy.orm import joinedload

from campaign.dbutil import insert_ignoring_conflict
from campaign.delivery.messages import Supporter, build_message, letter_message, message_id_for, place_of
from campaign.delivery.settings import settings_for
from campaign.delivery.throttle import next_daytime, throttle
from campaign.extensions import db
from campaign.mail import MailFailure, classify_failure, public_url, retry_delay
from campaign.mail import send as send_over_held_connection  # the worker's reused SMTP connection
from campaign.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Petition,
    Signature,
    SignatureStatus,
    Target,
    TargetMailHealth,
)
from campaign.webhooks.events import emit

# Markers stored in last_error for failures that are ours, not the server's (the studio words them).
BLOCKED = "skipped: address blocked"
WITHDRAWN = "skipped: signature withdrawn"
GAVE_UP = "gave up: the send was cut off too often"  # leases ran out: the worker died mid-send


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | retry | postponed | failed | skipped
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


class RunCache:
    """What does not change between the letters of one send_due run: the petition, target and
    settings rows (plain copies, so the per-letter commits do not expire them) and the petition's
    link. The row, its signature, its target's address and the target's mail health are still read
    per letter (one query), so a target blocked or readdressed meanwhile is seen at the next claim."""

    def __init__(self):
        self.settings: dict = {}
        self.petitions: dict = {}
        self.targets: dict = {}
        self.petition_urls: dict = {}
        self.rendered: dict = {}  # supporter mails rendered once per petition and language

    def settings_for(self, petition_id: int):
        if petition_id not in self.settings:
            self.settings[petition_id] = _snapshot(settings_for(petition_id))
        return self.settings[petition_id]

    def petition(self, petition_id: int) -> Petition | None:
        if petition_id not in self.petitions:
            self.petitions[petition_id] = _snapshot(db.session.get(Petition, petition_id))
        return self.petitions[petition_id]

    def target(self, target_id: int, email: str) -> Target | None:
        target = self.targets.get(target_id)
        if target is None or target.email != email:  # changed since it was cached: read it again
            self.targets[target_id] = target = _snapshot(
                db.session.get(Target, target_id, populate_existing=True)
            )
        return target

    def petition_url(self, petition: Petition) -> str:
        if petition.id not in self.petition_urls:
            self.petition_urls[petition.id] = public_url("public.petition", slug=petition.slug)
        return self.petition_urls[petition.id]


def _snapshot(row):
    """A plain copy of a row's columns: unaffected by the session's commits (which expire rows)
    and leaving the session's own objects alone."""
    if row is None:
        return None
    return SimpleNamespace(
        **{column.key: getattr(row, column.key) for column in inspect(row).mapper.column_attrs}
    )


def _claimable(table, now: datetime, due_by: datetime | None = None):
    """Due and nobody holds it, or the holder's lease ran out."""
    return or_(*_claimable_kinds(table, now, due_by))


def _claimable_kinds(table, now: datetime, due_by: datetime | None = None) -> tuple:
    """The two halves of _claimable, each one range of the (status, due_at) index. Asked apart: the
    OR with ORDER BY due_at made SQLite collect and sort every queued row for each claim (2.4 ms per
    letter with 10,000 queued, instead of microseconds)."""
    return (
        and_(table.c.status == DeliveryStatus.QUEUED, table.c.due_at <= (due_by or now)),
        and_(table.c.status == DeliveryStatus.SENDING, table.c.lease_until < now),
    )


def _lease(now: datetime) -> datetime:
    return now + timedelta(seconds=current_app.config["DELIVERY_LEASE_SECONDS"])


def claim_delivery(delivery_id: int, now: datetime) -> Attempt | Outcome | None:
    """Take the row if it is due and nobody holds it (or the holder's lease ran out), and prepare its
    email. None: nothing to do. An Outcome: decided without sending (throttled, skipped), recorded.
    The caller commits before sending, so other workers see the claim."""
    table = Delivery.__table__
    lease = _lease(now)
    taken = db.session.execute(
        table.update()
        .where(table.c.id == delivery_id, _claimable(table, now))
        .values(status=DeliveryStatus.SENDING, lease_until=lease, attempts=table.c.attempts + 1)
    ).rowcount
    if not taken:
        return None
    return _prepare(delivery_id, lease, now)


def claim_next(
    now: datetime, due_by: datetime, budgets: dict | None = None, cache: RunCache | None = None
) -> Attempt | Outcome | None:
    """Take the next due row, whichever it is (the batch job's loop): the oldest due row that no
    other worker holds, queued rows only if due by `due_by` (so a row this job just put back for a
    retry is not taken again in the same run). None when nothing is due. One row at a time, so a
    worker that dies holds one row, as with a job per row."""
    lease = _lease(now)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    for claim in _claim_statements(postgresql):
        delivery_id = db.session.execute(claim, {"c_now": now, "c_due_by": due_by, "c_lease": lease}).scalar()
        if delivery_id is not None:
            if cache is not None:
                return _prepare_cached(delivery_id, lease, now, budgets, cache)
            return _prepare(delivery_id, lease, now, budgets)
    return None


@functools.cache
def _claim_statements(postgresql: bool) -> tuple:
    """claim_next's two UPDATEs, built once (building them was a good part of a letter's CPU)."""
    table = Delivery.__table__
    now = bindparam("c_now", type_=table.c.due_at.type)
    due_by = bindparam("c_due_by", type_=table.c.due_at.type)
    lease = bindparam("c_lease", type_=table.c.lease_until.type)
    statements = []
    for claimable in (
        and_(table.c.status == DeliveryStatus.QUEUED, table.c.due_at <= due_by),
        and_(table.c.status == DeliveryStatus.SENDING, table.c.lease_until < now),
    ):
        candidate = db.select(table.c.id).where(claimable).order_by(table.c.due_at).limit(1)
        if postgresql:
            candidate = candidate.with_for_update(skip_locked=True)  # two workers take two different rows
        statements.append(
            table.update()
            .where(table.c.id == candidate.scalar_subquery(), claimable)
            .values(status=DeliveryStatus.SENDING, lease_until=lease, attempts=table.c.attempts + 1)
            .returning(table.c.id)
        )
    return tuple(statements)


def more_due(now: datetime, due_by: datetime) -> bool:
    """Is another row waiting to be claimed (is a second worker worth waking)?"""
    table = Delivery.__table__
    return any(
        db.session.execute(db.select(table.c.id).where(claimable).limit(1)).first() is not None
        for claimable in _claimable_kinds(table, now, due_by)
    )


def _prepare(delivery_id: int, lease: datetime, now: datetime, budgets: dict | None = None):
    delivery = db.session.get(
        Delivery,
        delivery_id,
        populate_existing=True,
        options=[joinedload(Delivery.petition), joinedload(Delivery.target), joinedload(Delivery.signature)],
    )
    if _cut_off_too_often(delivery.attempts):
        return _finish(delivery_id, lease, DeliveryStatus.FAILED, last_error=GAVE_UP, outcome="failed")
    health = db.session.get(TargetMailHealth, delivery.target_id)
    if health and health.blocked_email and health.blocked_email == delivery.target.email:
        return _finish(delivery_id, lease, DeliveryStatus.FAILED, last_error=BLOCKED, outcome="skipped")
    settings = settings_for(delivery.petition_id)
    if delivery.kind == DeliveryKind.LETTER and settings is not None:
        later = _not_yet(delivery, settings, now, budgets)
        if later is not None:
            return _postpone(delivery_id, lease, later, delivery.attempts)
    message = build_message(delivery, settings)
    if message is None:
        return _finish(delivery_id, lease, DeliveryStatus.FAILED, last_error=WITHDRAWN, outcome="skipped")
    return Attempt(
        delivery_id,
        delivery.target_id,
        delivery.target.email,
        delivery.attempts,
        lease,
        message,
        health.failures_in_a_row if health else 0,
    )


@functools.cache
def _letter_query():
    """_prepare_cached's query, built once."""
    d, s, t, h = (
        Delivery.__table__,
        Signature.__table__,
        Target.__table__,
        TargetMailHealth.__table__,
    )
    return (
        db.select(
            d.c.kind,
            d.c.petition_id,
            d.c.target_id,
            d.c.attempts,
            d.c.created_at,
            d.c.signature_id,
            s.c.name,
            s.c.region,
            s.c.country,
            s.c.message,
            s.c.email,
            s.c.reply_to_me,
            s.c.status,
            s.c.flag,
            t.c.email.label("target_email"),
            h.c.blocked_email,
            h.c.failures_in_a_row,
        )
        .select_from(
            d.join(t, t.c.id == d.c.target_id)
            .outerjoin(s, s.c.id == d.c.signature_id)
            .outerjoin(h, h.c.target_id == d.c.target_id)
        )
        .where(d.c.id == bindparam("d_id"))
    )


def _prepare_cached(delivery_id: int, lease: datetime, now: datetime, budgets: dict | None, cache: RunCache):
    """_prepare for a batch run: one query for what changes per letter (the row, its signature, the
    target's address and mail health); the petition, target and settings from the run's cache.
    Kinds other than letters (rare, and reading counts anyway) take the ordinary path."""
    row = db.session.execute(_letter_query(), {"d_id": delivery_id}).one()
    if row.kind != DeliveryKind.LETTER:
        return _prepare(delivery_id, lease, now, budgets)
    if _cut_off_too_often(row.attempts):
        return _finish(delivery_id, lease, DeliveryStatus.FAILED, last_error=GAVE_UP, outcome="failed")
    if row.blocked_email and row.blocked_email == row.target_email:
        return _finish(delivery_id, lease, DeliveryStatus.FAILED, last_error=BLOCKED, outcome="skipped")
    petition = cache.petition(row.petition_id)
    target = cache.target(row.target_id, row.target_email)
    settings = cache.settings_for(row.petition_id)
    if settings is not None:
        later = _not_yet_for(row.petition_id, target, settings, now, budgets)
        if later is not None:
            return _postpone(delivery_id, lease, later, row.attempts)
    counts = row.signature_id is not None and row.status == SignatureStatus.CONFIRMED and row.flag is None
    if not counts:  # withdrawn, invalidated or flagged as abuse
        return _finish(delivery_id, lease, DeliveryStatus.FAILED, last_error=WITHDRAWN, outcome="skipped")
    supporter = Supporter(
        row.name,
        place_of(row.region, row.country, target.language),
        row.message or "",
        row.email,
        row.reply_to_me,
    )
    message = letter_message(petition, target, supporter, petition_url=cache.petition_url(petition))
    message.msgId = message_id_for(delivery_id, row.created_at)
    return Attempt(
        delivery_id,
        row.target_id,
        target.email,
        row.attempts,
        lease,
        message,
        row.failures_in_a_row or 0,
    )


def _cut_off_too_often(attempts: int) -> bool:
    """A claim counts an attempt; more claims than allowed attempts means sends that never came back
    (a worker killed, or a message that crashes it): stop rather than loop for ever."""
    return attempts > current_app.config["DELIVERY_MAX_ATTEMPTS"]


def send_delivery(attempt: Attempt, now: datetime) -> Outcome:
    """Send a prepared email and record what happened (flushes; the caller commits). Every exception
    is classified (campaign.mail.classify_failure): none leaves the row "sending" without an error."""
    try:
        send_over_held_connection(attempt.message)
    except Exception as error:  # noqa: BLE001 - each kind is sorted into permanent or temporary
        return _failed(attempt, classify_failure(error), now)
    if attempt.health_failures:
        _record_health(attempt, error=None, now=now)
    return _finish(
        attempt.delivery_id,
        attempt.lease,
        DeliveryStatus.SENT,
        sent_at=now,
        last_error=None,
        message_id=attempt.message.msgId,
        outcome="sent",
    )


def _postpone(delivery_id: int, lease: datetime, later: datetime, attempts: int) -> Outcome:
    """Back in the queue until `later`; waiting for the budget is not a failed attempt."""
    return _finish(
        delivery_id, lease, DeliveryStatus.QUEUED, due_at=later, attempts=attempts - 1, outcome="postponed"
    )


def _not_yet(delivery: Delivery, settings, now: datetime, budgets: dict | None = None) -> datetime | None:
    """When a letter must wait: outside the target's daytime window, or over its hourly budget.
    `budgets` remembers, within one batch, targets found over budget: their other letters wait for
    the same moment without asking Redis again (nothing frees up within the batch)."""
    return _not_yet_for(delivery.petition_id, delivery.target, settings, now, budgets)


def _not_yet_for(petition_id: int, target, settings, now: datetime, budgets: dict | None) -> datetime | None:
    if settings.daytime_only:
        opening = next_daytime(now, target.timezone, settings.day_starts, settings.day_ends)
        if opening is not None:
            return opening
    key = (petition_id, target.id)
    if budgets is not None and key in budgets and budgets[key] > now:
        return budgets[key]
    wait = throttle(petition_id, target.id, settings.letters_per_hour)
    if not wait:
        return None
    later = now + timedelta(seconds=wait)
    if budgets is not None:
        budgets[key] = later
    return later


def _failed(attempt: Attempt, failure: MailFailure, now: datetime) -> Outcome:
    done = dict(message_id=attempt.message.msgId, last_error=failure.text)
    if failure.permanent:  # record, never retry
        _record_health(attempt, error=failure.text, now=now)
    if failure.permanent or attempt.attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]:
        emit("delivery.failed", {"delivery_id": attempt.delivery_id, "target_id": attempt.target_id}, now)
        return _finish(attempt.delivery_id, attempt.lease, DeliveryStatus.FAILED, outcome="failed", **done)
    return _finish(
        attempt.delivery_id,
        attempt.lease,
        DeliveryStatus.QUEUED,
        due_at=now + retry_delay(attempt.attempts, current_app.config["DELIVERY_RETRY_SECONDS"]),
        outcome="retry",
        **done,
    )


def _finish(delivery_id: int, lease: datetime, status: str, outcome: str, **values) -> Outcome:
    """Record the outcome, if the lease is still ours (else another worker has taken over)."""
    values["status"] = status
    params = {"f_" + name: value for name, value in values.items()}
    db.session.execute(
        _finish_statement(tuple(sorted(values))), {"f_id": delivery_id, "f_lease": lease, **params}
    )
    return Outcome(outcome, values.get("due_at"))


@functools.cache
def _finish_statement(names: tuple) -> object:
    """_finish's UPDATE for one set of columns, built once."""
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


def _record_health(attempt: Attempt, error: str | None, now: datetime) -> None:
    """Count permanent failures in a row per target; a success (or a new address) starts over.
    Writes first: the row's reads happen inside the write transaction."""
    table = TargetMailHealth.__table__
    if error is None:
        db.session.execute(
            table.update()
            .where(table.c.target_id == attempt.target_id)
            .values(failures_in_a_row=0, blocked_email=None, blocked_at=None)
        )
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
