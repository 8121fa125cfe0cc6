"""Mail owed to supporters (the confirmation, the note that they already signed): the signature row
is the outbox (mail_due, mail_due_at, mail_attempts, mail_error, mail_failed_at).

Rows are claimed a small batch at a time with a lease (the lease is mail_due_at moved ahead; on
PostgreSQL two workers skip each other's rows), each try counted, and sent over the worker's held
SMTP connection, the sent ones recorded in one statement per batch; a temporary failure (4xx, timeout, dropped
connection) is retried with backoff, a permanent one (5xx, an address or header that cannot be
written, no SMTPUTF8) recorded at once for the studio, and the next row goes on regardless. Flagged
signatures (campaign.abuse) wait unmailed until a campaigner releases them. Nothing here logs an
address; a server's reply is stored with addresses cut out.
"""

import functools
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from flask import current_app
from sqlalchemy import and_, bindparam, or_

from campaign.abuse.screening import MAILED_WHILE_HELD
from campaign.dbutil import unlocked_ids
from campaign.delivery.prepare import RunCache
from campaign.extensions import db
from campaign.jobs import SUPPORTER_MAIL
from campaign.keyed import keyed_hash
from campaign.mail import (
    MailFailure,
    Message,
    PersonalOnly,
    classify_failure,
    render_personal,
    retry_delay,
)
from campaign.mail import send as send_over_held_connection
from campaign.models import PetitionTranslation, Signature, SupporterMail
from campaign.queueing import enqueue, redis_connection
from campaign.signing.emails import mailbox_of
from campaign.signing.names import shown_name
from campaign.signing.personal_link import personal_token

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # well above a batch's sends: a live worker never loses its rows
# Mails claimed in one statement and sent one after another over one connection. A worker killed
# mid-batch sends the batch's sent-but-unrecorded mails again when the lease runs out: kept small.
BATCH = 20
GAVE_UP = "gave up: the send was cut off too often"
MAILBOX_CAP = "skipped: this mailbox got its mails for this hour"


@dataclass
class MailAttempt:
    """A claimed row ready to send (plain values: the claim is committed before SMTP starts)."""

    signature_id: int
    lease: datetime
    attempts: int
    mailbox: str
    message: Message | None  # None: it could not be written (failure says why)
    failure: MailFailure | None = None


@dataclass(frozen=True)
class MailOutcome:
    status: str  # sent | retry | failed | skipped
    retry_at: datetime | None = None
    server_trouble: bool = False  # the server failed, not this mail: stop the run, retry later


