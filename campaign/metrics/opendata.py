"""The figures as a page model, as JSON and as CSV: aggregates only, never a name, address or postcode."""

import csv
import io
from dataclasses import dataclass

from babel import Locale
from flask import current_app

from campaign.csvcells import cell
from campaign.extensions import db
from campaign.metrics.cache import remember
from campaign.metrics.charts import BarChart, bar_chart
from campaign.metrics.figures import PUBLIC, SiteFigures, figures_version, site_figures
from campaign.metrics.provincemap import ProvinceMap, province_map
from campaign.metrics.regions import PROVINCES, country_of
from campaign.models import ChangeType, DailyTally, Outcome, Petition, RegionTally, Theme
from campaign.models.impact import CHANGE_TYPE_LABELS


@dataclass(frozen=True)
class MetricsPage:
    figures: SiteFigures
    daily_chart: BarChart
    province_map: ProvinceMap
    countries: list[tuple[str, str, int]]  # code, name in the reader's language, signatures
    change_types: list[tuple[str, str]]  # key, label


def country_name(code: str, locale: str) -> str:
    return Locale.parse(locale if locale in ("nl", "en") else "nl").territories.get(code, code)


def metrics_page(locale: str) -> MetricsPage:
    figures = site_figures()
    return MetricsPage(
        figures=figures,
        daily_chart=bar_chart([(day.isoformat(), n) for day, n in figures.daily]),
        province_map=province_map({p.code: p.signatures for p in figures.provinces}),
        countries=[(code, country_name(code, locale), n) for code, n in figures.countries],
        change_types=[(key.value, str(CHANGE_TYPE_LABELS[key])) for key in ChangeType],
    )


def metrics_json() -> dict:
    figures = site_figures()
    return {
        "generated_at": figures.computed_at.isoformat() + "Z",
        "total_signatures": figures.total_signatures,
        "supporters": figures.supporters,
        "themes": [
            {
                "slug": t.slug,
                "name": t.name_nl,
                "name_en": t.name_en,
                "signatures": t.signatures,
                "open_petitions": t.open_petitions,
                "outcomes": t.outcomes,
            }
            for t in figures.themes
        ],
        "petitions": [
            {
                "slug": p.slug,
                "title": p.title,
                "theme": p.theme_slug,
                "status": p.status,
                "goal": p.goal,
                "signatures": p.signatures,
                "signatures_last_7_days": p.last_week,
            }
            for p in figures.petitions
        ],
        "provinces": [
            {"code": p.code, "name": p.name, "signatures": p.signatures} for p in figures.provinces
        ],
        "netherlands_without_province": figures.unplaced_nl,
        "countries": [{"code": code, "signatures": n} for code, n in figures.countries],
        "outcomes": figures.outcomes_by_type,
        "signatures_per_day": [{"day": day.isoformat(), "signatures": n} for day, n in figures.daily],
    }


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def _cached_csv(name: str, build) -> str:
    return remember(("csv", name), figures_version(), current_app.config["METRICS_CACHE_SECONDS"], build)


def per_day_csv() -> str:
    def build():
        rows = db.session.execute(
            db.select(Petition.slug, Theme.slug, DailyTally.day, DailyTally.confirmed)
            .join(Petition, Petition.id == DailyTally.petition_id)
            .join(Theme, Theme.id == Petition.theme_id)
            .where(Petition.status.in_(PUBLIC), DailyTally.confirmed != 0)
            .order_by(Petition.slug, DailyTally.day)
        ).all()
        return _csv(
            ["petition", "theme", "day", "signatures"], ((p, t, d.isoformat(), n) for p, t, d, n in rows)
        )

    return _cached_csv("per-day", build)


def themes_csv() -> str:
    def build():
        keys = [key.value for key in ChangeType]
        return _csv(
            ["theme", "name", "signatures", "open_petitions", *[f"outcomes_{key}" for key in keys]],
            (
                [t.slug, t.name_nl, t.signatures, t.open_petitions, *[t.outcomes[key] for key in keys]]
                for t in site_figures().themes
            ),
        )

    return _cached_csv("themes", build)


def regions_csv() -> str:
    def build():
        rows = db.session.execute(
            db.select(Petition.slug, RegionTally.region, RegionTally.confirmed)
            .join(Petition, Petition.id == RegionTally.petition_id)
            .where(Petition.status.in_(PUBLIC), RegionTally.confirmed != 0, RegionTally.region != "")
            .order_by(Petition.slug, RegionTally.region)
        ).all()
        return _csv(
            ["petition", "region", "province", "country", "signatures"],
            ((slug, region, PROVINCES.get(region, ""), country_of(region), n) for slug, region, n in rows),
        )

    return _cached_csv("regions", build)


def outcomes_csv() -> str:
    def build():
        outcomes = (
            db.session.execute(db.select(Outcome).order_by(Outcome.happened_on.desc(), Outcome.id.desc()))
            .unique()
            .scalars()
        )
        return _csv(
            ["date", "change_type", "theme", "petition", "title", "description", "source_url"],
            (
                (
                    o.happened_on.isoformat(),
                    o.change_type,
                    o.theme.slug if o.theme else "",
                    o.petition.slug if o.petition and o.petition.is_public() else "",
                    o.title,
                    o.description,
                    o.source_url,
                )
                for o in outcomes
            ),
        )

    return _cached_csv("outcomes", build)
