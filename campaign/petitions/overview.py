"""What the studio dashboard shows about one petition. Reads only."""

from dataclasses import dataclass
from datetime import date

from campaign.extensions import db
from campaign.metrics.counts import petition_count
from campaign.models import DailyTally, Petition
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
