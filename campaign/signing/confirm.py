from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from campaign.delivery import queue_letters
from campaign.extensions import db
from campaign.models import Signature, SignatureStatus
from campaign.queueing import nudge_after_commit
from campaign.webhooks.events import signature_event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FOLD_JOB = "workers.tally.fold"


class ConfirmResult(StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # the petition no longer takes signatures


def find_by_token(token: str) -> Signature | None:
    if not token or len(token) > 64 or ":" in token:  # "erased:<id>" marks a wiped row, never a link
        return None
    return db.session.execute(db.select(Signature).where(Signature.token == token)).scalar_one_or_none()


def confirm_signature(token: str, now: datetime) -> tuple[ConfirmResult, Signature | None]:
    """Confirm a pending signature once; a second call changes nothing. Flushes, caller commits."""
    signature = find_by_token(token)
    if signature is None or signature.status in (SignatureStatus.INVALIDATED, SignatureStatus.WITHDRAWN):
        return ConfirmResult.NOT_FOUND, None
    if signature.status == SignatureStatus.CONFIRMED:
        return ConfirmResult.ALREADY_CONFIRMED, signature
    if not signature.petition.accepts_signatures(now):
        return ConfirmResult.CLOSED, signature
    table = Signature.__table__
    # Conditional on still being pending: two concurrent confirmations make one change.
    changed = db.session.execute(
        table.update()
        .where(table.c.id == signature.id, table.c.status == SignatureStatus.PENDING)
        .values(
            status=SignatureStatus.CONFIRMED,
            confirmed_at=now,
            confirmed_on=now.replace(tzinfo=ZoneInfo("UTC")).astimezone(AMSTERDAM).date(),
            mail_due=None,
        )
    ).rowcount
    db.session.refresh(signature)
    if not changed:
        return ConfirmResult.ALREADY_CONFIRMED, signature
    nudge_after_commit(FOLD_JOB, key="tally-fold", seconds=0.5)
    queue_letters(signature, now)
    signature_event(
        "signature.confirmed", signature.id, signature.petition_id, now, newsletter=signature.newsletter
    )
    return ConfirmResult.CONFIRMED, signature
