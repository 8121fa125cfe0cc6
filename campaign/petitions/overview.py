"""What the studio dashboard shows about one petition. Reads only."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func

from campaign.extensions import db
from campaign.metrics.counts import petition_count
from campaign.models import DailyTally, Petition, Signature
from campaign.signing.moderation import status_counts


@dataclass
class Overview:
    public_count: int  # what the public sees (the tally, after the fold)
    by_status: dict[str, int]
    per_day: list[tuple[date, int]]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def petition_overview(petition: Petition, days: int = 60) -> Overview:
    per_day = db.session.execute(
        db.select(DailyTally.day, DailyTally.confirmed)
        .where(DailyTally.petition_id == petition.id)
        .order_by(DailyTally.day.desc())
        .limit(days)
    ).all()
    return Overview(
        public_count=petition_count(petition.id).confirmed,
        by_status=status_counts(petition.id),
        per_day=[(day, n) for day, n in reversed(per_day)],
    )


@dataclass(frozen=True)
class SourceCount:
    source: str  # "" when the link carried none
    confirmed: int  # counted (confirmed, not flagged)
    signed: int  # every signature, confirmed or not


def signature_sources(petition_id: int, limit: int = 20) -> list[SourceCount]:
    """Where a petition's signatures came from (?bron= / utm_source), most confirmed first. A studio
    read: one grouped query over the petition's rows (index petition_id, status)."""
    rows = db.session.execute(
        db.select(
            Signature.source,
            func.count().filter(Signature.counts),
            func.count(),
        )
        .where(Signature.petition_id == petition_id)
        .group_by(Signature.source)
        .order_by(func.count().filter(Signature.counts).desc(), Signature.source)
        .limit(limit)
    ).all()
    return [SourceCount(source or "", confirmed, signed) for source, confirmed, signed in rows]
