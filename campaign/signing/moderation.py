"""The studio's view of signatures: search, filter, page through, invalidate.

Invalidating only changes a signature's status; the count fold (campaign.metrics.tally) then takes it
out of the public count, so the count is corrected without touching a tally here.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_

from campaign import audit
from campaign.extensions import db
from campaign.jobs import FOLD_NUDGE
from campaign.models import Signature, SignatureStatus
from campaign.models.base import amsterdam_midnight
from campaign.queueing import nudge_after_commit

INVALIDATABLE = (SignatureStatus.PENDING, SignatureStatus.CONFIRMED)


@dataclass(frozen=True)
class SignatureFilter:
    """What the campaigner asked for; dates are days in Europe/Amsterdam, both ends included."""

    search: str = ""
    status: str = ""
    since: date | None = None
    until: date | None = None

    @property
    def narrows(self) -> bool:
        return bool(self.search or self.status or self.since or self.until)


_utc = amsterdam_midnight


def _conditions(petition_id: int, wanted: SignatureFilter) -> list:
    conditions = [Signature.petition_id == petition_id]
    if wanted.status:
        conditions.append(Signature.status == wanted.status)
    if wanted.since:
        conditions.append(Signature.created_at >= _utc(wanted.since))
    if wanted.until:
        conditions.append(Signature.created_at < _utc(wanted.until + timedelta(days=1)))
    term = (wanted.search or "").strip().lower()
    if term:
        postcode = term.replace(" ", "").upper()
        conditions.append(
            or_(
                db.func.lower(Signature.name).contains(term, autoescape=True),
                Signature.email_normalised.contains(term, autoescape=True),
                db.func.replace(db.func.upper(Signature.postcode), " ", "").contains(
                    postcode, autoescape=True
                ),
            )
        )
    return conditions


def signature_page(petition_id: int, wanted: SignatureFilter, page: int, per_page: int = 50):
    """One page of matching signatures, newest first (a Flask-SQLAlchemy Pagination)."""
    query = db.select(Signature).where(*_conditions(petition_id, wanted)).order_by(Signature.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count_invalidatable(petition_id: int, wanted: SignatureFilter) -> int:
    """How many signatures an invalidation with this filter would change (the preview)."""
    return db.session.execute(
        db.select(db.func.count())
        .select_from(Signature)
        .where(*_conditions(petition_id, wanted), Signature.status.in_(INVALIDATABLE))
    ).scalar()


def invalidate_matching(petition_id: int, wanted: SignatureFilter, actor) -> int:
    """Invalidate every pending or confirmed signature matching the filter. Flushes; returns how many."""
    table = Signature.__table__
    ids = db.select(Signature.id).where(
        *_conditions(petition_id, wanted), Signature.status.in_(INVALIDATABLE)
    )
    changed = db.session.execute(
        table.update()
        .where(table.c.id.in_(ids.scalar_subquery()))
        .values(status=SignatureStatus.INVALIDATED, mail_due=None, mail_due_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire_all()
    # The filter itself may hold a name or address: only its shape goes into the log.
    shape = f"count={changed} status={wanted.status or '-'} search={'yes' if wanted.search else 'no'}"
    audit.record("signature.invalidate_many", f"petition:{petition_id}", details=shape, actor=actor)
    nudge_after_commit(FOLD_NUDGE)
    return changed


def invalidate_signature(signature: Signature, actor) -> bool:
    """Invalidate one signature; False if it was already invalidated or withdrawn."""
    if signature.status not in INVALIDATABLE:
        return False
    signature.status = SignatureStatus.INVALIDATED
    signature.mail_due = signature.mail_due_at = None
    db.session.flush()
    audit.record(
        "signature.invalidate",
        f"petition:{signature.petition_id}",
        details=f"signature:{signature.id}",
        actor=actor,
    )
    nudge_after_commit(FOLD_NUDGE)
    return True


def status_counts(petition_id: int) -> dict[str, int]:
    """Signatures per status for the dashboard (uses the petition/status index)."""
    rows = db.session.execute(
        db.select(Signature.status, db.func.count())
        .where(Signature.petition_id == petition_id)
        .group_by(Signature.status)
    ).all()
    counts = {status.value: 0 for status in SignatureStatus}
    counts.update({status: n for status, n in rows})
    return counts


@dataclass(frozen=True)
class MailProblems:
    """Mail to this petition's supporters that did not (yet) arrive: for the signatures page."""

    failed: int  # given up: a permanent failure, the last try, or a mailbox over its hourly cap
    retrying: int  # a temporary failure, tried again later


def mail_problems(petition_id: int) -> MailProblems:
    failed, retrying = db.session.execute(
        db.select(
            db.func.count().filter(Signature.mail_failed_at.is_not(None), Signature.mail_due.is_(None)),
            db.func.count().filter(Signature.mail_due.is_not(None), Signature.mail_error.is_not(None)),
        ).where(Signature.petition_id == petition_id, Signature.mail_error.is_not(None))
    ).one()
    return MailProblems(failed, retrying)
