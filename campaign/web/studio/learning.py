"""Studio: lessons learned when a petition closes, officials' responses to a petition, and a theme's
page (its lessons, outcomes, reports)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.extensions import db
from campaign.impact import outcomes_for
from campaign.models import Petition, TargetResponse
from campaign.models.base import utcnow
from campaign.petitions.listing import theme_by_slug
from campaign.reports.lessons import LessonError, lesson_for, record_lesson, theme_lessons
from campaign.reports.periods import Period
from campaign.reports.responses import (
    ResponseDetails,
    ResponseError,
    delete_response,
    petition_responses,
    record_response,
)
from campaign.web.errors import refuse
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.impact_forms import LessonForm, ResponseForm


@bp.route("/petitions/<int:petition_id>/lessons", methods=["GET", "POST"])
@campaigner
def petition_lessons(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    lesson = lesson_for(petition.id)
    form = LessonForm(obj=lesson)
    status = 200
    if form.validate_on_submit():
        try:
            record_lesson(petition, form.what_worked.data, form.what_we_change.data, current_user, utcnow())
        except LessonError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("De lessen zijn vastgelegd."), "success")
            return redirect(url_for("studio.theme_page", slug=petition.theme.slug), 303)
    if form.is_submitted():
        status = 400
    return render_template("studio/reports/lessons.html", petition=petition, form=form), status


@bp.get("/themes/<slug>")
@viewer
def theme_page(slug: str):
    theme = theme_by_slug(slug)
    if theme is None:
        refuse(404, _("Dit thema bestaat niet."))
    current = Period.current(utcnow())
    return render_template(
        "studio/reports/theme.html",
        theme=theme,
        lessons=theme_lessons(theme.id),
        outcomes=outcomes_for(theme_id=theme.id, limit=20),
        periods=[current, current.previous(), current.previous().previous()],
    )


def _response_page(petition, form, status: int = 200):
    form.target_id.choices = [("", _("Geen bepaald doelwit"))] + [
        (str(t.id), t.name) for t in petition.targets
    ]
    responses = petition_responses(petition.id)
    return render_template(
        "studio/reports/responses.html", petition=petition, form=form, responses=responses
    ), status


@bp.route("/petitions/<int:petition_id>/responses", methods=["GET", "POST"])
@campaigner
def petition_responses_page(petition_id: int):
    """Officials' responses to this petition, for the four-monthly report."""
    petition = row_or_404(Petition, petition_id)
    form = ResponseForm()
    if not form.is_submitted():
        return _response_page(petition, form)
    if form.validate_on_submit():
        target = form.target_id.data
        details = ResponseDetails(
            form.received_on.data, form.summary.data, int(target) if target and target.isdigit() else None
        )
        if target and not target.isdigit():
            form.target_id.errors.append(_("Kies een van de mogelijkheden uit de lijst."))
        else:
            try:
                record_response(petition, details, current_user, utcnow())
            except ResponseError as error:
                db.session.rollback()
                getattr(form, error.field).errors.append(str(error))
            else:
                db.session.commit()
                flash(_("De reactie is vastgelegd."), "success")
                return redirect(url_for("studio.petition_responses_page", petition_id=petition.id), 303)
    return _response_page(petition, form, 400)


@bp.post("/responses/<int:response_id>/delete")
@campaigner
def response_delete(response_id: int):
    response = row_or_404(TargetResponse, response_id, _("Deze reactie bestaat niet (meer)."))
    petition_id = response.petition_id
    delete_response(response, current_user)
    db.session.commit()
    flash(_("De reactie is verwijderd."), "success")
    return redirect(url_for("studio.petition_responses_page", petition_id=petition_id), 303)