def claim_mails(now: datetime, due_by: datetime, cache: RunCache) -> list[MailAttempt | MailOutcome]:
    """Take up to BATCH of the oldest owed mails due by `due_by` that nobody holds (or whose holder's
    lease ran out), in one statement. Empty: nothing owed. A MailOutcome: decided without sending
    (given up), recorded. Flushes."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    lease = now + LEASE
    rows = db.session.execute(_claim_statement(postgresql, BATCH), {"c_due_by": due_by, "c_lease": lease})
    claimed = []
    for row in sorted(rows, key=lambda row: row.id):  # RETURNING keeps no order: oldest signature first
        if row.mail_attempts > current_app.config["SUPPORTER_MAIL_MAX_ATTEMPTS"]:
            claimed.append(_give_up(row.id, lease, GAVE_UP, now))
            continue
        attempt = MailAttempt(row.id, lease, row.mail_attempts, mailbox_of(row.email_normalised), None)
        try:
            attempt.message = _message(row, cache)
        except Exception as error:  # noqa: BLE001 - a mail that cannot be written is a permanent failure
            attempt.failure = classify_failure(error)
        claimed.append(attempt)
    return claimed


@functools.cache
def _claim_statement(postgresql: bool, limit: int):
    table = Signature.__table__
    due_by = bindparam("c_due_by", type_=table.c.mail_due_at.type)
    lease = bindparam("c_lease", type_=table.c.mail_due_at.type)
    # Flagged signatures get no mail, except those held back only because a check could not run
    # (screening unreachable, or no JavaScript to solve the proof of work).
    unsuspected = or_(table.c.flag.is_(None), table.c.flag.in_(MAILED_WHILE_HELD))
    owed = and_(table.c.mail_due.is_not(None), table.c.mail_due_at <= due_by, unsuspected)
    candidates = db.select(table.c.id).where(owed).order_by(table.c.mail_due_at).limit(limit)
    return (
        table.update()
        .where(table.c.id.in_(unlocked_ids(candidates, postgresql)), owed)  # owed again: the row once locked
        .values(mail_due_at=lease, mail_attempts=table.c.mail_attempts + 1)
        .returning(
            table.c.id,
            table.c.mail_due,
            table.c.mail_attempts,
            table.c.petition_id,
            table.c.name,
            table.c.email,
            table.c.email_normalised,
            table.c.locale,
            table.c.token,
        )
    )


def translated_title(petition, language: str) -> str:
    """The petition's title in the supporter's language when that translation is published."""
    if language == petition.language:
        return petition.title
    title = db.session.execute(
        db.select(PetitionTranslation.title).where(
            PetitionTranslation.petition_id == petition.id,
            PetitionTranslation.language == language,
            PetitionTranslation.published_at.is_not(None),
        )
    ).scalar()
    return title or petition.title


def _message(row, cache: RunCache) -> Message:
    """Rendered once per petition and language in a run, then completed with this supporter's name
    and links (campaign.mail.render_personal): the text is the same for every supporter of a
    petition in one language, so only the personal parts are done per mail."""
    petition = cache.petition(row.petition_id)
    template = "confirm" if row.mail_due == SupporterMail.CONFIRM else "already_signed"
    return render_personal(
        template,
        row.locale,
        [row.email],
        cache=cache.rendered,
        cache_key=petition.id,
        shared={
            "petition": petition,
            "petition_title": translated_title(petition, row.locale),
            "petition_url": cache.petition_url(petition),
        },
        personal={
            # The greeting shows the name without links or addresses (campaign.signing.names).
            "signature": PersonalOnly(name=shown_name(row.name), email=row.email, locale=row.locale),
            "confirm_url": cache.token_link("public.confirm", row.token, row.locale),
            # The supporter's personal link: see, download or withdraw what we store (campaign.privacy).
            "manage_url": cache.token_link("public.supporter", personal_token(row), row.locale),
        },
    )


def send_claimed(attempts: list[MailAttempt], now: datetime) -> list[MailOutcome]:
    """Send claimed mails over the held connection and record what happened (flushes; the caller
    commits): the sent ones in one statement, each failure as it comes. One bad address fails alone;
    server trouble stops the batch and hands the rest back untried, their attempt not spent."""
    over_cap = _over_mailbox_cap([attempt.mailbox for attempt in attempts], now)
    give_back_at = time.monotonic() + LEASE.total_seconds() / 2  # a slow server: keep the lease safe
    outcomes, sent = [], []
    for n, attempt in enumerate(attempts):
        if time.monotonic() > give_back_at:
            _hand_back(attempts[n:], now)
            break
        if attempt.failure is not None:
            outcome = _failed(attempt, attempt.failure, now)
        elif over_cap[n]:
            outcome = _give_up(attempt.signature_id, attempt.lease, MAILBOX_CAP, now, status="skipped")
        else:
            try:
                send_over_held_connection(attempt.message)
            except Exception as error:  # noqa: BLE001 - each kind is sorted into permanent or temporary
                outcome = _failed(attempt, classify_failure(error), now)
            else:
                outcome = MailOutcome("sent")
                sent.append(attempt.signature_id)
        outcomes.append(outcome)
        if outcome.server_trouble:
            _hand_back(attempts[n + 1 :], now)
            break
    if sent:
        db.session.execute(_sent_statement(), {"ids": sent, "lease": attempts[0].lease})
    return outcomes


@functools.cache
def _sent_statement():
    """Sent, if the lease is still ours (see _record)."""
    table = Signature.__table__
    return (
        table.update()
        .where(table.c.id.in_(bindparam("ids", expanding=True)), table.c.mail_due_at == bindparam("lease"))
        .values(
            mail_due=None,
            mail_due_at=None,
            mails_sent=table.c.mails_sent + 1,
            mail_attempts=0,
            mail_error=None,
            mail_failed_at=None,
        )
    )


def _hand_back(attempts: list[MailAttempt], now: datetime) -> None:
    """Claimed but not tried: due again now, the claim's attempt taken back, the mailbox count too."""
    if not attempts:
        return
    table = Signature.__table__
    db.session.execute(
        table.update()
        .where(table.c.id.in_([a.signature_id for a in attempts]), table.c.mail_due_at == attempts[0].lease)
        .values(mail_due_at=now, mail_attempts=table.c.mail_attempts - 1)
    )
    counted = [a.mailbox for a in attempts if a.failure is None]
    try:
        pipe = redis_connection().pipeline(transaction=False)
        for mailbox in counted:
            pipe.decr(_mailbox_key(mailbox, now))
        pipe.execute()
    except redis.RedisError:
        log.warning("redis unavailable; a mailbox count was not given back")


