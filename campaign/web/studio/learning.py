"""Studio: lessons learned when a petition closes, and a theme's page (its lessons, outcomes, reports)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.extensions import db
from campaign.impact import outcomes_for
from campaign.models import Lesson, Theme
from campaign.models.base import utcnow
from campaign.reports.lessons import LessonError, record_lesson, theme_lessons
from campaign.reports.periods import Period
from campaign.web.errors import refuse
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.forms import LessonForm
from campaign.web.studio.petitions import petition_or_404
from campaign.web.studio.views import bp


@bp.route("/petitions/<int:petition_id>/lessons", methods=["GET", "POST"])
@campaigner
def petition_lessons(petition_id: int):
    petition = petition_or_404(petition_id)
    lesson = db.session.get(Lesson, petition.id)
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
    theme = db.session.execute(db.select(Theme).where(Theme.slug == slug)).scalar_one_or_none()
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
