"""What the petition and theme pages show of the metrics: a small chart and the recorded outcomes.

The public views call these; they read the daily rollup (primary-key range on one petition) and
the outcomes (a handful of rows), never the signatures.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from campaign.extensions import db
from campaign.impact import outcomes_for
from campaign.metrics.cache import remember
from campaign.metrics.charts import BarChart, bar_chart
from campaign.metrics.counts import petition_count
from campaign.metrics.figures import fill_days, site_figures, today
from campaign.models import DailyTally, Outcome, Petition, Theme

PETITION_CHART_DAYS = 30


@dataclass(frozen=True)
class PetitionPanel:
    chart: BarChart | None  # None until the petition has a confirmed signature
    outcomes: list[Outcome]


@dataclass(frozen=True)
class ThemePanel:
    signatures: int
    open_petitions: int
    outcomes: list[Outcome]


def petition_daily(petition_id: int) -> list[tuple]:
    """The petition's confirmed signatures per day over the last PETITION_CHART_DAYS days."""
    last = today()
    first = last - timedelta(days=PETITION_CHART_DAYS - 1)
    rows = db.session.execute(
        db.select(DailyTally.day, DailyTally.confirmed)
        .where(DailyTally.petition_id == petition_id, DailyTally.day >= first)
    ).all()
    return fill_days({day: n for day, n in rows}, first, last)


def petition_panel(petition: Petition) -> PetitionPanel:
    version = (petition_count(petition.id).updated_at, today())
    ttl = current_app.config["METRICS_CACHE_SECONDS"]
    days = remember(("petition-daily", petition.id), version, ttl, lambda: petition_daily(petition.id))
    chart = bar_chart([(day.isoformat(), n) for day, n in days], width=320, height=120) \
        if any(n for _, n in days) else None
    return PetitionPanel(chart=chart, outcomes=outcomes_for(petition_id=petition.id))


def theme_panel(theme: Theme) -> ThemePanel:
    figure = next((t for t in site_figures().themes if t.slug == theme.slug), None)
    return ThemePanel(
        signatures=figure.signatures if figure else 0,
        open_petitions=figure.open_petitions if figure else 0,
        outcomes=outcomes_for(theme_id=theme.id),
    )
