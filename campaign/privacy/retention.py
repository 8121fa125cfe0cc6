"""Retention: some months after a petition closes, its signatures' personal data is wiped.

Counts and rollups stay exactly as they were: status, `counted`, region and day are kept.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_

from campaign.abuse.challenge import forget_expired_challenges
from campaign.extensions import db
from campaign.models import Petition, PetitionStatus, Signature
from campaign.privacy.job_records import forget_supporter_mail_records
from campaign.privacy.unconfirmed import expire_unconfirmed
from campaign.privacy.wipe import wiped_values
from campaign.queueing import after_commit

BATCH = 5000


@dataclass
class RetentionReport:
    cutoff: datetime
    dry_run: bool
    per_petition: dict = field(default_factory=dict)  # slug -> signatures (to be) anonymised
    signature_ids: list = field(default_factory=list)  # what was anonymised (for cleaning job records)
    expired_ids: list = field(
        default_factory=list
    )  # unconfirmed signatures wiped (campaign.privacy.unconfirmed)

    @property
    def total(self) -> int:
        return sum(self.per_petition.values())


def retention_cutoff(now: datetime, months: int) -> datetime:
    """`months` calendar months before `now` (the 31st becomes the last day of a shorter month)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    for day in range(now.day, 27, -1):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return now.replace(year=year, month=month, day=min(now.day, 28))


def _closed_before(cutoff: datetime):
    closed_at = func.coalesce(Petition.closed_at, Petition.closes_at)
    return db.select(Petition.id, Petition.slug).where(
        or_(
            Petition.status.in_([PetitionStatus.CLOSED, PetitionStatus.ARCHIVED]),
            Petition.closes_at.is_not(None),
        ),
        closed_at.is_not(None),
        closed_at <= cutoff,
    )


def apply_retention(
    now: datetime, months: int, dry_run: bool = False, unconfirmed_days: int | None = None
) -> RetentionReport:
    """Retention as the nightly job and the CLI both run it: anonymise what is due, wipe signatures
    nobody confirmed within `unconfirmed_days`, forget expired proof-of-work challenges and, once
    the caller commits, the supporter-mail job records (a failed mail job's error can name an
    address). Flushes; the caller commits."""
    report = anonymise_closed(now, months, dry_run=dry_run)
    if not dry_run:
        if unconfirmed_days is not None:
            report.expired_ids = expire_unconfirmed(now, unconfirmed_days)
        forget_expired_challenges(now)
        after_commit(forget_supporter_mail_records)
    return report


def anonymise_closed(now: datetime, months: int, dry_run: bool = False) -> RetentionReport:
    """Wipe the personal data of signatures on petitions closed at least `months` ago.

    Flushes per batch; the caller commits (the worker commits after each call). With dry_run,
    only counts what it would do.
    """
    report = RetentionReport(retention_cutoff(now, months), dry_run)
    table = Signature.__table__
    for petition_id, slug in db.session.execute(_closed_before(report.cutoff)).all():
        waiting = (table.c.petition_id == petition_id) & table.c.anonymised_at.is_(None)
        if dry_run:
            n = db.session.execute(db.select(func.count()).select_from(table).where(waiting)).scalar()
        else:
            ids = db.session.execute(db.select(table.c.id).where(waiting)).scalars().all()
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                db.session.execute(table.update().where(table.c.id.in_(chunk)).values(**wiped_values(now)))
            report.signature_ids.extend(ids)
            n = len(ids)
        if n:
            report.per_petition[slug] = n
    return report
