from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam

from campaign.dbutil import read
from campaign.delivery.queue import queue_letters
from campaign.extensions import db
from campaign.jobs import FOLD_NUDGE
from campaign.models import DeliverySettings, Petition, Signature, SignatureStatus, WebhookEndpoint
from campaign.models.base import amsterdam_day
from campaign.models.petition import PetitionGate
from campaign.queueing import nudge_after_commit
from campaign.webhooks.events import signature_event


class ConfirmResult(StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # the petition no longer takes signatures


# Built once. Confirming reads, with the signature, its petition and whether anything follows from
# it (letters to send, webhooks to owe): one query, not four, of plain columns (no ORM objects to
# build and track on the confirm path).
_BY_TOKEN = db.select(Signature).where(Signature.token == bindparam("token"))
_signatures, _petitions = Signature.__table__, Petition.__table__
_SENDS_LETTERS = (
    db.select(DeliverySettings.letters)
    .where(DeliverySettings.petition_id == _signatures.c.petition_id)
    .scalar_subquery()
)
_ANY_WEBHOOK = db.exists().where(WebhookEndpoint.active.is_(True))
_TO_CONFIRM = (
    db.select(
        _signatures.c.id,
        _signatures.c.status,
        _signatures.c.newsletter,
        _petitions.c.id,
        _petitions.c.slug,
        _petitions.c.status,
        _petitions.c.opens_at,
        _petitions.c.closes_at,
        _petitions.c.updated_at,
        _SENDS_LETTERS.label("letters"),
        _ANY_WEBHOOK.label("webhooks"),
    )
    .join_from(_signatures, _petitions, _petitions.c.id == _signatures.c.petition_id)
    .where(_signatures.c.token == bindparam("token"))
)


@dataclass(frozen=True)
class Confirming:
    """The signature a confirmation link names, as plain values: its id, status and newsletter choice,
    and its petition's signing window (PetitionGate)."""

    id: int
    status: str
    newsletter: bool
    petition: PetitionGate

    @property
    def petition_id(self) -> int:
        return self.petition.id


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


def confirm_signature(token: str, now: datetime) -> tuple[ConfirmResult, Confirming | None]:
    """Confirm a pending signature once; a second call changes nothing. Flushes, caller commits."""
    row = read(_TO_CONFIRM, {"token": token}).one_or_none() if _usable(token) else None
    if row is None:
        return ConfirmResult.NOT_FOUND, None
    signature = Confirming(row[0], row[1], row[2], PetitionGate(*row[3:9]))
    if signature.status in (SignatureStatus.INVALIDATED, SignatureStatus.WITHDRAWN):
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
        return ConfirmResult.ALREADY_CONFIRMED, signature  # another request confirmed (or withdrew) it
    nudge_after_commit(FOLD_NUDGE)
    if row.letters:
        queue_letters(signature, now)
    if row.webhooks:
        signature_event(
            "signature.confirmed", signature.id, signature.petition_id, now, newsletter=signature.newsletter
        )
    return ConfirmResult.CONFIRMED, replace(signature, status=SignatureStatus.CONFIRMED)
