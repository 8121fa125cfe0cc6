"""Mail to supporters: the confirmation, and the note that they already signed.

The signature row is the outbox (mail_due, mail_due_at). A job claims rows with a lease before
sending, so two workers never send the same mail at once; if a worker dies mid-send the lease runs
out and the relay nudges the batch job again.

The sign request does not enqueue a job per signature: it nudges `send_owed`, which sends every
owed mail in batches over one SMTP connection. On a viral day that is one job per fraction of a
second instead of hundreds of jobs (and Redis round trips) per second.
"""

import logging
from datetime import timedelta

from sqlalchemy import and_

from campaign.extensions import db, mail
from campaign.mail import public_url, render_message
from campaign.models import Signature, SupporterMail
from campaign.models.base import utcnow
from campaign.queueing import NUDGE_PREFIX, redis_connection

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
BATCH = 200
NUDGE_KEY = "supporter-mail"


def send_owed() -> int:
    """Send every mail owed to supporters, a claimed batch at a time. Returns how many were sent."""
    # Clear the debounce first: a signature committed after this point nudges a fresh job.
    try:
        redis_connection().delete(NUDGE_PREFIX + NUDGE_KEY)
    except Exception:  # noqa: BLE001 - Redis down: the relay catches up later
        log.warning("redis unavailable; could not clear the supporter-mail nudge")
    sent = 0
    while True:
        lease_until, claimed = _claim_batch()
        if not claimed:
            return sent
        with mail.connect() as connection:
            for signature_id, kind in claimed:
                signature = db.session.get(Signature, signature_id)
                connection.send(_message(signature, kind))
                _mark_sent(signature_id, lease_until)
                sent += 1
        db.session.commit()


def _claim_batch():
    table = Signature.__table__
    now = utcnow()
    lease_until = now + LEASE
    owed = and_(table.c.mail_due.is_not(None), table.c.mail_due_at <= now)
    candidates = db.select(table.c.id).where(owed).order_by(table.c.mail_due_at).limit(BATCH)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = db.session.execute(
        table.update()
        .where(table.c.id.in_(candidates.scalar_subquery()), owed)
        .values(mail_due_at=lease_until)
        .returning(table.c.id, table.c.mail_due)
    ).all()
    db.session.commit()
    return lease_until, claimed


def _mark_sent(signature_id: int, lease_until) -> None:
    """Done, unless the supporter re-signed meanwhile and is owed another mail (due_at moved on)."""
    table = Signature.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == signature_id, table.c.mail_due_at == lease_until)
        .values(mail_due=None, mail_due_at=None, mails_sent=table.c.mails_sent + 1)
    )


def send(signature_id: int) -> str:
    """Send the mail owed to one supporter (kept for jobs queued before batching)."""
    table = Signature.__table__
    now = utcnow()
    lease_until = now + LEASE
    claimed = db.session.execute(
        table.update()
        .where(table.c.id == signature_id, table.c.mail_due.is_not(None), table.c.mail_due_at <= now)
        .values(mail_due_at=lease_until)
        .returning(table.c.mail_due)
    ).scalar()
    db.session.commit()
    if claimed is None:
        return "nothing owed"
    signature = db.session.get(Signature, signature_id)
    mail.send(_message(signature, claimed))
    _mark_sent(signature_id, lease_until)
    db.session.commit()
    return f"sent {claimed}"


def _message(signature: Signature, kind: str):
    petition = signature.petition
    context = {
        "signature": signature,
        "petition": petition,
        "petition_url": public_url("public.petition", slug=petition.slug),
        "confirm_url": public_url("public.confirm", token=signature.token),
        # The supporter's personal link: see, download or withdraw what we store (campaign.privacy).
        "manage_url": public_url("public.supporter", token=signature.token),
    }
    template = "confirm" if kind == SupporterMail.CONFIRM else "already_signed"
    return render_message(template, signature.locale, [signature.email], **context)
