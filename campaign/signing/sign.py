import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from campaign.dbutil import insert_ignoring_conflict
from campaign.extensions import db
from campaign.jobs import SUPPORTER_MAIL_NUDGE
from campaign.metrics.regions import region_for
from campaign.models import Petition, Signature, SignatureStatus, SupporterMail
from campaign.queueing import nudge_after_commit
from campaign.signing.emails import InvalidEmail, has_ascii_local_part, normalise_email


@dataclass(frozen=True)
class SignRequest:
    """What a supporter submitted, already validated by the form."""

    name: str
    email: str
    postcode: str
    country: str
    newsletter: bool
    consent_version: str = ""  # empty: the version in force (submit_signature fills it in)
    locale: str = "nl"  # the language the supporter signed in; their mails use it
    message: str = ""  # optional personal message for the letter to the targets
    reply_to_me: bool = False  # targets may answer the letter directly (shares the address with them)
    ip_hash: str | None = None  # keyed hash of the client's IP (campaign.abuse), never the IP
    source: str = ""  # where the supporter came from (campaign.signing.sources), already cleaned
    flag: str | None = None  # why it is held back from the counts (campaign.abuse.screen), or None


def sign_petition(petition: Petition, request: SignRequest, now: datetime) -> int | None:
    """Store a pending signature and owe its confirmation mail; flushes, the caller commits.

    A second signature with the same normalised address stores nothing new; the address gets a
    reminder instead (at most a few times). The caller answers both cases identically so nobody
    can learn whether an address signed. Returns the id of the signature the mail concerns, or
    None when no mail is owed any more.
    """
    typed, normalised = normalise_email(request.email)
    if not current_app.config["MAIL_SMTPUTF8"] and not has_ascii_local_part(typed):
        raise InvalidEmail("a non-ASCII local part needs SMTPUTF8, which the relay does not offer")
    table = Signature.__table__
    signature_id = insert_ignoring_conflict(
        table,
        {
            "petition_id": petition.id,
            "name": request.name,
            "email": typed,
            "email_normalised": normalised,
            "postcode": request.postcode,
            "country": request.country,
            "region": region_for(request.postcode, request.country),
            "consent_version": request.consent_version,
            "consent_at": now,
            "newsletter": request.newsletter,
            "locale": request.locale,
            "status": SignatureStatus.PENDING,
            "token": secrets.token_urlsafe(32),
            "created_at": now,
            "counted": False,
            "mail_due": SupporterMail.CONFIRM,
            "mail_due_at": now,
            "mails_sent": 0,
            "message": request.message,
            "reply_to_me": request.reply_to_me,
            "ip_hash": request.ip_hash,
            "flag": request.flag,
            "source": request.source,
        },
        returning=table.c.id,
    )
    if signature_id is None:
        signature_id = owe_reminder(petition.id, normalised, now)
    if signature_id is not None:
        # One batch job for all owed mail (workers.supporter_mail), not a job per signature.
        nudge_after_commit(SUPPORTER_MAIL_NUDGE)
    return signature_id


def owe_reminder(petition_id: int, normalised: str, now: datetime) -> int | None:
    """The address signed before: owe it the confirmation again, or an 'already signed' note."""
    table = Signature.__table__
    limit = current_app.config["SUPPORTER_MAIL_LIMIT"]
    kind = db.case(
        (table.c.status == SignatureStatus.PENDING, SupporterMail.CONFIRM),
        else_=SupporterMail.ALREADY_SIGNED,
    )
    statement = (
        table.update()
        .where(
            table.c.petition_id == petition_id,
            table.c.email_normalised == normalised,
            table.c.mails_sent < limit,
            table.c.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
        )
        .values(mail_due=kind, mail_due_at=now, mail_attempts=0, mail_error=None, mail_failed_at=None)
        .returning(table.c.id)
    )
    return db.session.execute(statement).scalar()
