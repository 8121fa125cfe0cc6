"""The four-monthly report as one object: what the studio page, the PDF and the CSV all show."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from campaign.extensions import db
from campaign.models import (
    ChangeType,
    DailyTally,
    DeliverySettings,
    Lesson,
    Outcome,
    Petition,
    Review,
    TargetResponse,
    Theme,
)
from campaign.models.impact import CHANGE_TYPE_LABELS
from campaign.reports import figures
from campaign.reports.figures import Compared, PetitionLine
from campaign.reports.periods import Period
from campaign.reports.responses import responses_in


@dataclass(frozen=True)
class Milestone:
    petition_id: int
    petition_title: str
    threshold: int
    reached_on: date
    is_goal: bool


@dataclass
class Report:
    period: Period
    theme: Theme | None
    made_at: datetime
    so_far: bool  # the period has not ended: figures up to now
    petitions: dict[str, list[PetitionLine]]
    signatures: Compared
    signatures_total: int  # every counted signature up to the end of the period
    provinces: list[Compared]
    countries: list[Compared]
    deliveries: list[Compared]
    delivery_failures: Compared
    responses: list[TargetResponse]  # officials' answers received in the period
    responses_compared: Compared
    outcomes: list[tuple[str, str, list[Outcome]]]  # change type key, label, outcomes
    milestones: list[Milestone]
    lessons: list[Lesson]
    reviews: list[Review]
    theme_lines: list[tuple[Theme, Compared, int]] = field(default_factory=list)  # section report only

    @property
    def outcome_count(self) -> int:
        return sum(len(items) for _key, _label, items in self.outcomes)


def build_report(period: Period, theme: Theme | None, now: datetime) -> Report:
    """Everything in the report of `period`, for the section (theme None) or one theme."""
    theme_id = theme.id if theme else None
    petitions = figures.scope_petitions(theme_id)
    ids = [p.id for p in petitions]
    sent, failed = figures.compared_deliveries(ids, period)
    report = Report(
        period=period,
        theme=theme,
        made_at=now,
        so_far=not period.ended(now),
        petitions=figures.petition_lines(petitions, period),
        signatures=figures.compared_signatures(ids, period),
        signatures_total=sum(figures.signatures_per_petition(ids, None, period.end).values()),
        provinces=figures.provinces(ids, period),
        countries=figures.countries(ids, period),
        deliveries=sent,
        delivery_failures=failed,
        responses=responses_in(ids, period),
        responses_compared=Compared(
            "responses",
            len(responses_in(ids, period)),
            len(responses_in(ids, period.previous())),
            len(responses_in(ids, period.year_before())),
        ),
        outcomes=outcomes_by_type(period, theme_id),
        milestones=milestones_passed(petitions, period),
        lessons=lessons_for(ids, period),
        reviews=report_reviews(period, theme_id),
    )
    if theme is None:
        report.theme_lines = theme_lines(petitions, period)
    return report


def theme_lines(petitions: list[Petition], period: Period) -> list[tuple[Theme, Compared, int]]:
    """Per theme: signatures compared, and outcomes recorded in the period."""
    lines = []
    for theme in db.session.execute(db.select(Theme).order_by(Theme.position)).scalars():
        ids = [p.id for p in petitions if p.theme_id == theme.id]
        outcomes = db.session.execute(
            db.select(db.func.count(Outcome.id)).where(
                Outcome.theme_id == theme.id,
                Outcome.happened_on >= period.start,
                Outcome.happened_on < period.end,
            )
        ).scalar_one()
        lines.append((theme, figures.compared_signatures(ids, period), outcomes))
    return lines


def outcomes_by_type(period: Period, theme_id: int | None) -> list[tuple[str, str, list[Outcome]]]:
    query = (
        db.select(Outcome)
        .options(selectinload(Outcome.evidence), selectinload(Outcome.reviews))
        .where(Outcome.happened_on >= period.start, Outcome.happened_on < period.end)
        .order_by(Outcome.happened_on, Outcome.id)
    )
    if theme_id is not None:
        query = query.where(Outcome.theme_id == theme_id)
    found = list(db.session.execute(query).unique().scalars())
    return [
        (key.value, str(CHANGE_TYPE_LABELS[key]), [o for o in found if o.change_type == key.value])
        for key in ChangeType
    ]


def milestones_passed(petitions: list[Petition], period: Period) -> list[Milestone]:
    """Thresholds (the goal, and the milestones a petition reports to its targets) whose running
    total was first reached on a day of the period, from the daily tallies."""
    if not petitions:
        return []
    settings = {
        row.petition_id: row
        for row in db.session.execute(
            db.select(DeliverySettings).where(DeliverySettings.petition_id.in_([p.id for p in petitions]))
        ).scalars()
    }
    passed = []
    for petition in petitions:
        thresholds = (
            set(settings[petition.id].thresholds(petition.goal)) if petition.id in settings else set()
        )
        if petition.goal:
            thresholds.add(petition.goal)
        if not thresholds:
            continue
        days = db.session.execute(
            db.select(DailyTally.day, DailyTally.confirmed)
            .where(DailyTally.petition_id == petition.id, DailyTally.day < period.end)
            .order_by(DailyTally.day)
        ).all()
        running, waiting = 0, sorted(thresholds)
        for day, confirmed in days:
            running += confirmed
            while waiting and running >= waiting[0]:
                threshold = waiting.pop(0)
                if day >= period.start:
                    passed.append(
                        Milestone(petition.id, petition.title, threshold, day, threshold == petition.goal)
                    )
    return sorted(passed, key=lambda m: (m.reached_on, m.threshold))


def lessons_for(petition_ids: list[int], period: Period) -> list[Lesson]:
    """Lessons of the petitions closed in the period, and those written in it."""
    if not petition_ids:
        return []
    return list(
        db.session.execute(
            db.select(Lesson)
            .join(Petition, Petition.id == Lesson.petition_id)
            .where(
                Lesson.petition_id.in_(petition_ids),
                or_(
                    (Petition.closed_at >= period.start_utc) & (Petition.closed_at < period.end_utc),
                    (Lesson.recorded_at >= period.start_utc) & (Lesson.recorded_at < period.end_utc),
                ),
            )
            .order_by(Lesson.recorded_at)
        ).scalars()
    )


def report_reviews(period: Period, theme_id: int | None) -> list[Review]:
    query = db.select(Review).where(Review.report_period == period.slug).order_by(Review.id)
    query = query.where(
        Review.report_theme_id.is_(None) if theme_id is None else Review.report_theme_id == theme_id
    )
    return list(db.session.execute(query).scalars())
