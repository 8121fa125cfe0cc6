"""Sending the confirmation mail again, from the check-email page ("Stuur de e-mail opnieuw").

The same limits as signing again with the same address: the signature row is the outbox, so a
mail still owed is not owed twice; an address gets at most SUPPORTER_MAIL_LIMIT mails per
signature, and the outbox's hourly cap per mailbox still applies when it sends.
"""

from datetime import datetime
from enum import StrEnum

from flask import current_app

from campaign.extensions import db
from campaign.jobs import SUPPORTER_MAIL_NUDGE
from campaign.models import Signature, SignatureStatus
from campaign.queueing import nudge_after_commit
from campaign.signing.emails import normalise_email
from campaign.signing.sign import owe_reminder


class Resend(StrEnum):
    OWED = "owed"  # the mail is (again) on its way
    LIMIT = "limit"  # this address had its mails for this signature
    UNKNOWN = "unknown"  # no pending or confirmed signature with this address here


def resend_confirmation(petition_id: int, email: str, now: datetime) -> Resend:
    """Owe the confirmation mail again (or, if confirmed meanwhile, the 'already signed' note).
    Flushes; the caller commits."""
    _typed, normalised = normalise_email(email)
    row = db.session.execute(
        db.select(Signature.status, Signature.mails_sent).where(
            Signature.petition_id == petition_id, Signature.email_normalised == normalised
        )
    ).first()
    if row is None or row.status not in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        return Resend.UNKNOWN
    if row.mails_sent >= current_app.config["SUPPORTER_MAIL_LIMIT"]:
        return Resend.LIMIT
    if owe_reminder(petition_id, normalised, now) is None:
        return Resend.LIMIT
    nudge_after_commit(SUPPORTER_MAIL_NUDGE)
    return Resend.OWED
