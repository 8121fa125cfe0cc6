"""Studio: the four-monthly reports (page, PDF, CSV) and inviting an outside reviewer for one."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.extensions import db
from campaign.i18n import current_locale
from campaign.models import Theme
from campaign.models.base import utcnow
from campaign.petitions.listing import first_publication, theme_by_slug, themes
from campaign.reports.export import report_csv
from campaign.reports.page import report_page
from campaign.reports.pdf import report_pdf
from campaign.reports.periods import Period, periods_between
from campaign.reports.report import build_report
from campaign.reports.reviews import Reviewer, ReviewError, invite_report_review
from campaign.web.errors import refuse
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.impact_forms import ReviewInviteForm


def _first_period(now) -> Period:
    first = first_publication()
    return Period.current(first or now)


@bp.get("/reports")
@viewer
def reports():
    now = utcnow()
    current = Period.current(now)
    periods = periods_between(min(_first_period(now), current.previous()), current)
    return render_template("studio/reports/index.html", periods=periods, current=current, themes=themes())


def _period_or_404(slug: str, now) -> Period:
    period = Period.from_slug(slug)
    if period is None or period > Period.current(now):
        refuse(404, _("Deze periode bestaat niet of is nog niet begonnen. Kies een periode uit de lijst."))
    return period


def _theme_or_404() -> Theme | None:
    slug = request.args.get("theme", "").strip()
    if not slug:
        return None
    theme = theme_by_slug(slug)
    if theme is None:
        refuse(404, _("Dit thema bestaat niet."))
    return theme


def _file_name(period: Period, theme: Theme | None, extension: str) -> str:
    return f"viermaandenrapportage-{period.slug}" + (f"-{theme.slug}" if theme else "") + f".{extension}"


@bp.get("/reports/<name>")
@viewer
def report(name: str):
    """/studio/reports/2026-2, .pdf or .csv, optionally ?theme=<slug>."""
    slug, _dot, extension = name.partition(".")
    if extension not in ("", "pdf", "csv"):
        abort(404)
    now = utcnow()
    period, theme = _period_or_404(slug, now), _theme_or_404()
    built = build_report(period, theme, now)
    if extension == "csv":
        response = make_response(report_csv(built, current_locale()))
        response.mimetype, response.charset = "text/csv", "utf-8"
    elif extension == "pdf":
        response = make_response(report_pdf(report_page(built, current_locale())))
        response.mimetype = "application/pdf"
    else:
        return _report_page(built, ReviewInviteForm())
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(period, theme, extension)}"'
    return response


def _report_page(built, form, status: int = 200):
    page = report_page(built, current_locale())
    return render_template("studio/reports/report.html", page=page, themes=themes(), form=form), status


@bp.post("/reports/<name>/reviews")
@campaigner
def report_review_invite(name: str):
    now = utcnow()
    period, theme = _period_or_404(name, now), _theme_or_404()
    form = ReviewInviteForm()
    if form.validate_on_submit():
        reviewer = Reviewer(form.name.data, form.email.data, form.affiliation.data or "", form.public.data)
        try:
            invite_report_review(period, theme, reviewer, current_user, now)
        except ReviewError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            db.session.commit()
            flash(_("De uitnodiging is verstuurd."), "success")
            return redirect(
                url_for("studio.report", name=period.slug, theme=theme.slug if theme else None), 303
            )
    return _report_page(build_report(period, theme, now), form, 400)
