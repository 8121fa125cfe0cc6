"""Mail to supporters: the confirmation, and the note that they already signed.

The signature row is the outbox (mail_due, mail_due_at). The job claims the row with a lease before
sending, so two workers never send the same mail at once; if a worker dies mid-send the lease runs
out and the relay enqueues the job again.
"""

from datetime import timedelta

from campaign.extensions import db, mail
from campaign.mail import public_url, render_message
from campaign.models import Signature, SupporterMail
from campaign.models.base import utcnow

LEASE = timedelta(minutes=2)


def send(signature_id: int) -> str:
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
    # Done, unless the supporter re-signed meanwhile and is owed another mail (due_at moved on).
    db.session.execute(
        table.update()
        .where(table.c.id == signature_id, table.c.mail_due_at == lease_until)
        .values(mail_due=None, mail_due_at=None, mails_sent=table.c.mails_sent + 1)
    )
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
