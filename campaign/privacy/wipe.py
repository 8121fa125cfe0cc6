"""Wiping a supporter's personal data: on withdrawal, on an erasure request, and by retention."""

from sqlalchemy import String, cast, literal

from campaign import audit
from campaign.extensions import db
from campaign.jobs import FOLD_NUDGE
from campaign.models import Signature, SignatureStatus
from campaign.models.base import utcnow
from campaign.queueing import nudge_after_commit
from campaign.signing.emails import InvalidEmail, normalise_email
from campaign.webhooks.events import signature_event

ACTIVE = (SignatureStatus.PENDING, SignatureStatus.CONFIRMED)
# Columns that may hold personal data and their wiped value (other issues may add columns: checked below).
PERSONAL = {
    "name": "",
    "email": "",
    "postcode": "",
    "newsletter": False,
    "ip_hash": None,
    "message": "",
    "reply_to_me": False,
    "mail_due": None,
    "mail_due_at": None,
    "mail_error": None,  # a server's reply may quote the address
}


def wiped_values(now) -> dict:
    """The SET clause that anonymises rows: no name or address is left; the unique (petition, email)
    slot and the token become "erased:<id>", which no real address or link token can equal."""
    table = Signature.__table__
    placeholder = literal("erased:").concat(cast(table.c.id, String))
    values = {column: value for column, value in PERSONAL.items() if column in table.c}
    return {**values, "email_normalised": placeholder, "token": placeholder, "anonymised_at": now}


def withdraw_signature(signature: Signature) -> None:
    """The supporter takes their signature back: it stops counting and their data is wiped. Flushes."""
    table = Signature.__table__
    now = utcnow()
    status = db.case((table.c.status.in_(ACTIVE), SignatureStatus.WITHDRAWN), else_=table.c.status)
    db.session.execute(
        table.update().where(table.c.id == signature.id).values(status=status, **wiped_values(now))
    )
    signature_event("signature.withdrawn", signature.id, signature.petition_id, now)
    db.session.expire(signature)
    nudge_after_commit(FOLD_NUDGE)


def erase_by_email(raw_address: str, *, actor) -> int:
    """Erase one person's signatures on every petition (withdrawn, wiped). Returns how many. Flushes.
    The audit log says how many, never whose."""
    try:
        _, normalised = normalise_email(raw_address)
    except InvalidEmail:
        normalised = None
    erased = _erase(normalised) if normalised else 0
    audit.record("privacy.erase", "supporter", details=f"{erased} signatures erased", actor=actor)
    return erased


def _erase(normalised: str) -> int:
    table = Signature.__table__
    status = db.case((table.c.status.in_(ACTIVE), SignatureStatus.WITHDRAWN), else_=table.c.status)
    now = utcnow()
    rows = db.session.execute(
        table.update()
        .where(table.c.email_normalised == normalised)
        .values(status=status, **wiped_values(now))
        .returning(table.c.id, table.c.petition_id)
    ).all()
    for signature_id, petition_id in rows:  # so the CRM erases the person too
        signature_event("signature.erased", signature_id, petition_id, now)
    erased = len(rows)
    if erased:
        nudge_after_commit(FOLD_NUDGE)
    return erased


def supporter_data(signature: Signature) -> dict:
    """Everything we store about this supporter's signature, for the personal page and the download."""
    petition = signature.petition

    def when(value):
        return value.isoformat() + "Z" if value else None

    data = {
        "petition": {"slug": petition.slug, "title": petition.title},
        "name": signature.name,
        "email": signature.email,
        "postcode": signature.postcode,
        "country": signature.country,
        "region": signature.region,
        "newsletter": signature.newsletter,
        "language": signature.locale,
        "status": signature.status,
        "consent": {"version": signature.consent_version, "given_at": when(signature.consent_at)},
        "signed_at": when(signature.created_at),
        "confirmed_at": when(signature.confirmed_at),
        "ip_address": "not stored; only a keyed hash of it, to recognise abuse"
        if signature.ip_hash
        else "not stored",
        "held_back_as_possible_abuse": signature.flag is not None,
    }
    if getattr(signature, "message", None):
        data["message"] = signature.message
    return data
