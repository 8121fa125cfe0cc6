"""Mail owed to supporters (the confirmation, the note that they already signed): the signature row
is the outbox (mail_due, mail_due_at, mail_attempts, mail_error, mail_failed_at).

Like letters to officials (campaign.delivery.send): one row claimed at a time with a lease (the
lease is mail_due_at moved ahead), each try counted; a temporary failure (4xx, timeout, dropped
connection) is retried with backoff, a permanent one (5xx, an address or header that cannot be
written, no SMTPUTF8) recorded at once for the studio, and the next row goes on regardless. Flagged
signatures (campaign.abuse) wait unmailed until a campaigner releases them. Nothing here logs an
address; a server's reply is stored with addresses cut out.
"""

import functools
import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from flask import current_app
from sqlalchemy import and_, bindparam, or_

from campaign.abuse.screening import UNSCREENED
from campaign.delivery.prepare import RunCache
from campaign.extensions import db
from campaign.mail import (
    MailFailure,
    Message,
    PersonalOnly,
    classify_failure,
    public_url,
    render_personal,
    retry_delay,
)
from campaign.mail import send as send_over_held_connection
from campaign.models import PetitionTranslation, Signature, SupporterMail
from campaign.queueing import redis_connection
from campaign.signing.emails import mailbox_of
from campaign.signing.names import shown_name
from campaign.signing.personal_link import personal_token

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # well above MAIL_TIMEOUT: a live worker never loses its row
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


def claim_next_mail(now: datetime, due_by: datetime, cache: RunCache) -> MailAttempt | MailOutcome | None:
    """Take the oldest owed mail due by `due_by` that nobody holds (or whose holder's lease ran out).
    None: nothing owed. A MailOutcome: decided without sending (given up), recorded. Flushes."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    lease = now + LEASE
    row = db.session.execute(_claim_statement(postgresql), {"c_due_by": due_by, "c_lease": lease}).first()
    if row is None:
        return None
    if row.mail_attempts > current_app.config["SUPPORTER_MAIL_MAX_ATTEMPTS"]:
        return _give_up(row.id, lease, GAVE_UP, now)
    attempt = MailAttempt(row.id, lease, row.mail_attempts, mailbox_of(row.email_normalised), None)
    try:
        attempt.message = _message(row, cache)
    except Exception as error:  # noqa: BLE001 - a mail that cannot be written is a permanent failure
        attempt.failure = classify_failure(error)
    return attempt


@functools.cache
def _claim_statement(postgresql: bool):
    table = Signature.__table__
    due_by = bindparam("c_due_by", type_=table.c.mail_due_at.type)
    lease = bindparam("c_lease", type_=table.c.mail_due_at.type)
    # Flagged signatures get no mail, except those held back only because screening could not run.
    unsuspected = or_(table.c.flag.is_(None), table.c.flag == UNSCREENED)
    owed = and_(table.c.mail_due.is_not(None), table.c.mail_due_at <= due_by, unsuspected)
    candidate = db.select(table.c.id).where(owed).order_by(table.c.mail_due_at).limit(1)
    if postgresql:
        candidate = candidate.with_for_update(skip_locked=True)  # two workers take two rows
    return (
        table.update()
        .where(table.c.id == candidate.scalar_subquery(), owed)
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
    and links (campaign.mail.render_personal): rendering was most of a mail's CPU."""
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
            "confirm_url": public_url("public.confirm", token=row.token, lang=row.locale),
            # The supporter's personal link: see, download or withdraw what we store (campaign.privacy).
            "manage_url": public_url("public.supporter", token=personal_token(row), lang=row.locale),
        },
    )


def send_supporter_mail(attempt: MailAttempt, now: datetime) -> MailOutcome:
    """Send a claimed mail and record what happened (flushes; the caller commits)."""
    if attempt.failure is not None:
        return _failed(attempt, attempt.failure, now)
    if _over_mailbox_cap(attempt.mailbox, now):
        return _give_up(attempt.signature_id, attempt.lease, MAILBOX_CAP, now, status="skipped")
    try:
        send_over_held_connection(attempt.message)
    except Exception as error:  # noqa: BLE001 - each kind is sorted into permanent or temporary
        return _failed(attempt, classify_failure(error), now)
    _record(
        attempt.signature_id,
        attempt.lease,
        mail_due=None,
        mail_due_at=None,
        mails_sent=Signature.__table__.c.mails_sent + 1,
        mail_attempts=0,
        mail_error=None,
        mail_failed_at=None,
    )
    return MailOutcome("sent")


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


def _over_mailbox_cap(mailbox: str, now: datetime) -> bool:
    """Count this mail against its mailbox's hour (in Redis, under a keyed hash, never the address).
    Redis unreachable: send (the per-signature limit still holds) rather than hold every mail."""
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), mailbox.encode(), hashlib.sha256).hexdigest()[
        :32
    ]
    name = f"mailbox-mails:{key}:{now:%Y%m%d%H}"
    try:
        pipe = redis_connection().pipeline()
        pipe.incr(name)
        pipe.expire(name, 2 * 3600)
        count = pipe.execute()[0]
    except redis.RedisError:
        log.warning("redis unavailable; the hourly mailbox cap was not checked")
        return False
    return count > current_app.config["SUPPORTER_MAILS_PER_MAILBOX_HOUR"]
