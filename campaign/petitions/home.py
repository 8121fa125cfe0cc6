"""What the studio home shows: what needs the campaigner now, and how the open petitions are doing.
Reads only; from the tallies where it can (no scan of all signatures), grouped counts otherwise."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func

from campaign.abuse.controls import flagged_summary
from campaign.extensions import db
from campaign.metrics.counts import petition_counts
from campaign.models import DailyTally, Delivery, DeliveryStatus, Petition, PetitionStatus
from campaign.models.base import amsterdam_day
from campaign.petitions.overview import SourceCount, signature_sources
from campaign.signing.moderation import status_counts

ROUND_MILESTONES = (100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000)
SPARK_DAYS = 14
amsterdam_today = amsterdam_day  # the daily tallies count Amsterdam days


@dataclass
class Spark:
    """Signatures per day as bars (heights 0..1), drawn as a small SVG by the template."""

    days: list[tuple[date, int]]

    @property
    def peak(self) -> int:
        return max((n for _day, n in self.days), default=0)

    @property
    def bars(self) -> list[tuple[int, float, date, int]]:
        peak = self.peak or 1
        return [(i, n / peak, day, n) for i, (day, n) in enumerate(self.days)]


@dataclass
class OpenPetition:
    petition: Petition
    count: int
    spark: Spark
    confirmation_rate: int | None  # percent of signatures confirmed (None: none yet)
    sources: list[SourceCount]


@dataclass
class Home:
    flagged: list[tuple[Petition, int]] = field(default_factory=list)
    failed: list[tuple[Petition, int]] = field(default_factory=list)
    closing: list[Petition] = field(default_factory=list)
    milestones: list[tuple[Petition, int]] = field(default_factory=list)
    waiting_handovers: list[tuple[Petition, datetime]] = field(default_factory=list)
    open: list[OpenPetition] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.flagged or self.failed or self.closing or self.milestones or self.waiting_handovers)


def _petitions(ids) -> dict[int, Petition]:
    ids = list(ids)
    if not ids:
        return {}
    return {p.id: p for p in db.session.execute(db.select(Petition).where(Petition.id.in_(ids))).scalars()}


def _per_day(petition_ids: list[int], today: date) -> dict[int, dict[date, int]]:
    start = today - timedelta(days=SPARK_DAYS - 1)
    rows = db.session.execute(
        db.select(DailyTally.petition_id, DailyTally.day, DailyTally.confirmed).where(
            DailyTally.petition_id.in_(petition_ids), DailyTally.day >= start
        )
    ).all()
    days: dict[int, dict[date, int]] = {}
    for petition_id, day, n in rows:
        days.setdefault(petition_id, {})[day] = n
    return days


def _milestone_passed(count: int, last_week: int, goal: int) -> int | None:
    """The highest round number (or the goal) crossed in the last seven days."""
    before = count - last_week
    crossed = [m for m in (*ROUND_MILESTONES, goal) if m and before < m <= count]
    return max(crossed) if crossed else None


def studio_home(now: datetime, today: date) -> Home:
    home = Home()
    flagged = {pid: sum(reasons.values()) for pid, reasons in flagged_summary().items()}
    failed = dict(
        db.session.execute(
            db.select(Delivery.petition_id, func.count())
            .where(Delivery.status == DeliveryStatus.FAILED)
            .group_by(Delivery.petition_id)
        ).all()
    )
    waiting = dict(
        db.session.execute(
            db.select(Delivery.petition_id, func.max(Delivery.undo_until))
            .where(Delivery.status == DeliveryStatus.QUEUED, Delivery.undo_until > now)
            .group_by(Delivery.petition_id)
        ).all()
    )
    open_petitions = (
        db.session.execute(
            db.select(Petition)
            .where(Petition.status == PetitionStatus.OPEN)
            .order_by(Petition.created_at.desc())
        )
        .scalars()
        .all()
    )
    known = {p.id: p for p in open_petitions} | _petitions(set(flagged) | set(failed) | set(waiting))
    home.flagged = [(known[pid], n) for pid, n in sorted(flagged.items()) if pid in known]
    home.failed = [(known[pid], n) for pid, n in sorted(failed.items()) if pid in known]
    home.waiting_handovers = [(known[pid], until) for pid, until in sorted(waiting.items()) if pid in known]
    home.closing = sorted(
        (p for p in open_petitions if p.closes_at and now <= p.closes_at <= now + timedelta(days=7)),
        key=lambda p: p.closes_at,
    )
    ids = [p.id for p in open_petitions]
    counts = petition_counts(ids)
    per_day = _per_day(ids, today)
    for petition in open_petitions:
        days = per_day.get(petition.id, {})
        series = [
            (today - timedelta(days=back), days.get(today - timedelta(days=back), 0))
            for back in range(SPARK_DAYS - 1, -1, -1)
        ]
        count = counts[petition.id].confirmed
        passed = _milestone_passed(count, sum(n for _d, n in series[-7:]), petition.goal)
        if passed:
            home.milestones.append((petition, passed))
        by_status = status_counts(petition.id)
        live = by_status.get("confirmed", 0) + by_status.get("pending", 0)
        home.open.append(
            OpenPetition(
                petition=petition,
                count=count,
                spark=Spark(series),
                confirmation_rate=round(100 * by_status.get("confirmed", 0) / live) if live else None,
                sources=signature_sources(petition.id, limit=3),
            )
        )
    return home
