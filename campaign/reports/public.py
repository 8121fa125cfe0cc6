"""Accounting to the public: per theme and period, what changed and how supporters contributed.

Aggregates only (signatures, deliveries, outcomes), as a page model, JSON and CSV: no name, address,
postcode or reviewer's email. Per period one grouped query on each source; cached per process until
the figures change (campaign.metrics.cache).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from campaign.csvcells import cell
from campaign.extensions import db
from campaign.metrics.cache import remember
from campaign.metrics.figures import PUBLIC, figures_version
from campaign.models import (
    ChangeType,
    DailyTally,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Outcome,
    Petition,
    Theme,
)
from campaign.reports.periods import Period, periods_between


@dataclass
class Contribution:
    """One theme (or all, slug None) in one period."""

    slug: str | None
    signatures: int = 0
    deliveries: dict[str, int] = field(default_factory=lambda: {kind.value: 0 for kind in DeliveryKind})
    outcomes: dict[str, int] = field(default_factory=lambda: {key.value: 0 for key in ChangeType})

    def as_dict(self) -> dict:
        return {
            "signatures": self.signatures,
            "deliveries": dict(self.deliveries),
            "outcomes": dict(self.outcomes),
        }


def public_periods(now: datetime) -> list[Period]:
    """From the period of the first public petition up to the running one, newest first."""
    first = db.session.execute(
        db.select(func.min(Petition.published_at)).where(Petition.status.in_(PUBLIC))
    ).scalar_one_or_none()
    current = Period.current(now)
    return periods_between(Period.current(first) if first else current, current)


def period_contributions(period: Period) -> dict[str | None, Contribution]:
    """Per theme slug, and the sum under None."""
    themes = dict(db.session.execute(db.select(Theme.id, Theme.slug)).all())
    result = {slug: Contribution(slug) for slug in themes.values()}
    total = result.setdefault(None, Contribution(None))
    signatures = db.session.execute(
        db.select(Petition.theme_id, func.sum(DailyTally.confirmed))
        .join(Petition, Petition.id == DailyTally.petition_id)
        .where(Petition.status.in_(PUBLIC), DailyTally.day >= period.start, DailyTally.day < period.end)
        .group_by(Petition.theme_id)
    )
    for theme_id, n in signatures:
        result[themes[theme_id]].signatures += int(n or 0)
        total.signatures += int(n or 0)
    deliveries = db.session.execute(
        db.select(Petition.theme_id, Delivery.kind, func.count(Delivery.id))
        .join(Petition, Petition.id == Delivery.petition_id)
        .where(
            Petition.status.in_(PUBLIC),
            Delivery.status == DeliveryStatus.SENT,
            Delivery.sent_at >= period.start_utc,
            Delivery.sent_at < period.end_utc,
        )
        .group_by(Petition.theme_id, Delivery.kind)
    )
    for theme_id, kind, n in deliveries:
        for item in (result[themes[theme_id]], total):
            item.deliveries[kind] = item.deliveries.get(kind, 0) + int(n)
    outcomes = db.session.execute(
        db.select(Outcome.theme_id, Outcome.change_type, func.count(Outcome.id))
        .where(Outcome.happened_on >= period.start, Outcome.happened_on < period.end)
        .group_by(Outcome.theme_id, Outcome.change_type)
    )
    for theme_id, change_type, n in outcomes:
        for item in (result.get(themes.get(theme_id)), total):
            if item is not None:
                item.outcomes[change_type] = item.outcomes.get(change_type, 0) + int(n)
    return result


def _compute_open_data(now: datetime) -> dict:
    periods = []
    for period in public_periods(now):
        contributions = period_contributions(period)
        periods.append(
            {
                "period": period.slug,
                "label": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "so_far": not period.ended(now),
                "total": contributions[None].as_dict(),
                "themes": [
                    {"slug": slug, **item.as_dict()}
                    for slug, item in contributions.items()
                    if slug is not None
                ],
                "outcomes": [_outcome_record(outcome) for outcome in _period_outcomes(period)],
            }
        )
    return {"generated_at": now.isoformat(timespec="seconds") + "Z", "periods": periods}


def _period_outcomes(period: Period) -> list[Outcome]:
    return list(
        db.session.execute(
            db.select(Outcome)
            .options(selectinload(Outcome.reviews))
            .where(Outcome.happened_on >= period.start, Outcome.happened_on < period.end)
            .order_by(Outcome.happened_on, Outcome.id)
        )
        .unique()
        .scalars()
    )


def _outcome_record(outcome: Outcome) -> dict:
    """An outcome for open data: what the public pages show, and the reviewers the organisation named."""
    petition = outcome.petition if outcome.petition and outcome.petition.is_public() else None
    return {
        "date": outcome.happened_on.isoformat(),
        "change_type": outcome.change_type,
        "title": outcome.title,
        "theme": outcome.theme.slug if outcome.theme else None,
        "petition": petition.slug if petition else None,
        "contribution": outcome.contribution,
        "contributors": outcome.contributor_names,
        "source_url": outcome.source_url or None,
        "validated_by": [
            {"name": review.shown_name, "verdict": review.status} for review in outcome.public_validations
        ],
    }


def open_data(now: datetime) -> dict:
    ttl = current_app.config["METRICS_CACHE_SECONDS"]
    return remember(("impact-open-data",), figures_version(), ttl, lambda: _compute_open_data(now))


def period_summary(period: Period, theme_slug: str | None) -> Contribution:
    ttl = current_app.config["METRICS_CACHE_SECONDS"]
    key = ("impact-period", period.slug)
    return remember(key, figures_version(), ttl, lambda: period_contributions(period))[theme_slug]


def open_data_csv(now: datetime) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    kinds, types = [kind.value for kind in DeliveryKind], [key.value for key in ChangeType]
    writer.writerow(
        ["period", "start", "end", "theme", "signatures"]
        + [f"deliveries_{kind}" for kind in kinds]
        + [f"outcomes_{key}" for key in types]
    )
    for period in open_data(now)["periods"]:
        for slug, item in [("", period["total"])] + [(theme["slug"], theme) for theme in period["themes"]]:
            writer.writerow(
                [period["period"], period["start"], period["end"], cell(slug or "all"), item["signatures"]]
                + [item["deliveries"].get(kind, 0) for kind in kinds]
                + [item["outcomes"].get(key, 0) for key in types]
            )
    return out.getvalue()
