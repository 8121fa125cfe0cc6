"""Public support metrics (/metrics), the impact log (/impact) and the CSV downloads.

Routes of the public blueprint (campaign/web/public/blueprint.py). Pages read the tallies
through campaign.metrics, which caches per process; browsers and proxies may keep an answer for
METRICS_MAX_AGE seconds and revalidate it with its ETag.
"""

from flask import Response, abort, current_app, jsonify, make_response, render_template, request, session
from flask_babel import format_date
from flask_babel import gettext as _

from campaign.i18n import current_locale
from campaign.impact import PAGE_SIZE, count_outcomes, outcomes_for
from campaign.metrics import opendata
from campaign.metrics.cache import remember
from campaign.metrics.figures import figures_version
from campaign.models import ChangeType
from campaign.models.base import utcnow
from campaign.models.impact import CHANGE_TYPE_LABELS
from campaign.petitions.listing import theme_by_slug, themes
from campaign.reports.periods import Period
from campaign.reports.public import open_data, open_data_csv, period_summary, public_periods
from campaign.web.public.blueprint import bp

CSV_FILES = {
    "handtekeningen-per-dag": opendata.per_day_csv,
    "themas": opendata.themes_csv,
    "regios": opendata.regions_csv,
    "uitkomsten": opendata.outcomes_csv,
}


@bp.app_template_filter("long_date")
def long_date(value) -> str:
    return format_date(value, "long")


def cacheable(response: Response, vary_language: bool = True) -> Response:
    """Public for a few seconds, then revalidated by ETag (a 304 costs no rendering downstream)."""
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['METRICS_MAX_AGE']}"
    if vary_language:
        response.vary.update(("Cookie", "Accept-Language"))  # the page's language follows them
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/metrics")
def metrics():
    def render() -> str:
        page = opendata.metrics_page(current_locale())
        return render_template("public/metrics.html", page=page, figures=page.figures)

    if session.get("_flashes"):  # a pending message is this visitor's own: never cache that page
        return cacheable(make_response(render()))
    # The rendered page is the same for everyone with the same language, until the figures change.
    key = ("metrics-page", current_locale(), request.full_path)
    html = remember(key, figures_version(), current_app.config["METRICS_CACHE_SECONDS"], render)
    return cacheable(make_response(html))


@bp.get("/metrics/<name>.csv")
def metrics_csv(name: str):
    build = CSV_FILES.get(name)
    if build is None:
        abort(404)
    response = make_response(build())
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return cacheable(response, vary_language=False)


def _impact_filters():
    """The filters of /impact from the query string; a Dutch message for values that do not exist."""
    theme_slug = request.args.get("thema", "").strip()
    change_type = request.args.get("type", "").strip()
    page = request.args.get("pagina", "1").strip()
    period_slug = request.args.get("periode", "").strip()
    problems = []
    period = None
    if period_slug:
        period = Period.from_slug(period_slug)
        if period is None or period > Period.current(utcnow()):
            problems.append(_("Deze periode bestaat niet."))
            period = None
    theme = None
    if theme_slug:
        theme = theme_by_slug(theme_slug)
        if theme is None:
            problems.append(_("Dit thema bestaat niet."))
    if change_type and change_type not in {key.value for key in ChangeType}:
        problems.append(_("Dit type verandering bestaat niet."))
        change_type = ""
    if not page.isdigit() or not 1 <= int(page) <= 10_000:
        problems.append(_("Dit paginanummer klopt niet."))
        page = "1"
    return theme, change_type or None, int(page), period, problems


@bp.get("/impact")
def impact():
    theme, change_type, page, period, problems = _impact_filters()
    between = (period.start, period.end) if period else None
    summary = None
    if problems:
        outcomes, total = [], 0
    else:
        theme_id = theme.id if theme else None
        outcomes = outcomes_for(theme_id=theme_id, change_type=change_type, page=page, between=between)
        total = count_outcomes(theme_id=theme_id, change_type=change_type, between=between)
        if period:
            summary = period_summary(period, theme.slug if theme else None)
    response = make_response(
        render_template(
            "public/impact.html",
            outcomes=outcomes,
            themes=themes(),
            theme=theme,
            change_type=change_type,
            change_types=[(key.value, str(CHANGE_TYPE_LABELS[key])) for key in ChangeType],
            problems=problems,
            page=page,
            period=period,
            periods=public_periods(utcnow()),
            summary=summary,
            has_next=page * PAGE_SIZE < total,
            total=total,
        ),
        400 if problems else 200,
    )
    return cacheable(response) if not problems else response


@bp.get("/impact.json")
def impact_json():
    """Open data: per period and theme, signatures, deliveries and outcomes; no personal data."""
    return cacheable(jsonify(open_data(utcnow())), vary_language=False)


@bp.get("/impact.csv")
def impact_csv():
    response = make_response(open_data_csv(utcnow()))
    response.mimetype, response.charset = "text/csv", "utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="impact-per-periode.csv"'
    return cacheable(response, vary_language=False)
