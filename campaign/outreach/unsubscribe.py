"""One-click unsubscribe from updates (RFC 8058): a signed link per mail, no login, no expiry.

Unsubscribing withdraws the person's "keep me informed" on every petition they signed with that
address (the choice was about hearing from us, not about one petition) and skips any update still
waiting for them; later updates never select them again.
"""

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from campaign import audit
from campaign.extensions import db
from campaign.mail import public_url
from campaign.models import Signature, UpdateMail, UpdateMailStatus

SALT = "update-unsubscribe"
TEST = 0  # the signature id in a test mail's link: the page works, nothing changes


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_url(signature_id: int, update_id: int) -> str:
    return public_url("public.unsubscribe_page", token=_serializer().dumps([signature_id, update_id]))


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(signature id, update id), or None for a token we did not make."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        return None
    return value[0], value[1]


def unsubscribe(signature_id: int, update_id: int, now: datetime) -> bool:
    """Stop updates to the person behind this signature. True if anything changed. Flushes."""
    signature = db.session.get(Signature, signature_id) if signature_id != TEST else None
    if signature is None or signature.anonymised_at is not None:
        return False
    same_person = (
        db.select(Signature.id)
        .where(Signature.email_normalised == signature.email_normalised)
        .scalar_subquery()
    )
    changed = db.session.execute(
        Signature.__table__.update()
        .where(Signature.email_normalised == signature.email_normalised, Signature.newsletter.is_(True))
        .values(newsletter=False)
    ).rowcount
    table = UpdateMail.__table__
    db.session.execute(
        table.update()
        .where(
            table.c.update_id == update_id,
            table.c.signature_id == signature_id,
            table.c.unsubscribed_at.is_(None),
        )
        .values(unsubscribed_at=now)
    )
    db.session.execute(
        table.update()
        .where(table.c.signature_id.in_(same_person), table.c.status == UpdateMailStatus.QUEUED)
        .values(status=UpdateMailStatus.SKIPPED, last_error="unsubscribed")
    )
    if changed:
        audit.record("update.unsubscribe", f"update:{update_id}", actor=None)
    return bool(changed)
