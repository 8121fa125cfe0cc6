from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from campaign.delivery.queue import queue_letters
from campaign.extensions import db
from campaign.jobs import FOLD_NUDGE
from campaign.models import DeliverySettings, Signature, SignatureStatus, WebhookEndpoint
from campaign.models.base import amsterdam_day
from campaign.queueing import nudge_after_commit
from campaign.webhooks.events import signature_event


class ConfirmResult(StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # the petition no longer takes signatures


# Built once. Confirming reads, with the signature, its petition and whether anything follows from
# it (letters to send, webhooks to owe): one query, not four.
_BY_TOKEN = db.select(Signature).where(Signature.token == bindparam("token"))
_SENDS_LETTERS = (
    db.select(DeliverySettings.letters)
    .where(DeliverySettings.petition_id == Signature.petition_id)
    .scalar_subquery()
)
_ANY_WEBHOOK = db.exists().where(WebhookEndpoint.active.is_(True))
_TO_CONFIRM = (
    db.select(Signature, _SENDS_LETTERS.label("letters"), _ANY_WEBHOOK.label("webhooks"))
    .where(Signature.token == bindparam("token"))
    .options(joinedload(Signature.petition))
)


def _usable(token: str) -> bool:
    return bool(token) and len(token) <= 64 and ":" not in token  # "erased:<id>": a wiped row, never a link


def find_by_token(token: str) -> Signature | None:
    if not _usable(token):
        return None
    return db.session.execute(_BY_TOKEN, {"token": token}).scalar_one_or_none()


_table = Signature.__table__
_CONFIRM = (
    _table.update()
    .where(_table.c.id == bindparam("signature_id"), _table.c.status == SignatureStatus.PENDING)
    .values({name: bindparam(name) for name in ("status", "confirmed_at", "confirmed_on", "mail_due")})
)


def confirm_signature(token: str, now: datetime) -> tuple[ConfirmResult, Signature | None]:
    """Confirm a pending signature once; a second call changes nothing. Flushes, caller commits."""
    found = db.session.execute(_TO_CONFIRM, {"token": token}).one_or_none() if _usable(token) else None
    signature = found.Signature if found is not None else None
    if signature is None or signature.status in (SignatureStatus.INVALIDATED, SignatureStatus.WITHDRAWN):
        return ConfirmResult.NOT_FOUND, None
    if signature.status == SignatureStatus.CONFIRMED:
        return ConfirmResult.ALREADY_CONFIRMED, signature
    if not signature.petition.accepts_signatures(now):
        return ConfirmResult.CLOSED, signature
    confirmed = {
        "status": SignatureStatus.CONFIRMED,
        "confirmed_at": now,
        "confirmed_on": amsterdam_day(now),
        "mail_due": None,
    }
    # Conditional on still being pending: two concurrent confirmations make one change.
    changed = db.session.execute(_CONFIRM, {"signature_id": signature.id, **confirmed}).rowcount
    if not changed:
        db.session.refresh(signature)  # another request confirmed (or withdrew) it meanwhile
        return ConfirmResult.ALREADY_CONFIRMED, signature
    for name, value in confirmed.items():  # what the UPDATE wrote, without reading the row again
        set_committed_value(signature, name, value)
    nudge_after_commit(FOLD_NUDGE)
    if found.letters:
        queue_letters(signature, now)
    if found.webhooks:
        signature_event(
            "signature.confirmed", signature.id, signature.petition_id, now, newsletter=signature.newsletter
        )
    return ConfirmResult.CONFIRMED, signature