def _failed(attempt: MailAttempt, failure: MailFailure, now: datetime) -> MailOutcome:
    config = current_app.config
    if failure.permanent or attempt.attempts >= config["SUPPORTER_MAIL_MAX_ATTEMPTS"]:
        return _give_up(attempt.signature_id, attempt.lease, failure.text, now)
    retry_at = now + retry_delay(attempt.attempts, config["SUPPORTER_MAIL_RETRY_SECONDS"])
    _record(attempt.signature_id, attempt.lease, mail_due_at=retry_at, mail_error=failure.text)
    return MailOutcome("retry", retry_at, failure.server_trouble)


def _give_up(signature_id: int, lease: datetime, error: str, now: datetime, status="failed") -> MailOutcome:
    _record(signature_id, lease, mail_due=None, mail_due_at=None, mail_error=error, mail_failed_at=now)
    return MailOutcome(status)


def _record(signature_id: int, lease: datetime, **values) -> None:
    """The outcome, if the lease is still ours: a supporter who signed again meanwhile moved
    mail_due_at on and is owed a fresh mail, which this outcome must not clear."""
    table = Signature.__table__
    db.session.execute(
        table.update().where(table.c.id == signature_id, table.c.mail_due_at == lease).values(**values)
    )


def _over_mailbox_cap(mailboxes: list[str], now: datetime) -> list[bool]:
    """Count each mail against its mailbox's hour (in Redis, under a keyed hash, never the address),
    in one round trip. Redis unreachable: send (the per-signature limit still holds) rather than
    hold every mail."""
    if not mailboxes:
        return []
    try:
        pipe = redis_connection().pipeline(transaction=False)
        for mailbox in mailboxes:
            name = _mailbox_key(mailbox, now)
            pipe.incr(name)
            pipe.expire(name, 2 * 3600)
        counts = pipe.execute()[::2]
    except redis.RedisError:
        log.warning("redis unavailable; the hourly mailbox cap was not checked")
        return [False] * len(mailboxes)
    cap = current_app.config["SUPPORTER_MAILS_PER_MAILBOX_HOUR"]
    return [count > cap for count in counts]


def _mailbox_key(mailbox: str, now: datetime) -> str:
    return f"mailbox-mails:{keyed_hash('mailbox', mailbox)}:{now:%Y%m%d%H}"


def wake_overdue(now: datetime, grace: timedelta) -> int:
    """The relay's part for supporter mail: owed for longer than `grace` (its nudge was lost with
    Redis, or its worker died), so wake the sender. Returns jobs enqueued."""
    overdue = db.session.execute(
        db.select(Signature.id)
        .where(
            Signature.mail_due_at < now - grace,
            Signature.mail_due.is_not(None),
            or_(Signature.flag.is_(None), Signature.flag.in_(MAILED_WHILE_HELD)),  # as the claim
        )
        .limit(1)
    ).scalar()
    if overdue is None:
        return 0
    enqueue(SUPPORTER_MAIL)
    return 1
