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

from sqlalchemy import and_, bindparam
from sqlalchemy.orm import joinedload

from campaign.extensions import db, mail
from campaign.mail import PersonalOnly, public_url, render_message, render_personal
from campaign.mail import send as send_message
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
        # The batch's signatures with their petitions in one query (the claim's commit expired them).
        signatures = {
            signature.id: signature
            for signature in db.session.scalars(
                db.select(Signature)
                .options(joinedload(Signature.petition))
                .where(Signature.id.in_([signature_id for signature_id, _ in claimed]))
            )
        }
        urls: dict = {}  # petition links, per batch
        rendered: dict = {}  # each petition's mail per language, rendered once per batch
        done = []
        try:
            for signature_id, kind in claimed:
                signature = signatures.get(signature_id)
                if signature is None:  # removed since the claim: nothing to send
                    continue
                # Over the worker's reused SMTP connection (campaign.mail), as letters to targets.
                send_message(_message(signature, kind, urls, rendered))
                done.append(signature_id)
        finally:
            _mark_all_sent(done, lease_until)  # what went out is recorded, even if the batch broke off
            db.session.commit()
        sent += len(done)


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


def _mark_all_sent(signature_ids: list[int], lease_until) -> None:
    """_mark_sent for a batch, in one statement run for each row."""
    if not signature_ids:
        return
    table = Signature.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == bindparam("signature_id"), table.c.mail_due_at == bindparam("lease_until"))
        .values(mail_due=None, mail_due_at=None, mails_sent=table.c.mails_sent + 1),
        [{"signature_id": signature_id, "lease_until": lease_until} for signature_id in signature_ids],
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


def _message(signature: Signature, kind: str, urls: dict | None = None, rendered: dict | None = None):
    """The mail; with `rendered` (a batch's), rendered once per petition and language and completed
    with each supporter's name and links."""
    petition = signature.petition
    if urls is None:
        urls = {}
    if petition.id not in urls:
        urls[petition.id] = public_url("public.petition", slug=petition.slug)
    shared = {"petition": petition, "petition_url": urls[petition.id]}
    personal = {
        "confirm_url": public_url("public.confirm", token=signature.token),
        # The supporter's personal link: see, download or withdraw what we store (campaign.privacy).
        "manage_url": public_url("public.supporter", token=signature.token),
    }
    template = "confirm" if kind == SupporterMail.CONFIRM else "already_signed"
    if rendered is None:
        return render_message(
            template, signature.locale, [signature.email], signature=signature, **shared, **personal
        )
    return render_personal(
        template,
        signature.locale,
        [signature.email],
        cache=rendered,
        cache_key=petition.id,
        shared=shared,
        personal={"signature": PersonalOnly(name=signature.name), **personal},
    )
