"""The public figures: totals, themes, petitions, days and regions, read from the tallies only.

Never a COUNT(*) or GROUP BY over the signatures here: these functions run on request paths and
read the tally and rollup tables (a few thousand rows at most), and the result is cached per
process until the data's version changes (see campaign.metrics.cache).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func

from campaign.dbutil import read
from campaign.extensions import db
from campaign.metrics.cache import remember
from campaign.metrics.regions import PROVINCES, country_of
from campaign.metrics.supporters import current_supporters
from campaign.models import (
    ChangeType,
    DailyTally,
    MetricTotal,
    Outcome,
    Petition,
    PetitionStatus,
    PetitionTally,
    RegionTally,
    Theme,
)
from campaign.models.base import AMSTERDAM, utcnow

PUBLIC = (PetitionStatus.OPEN, PetitionStatus.CLOSED)
CHART_DAYS = 60
GROWTH_DAYS = 7
TOP = 5


@dataclass(frozen=True)
class ThemeFigure:
    slug: str
    name_nl: str
    name_en: str
    signatures: int
    open_petitions: int
    outcomes: dict[str, int]

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl

    @property
    def outcomes_total(self) -> int:
        return sum(self.outcomes.values())


@dataclass(frozen=True)
class PetitionFigure:
    slug: str
    title: str
    theme_slug: str
    status: str
    goal: int
    signatures: int
    last_week: int


@dataclass(frozen=True)
class RegionFigure:
    code: str
    name: str
    signatures: int


@dataclass(frozen=True)
class SiteFigures:
    computed_at: datetime
    total_signatures: int
    supporters: int | None
    supporters_at: datetime | None
    themes: list[ThemeFigure]
    petitions: list[PetitionFigure]  # public petitions, most signed first
    fastest_growing: list[PetitionFigure]
    outcomes_by_type: dict[str, int]
    daily: list[tuple[date, int]]  # the last CHART_DAYS days, oldest first, days without signatures as 0
    provinces: list[RegionFigure]  # all twelve, by name
    unplaced_nl: int  # Dutch signatures whose postcode named no province
    countries: list[tuple[str, int]] = field(default_factory=list)  # NL first, then by count

    @property
    def most_signed(self) -> list[PetitionFigure]:
        return [p for p in self.petitions[:TOP] if p.signatures]

    @property
    def outcomes_total(self) -> int:
        return sum(self.outcomes_by_type.values())


def today() -> date:
    return datetime.now(AMSTERDAM).date()


# Built once: the statement never changes, and its five subqueries (and their cache key) would
# otherwise be constructed again on every page request that asks for the version.
_FIGURES_VERSION = db.select(
    db.select(func.max(PetitionTally.updated_at)).scalar_subquery(),
    db.select(func.max(Petition.updated_at)).scalar_subquery(),
    db.select(func.count(Outcome.id)).scalar_subquery(),
    db.select(func.max(Outcome.updated_at)).scalar_subquery(),
    db.select(func.max(MetricTotal.computed_at)).scalar_subquery(),
)


def figures_version() -> tuple:
    """One cheap query whose answer changes whenever any public figure may have changed."""
    return tuple(read(_FIGURES_VERSION).one()) + (today(),)


def site_figures() -> SiteFigures:
    ttl = current_app.config["METRICS_CACHE_SECONDS"]
    return remember("site-figures", figures_version(), ttl, _compute_site_figures)


def _compute_site_figures() -> SiteFigures:
    petitions = db.session.execute(
        db.select(
            Petition.id,
            Petition.slug,
            Petition.title,
            Petition.status,
            Petition.goal,
            Petition.theme_id,
            func.coalesce(PetitionTally.confirmed, 0),
        ).outerjoin(PetitionTally, PetitionTally.petition_id == Petition.id)
    ).all()
    themes = db.session.execute(db.select(Theme).order_by(Theme.position)).scalars().all()
    theme_slug = {theme.id: theme.slug for theme in themes}
    recent = _recent_per_petition(GROWTH_DAYS)
    figures = [
        PetitionFigure(slug, title, theme_slug.get(theme_id, ""), status, goal, count, recent.get(pid, 0))
        for pid, slug, title, status, goal, theme_id, count in petitions
        if status in PUBLIC
    ]
    figures.sort(key=lambda p: (-p.signatures, p.slug))
    growing = sorted(
        (p for p in figures if p.last_week and p.status == PetitionStatus.OPEN),
        key=lambda p: (-p.last_week, p.slug),
    )[:TOP]
    supporters = db.session.get(MetricTotal, "supporters")
    last_change = db.session.execute(db.select(func.max(PetitionTally.updated_at))).scalar_one()
    provinces, unplaced, countries = _regions()
    now = utcnow()
    return SiteFigures(
        computed_at=now,
        total_signatures=sum(row[-1] for row in petitions),
        supporters=current_supporters(supporters, last_change, now),
        supporters_at=supporters.computed_at if supporters else None,
        themes=_themes(themes, petitions),
        petitions=figures,
        fastest_growing=growing,
        outcomes_by_type=_outcomes_by(Outcome.change_type),
        daily=_daily_totals(CHART_DAYS),
        provinces=provinces,
        unplaced_nl=unplaced,
        countries=countries,
    )


def _themes(themes, petitions) -> list[ThemeFigure]:
    signatures, open_petitions = Counter(), Counter()
    for _, _, _, status, _, theme_id, count in petitions:
        signatures[theme_id] += count
        open_petitions[theme_id] += status == PetitionStatus.OPEN
    outcomes = defaultdict(dict)
    for (theme_id, change_type), n in _outcomes_by(Outcome.theme_id, Outcome.change_type).items():
        outcomes[theme_id][change_type] = n
    return [
        ThemeFigure(
            theme.slug,
            theme.name_nl,
            theme.name_en,
            signatures[theme.id],
            open_petitions[theme.id],
            {key.value: outcomes[theme.id].get(key.value, 0) for key in ChangeType},
        )
        for theme in themes
    ]


def _outcomes_by(*columns) -> dict:
    rows = db.session.execute(db.select(*columns, func.count()).group_by(*columns)).all()
    if len(columns) == 1:
        counts = {row[0]: row[1] for row in rows}
        return {key.value: counts.get(key.value, 0) for key in ChangeType}
    return {tuple(row[:-1]): row[-1] for row in rows}


def _confirmed_since(since: date, per) -> dict:
    """Confirmed signatures from `since` on, summed per `per` (a DailyTally column)."""
    rows = db.session.execute(
        db.select(per, func.sum(DailyTally.confirmed)).where(DailyTally.day >= since).group_by(per)
    ).all()
    return {key: int(n or 0) for key, n in rows}


def _recent_per_petition(days: int) -> dict[int, int]:
    return _confirmed_since(today() - timedelta(days=days - 1), DailyTally.petition_id)


def _daily_totals(days: int) -> list[tuple[date, int]]:
    since = today() - timedelta(days=days - 1)
    return fill_days(_confirmed_since(since, DailyTally.day), since, today())


def fill_days(counts: dict[date, int], first: date, last: date) -> list[tuple[date, int]]:
    """Every day from first to last, with 0 for days that have no row."""
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
        for i in range((last - first).days + 1)
    ]


def region_totals() -> dict[str, int]:
    rows = db.session.execute(
        db.select(RegionTally.region, func.sum(RegionTally.confirmed)).group_by(RegionTally.region)
    ).all()
    return {region: int(n or 0) for region, n in rows if n}


def _regions() -> tuple[list[RegionFigure], int, list[tuple[str, int]]]:
    totals = region_totals()
    provinces = [
        RegionFigure(code, name, totals.get(code, 0))
        for code, name in sorted(PROVINCES.items(), key=lambda item: item[1])
    ]
    countries = Counter()
    for region, n in totals.items():
        if region:
            countries[country_of(region)] += n
    ordered = sorted(countries.items(), key=lambda item: (item[0] != "NL", -item[1], item[0]))
    return provinces, totals.get("NL", 0), ordered
