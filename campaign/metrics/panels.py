"""What the petition and theme pages show of the metrics: a small chart and the recorded outcomes.

The public views call these; they read the daily rollup (primary-key range on one petition) and
the outcomes (a handful of rows), never the signatures.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from markupsafe import Markup

from campaign.extensions import db
from campaign.i18n import current_locale
from campaign.impact import outcomes_for
from campaign.metrics.cache import remember
from campaign.metrics.charts import bar_chart
from campaign.metrics.counts import petition_count
from campaign.metrics.figures import fill_days, site_figures, today
from campaign.models import DailyTally, Outcome, Petition, Theme

PETITION_CHART_DAYS = 30


@dataclass(frozen=True)
class PetitionPanel:
    chart_html: Markup | None  # the rendered chart; None until the petition has a confirmed signature
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
        db.select(DailyTally.day, DailyTally.confirmed).where(
            DailyTally.petition_id == petition_id, DailyTally.day >= first
        )
    ).all()
    return fill_days({day: n for day, n in rows}, first, last)


def _chart_html(petition_id: int) -> Markup | None:
    days = petition_daily(petition_id)
    if not any(n for _, n in days):
        return None
    chart = bar_chart([(day.isoformat(), n) for day, n in days], width=640, height=160)
    return Markup(render_template("public/_petition_chart.html", chart=chart))  # noqa: S704 - our template


def petition_panel(petition: Petition) -> PetitionPanel:
    """The chart is rendered once per process and language until the petition's tally changes."""
    version = (petition_count(petition.id).updated_at, today())
    ttl = current_app.config["METRICS_CACHE_SECONDS"]
    key = ("petition-chart", petition.id, current_locale())
    chart_html = remember(key, version, ttl, lambda: _chart_html(petition.id))
    return PetitionPanel(chart_html=chart_html, outcomes=outcomes_for(petition_id=petition.id))


def theme_panel(theme: Theme) -> ThemePanel:
    figure = next((t for t in site_figures().themes if t.slug == theme.slug), None)
    return ThemePanel(
        signatures=figure.signatures if figure else 0,
        open_petitions=figure.open_petitions if figure else 0,
        outcomes=outcomes_for(theme_id=theme.id),
    )
