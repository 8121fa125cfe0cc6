"""An outside reviewer's personal link: read the one outcome or report it was made for, and answer.

The token is the only key, and it opens its own review row alone; nothing else can be read or
changed through it. Never cached, no Referer sent, not indexed.
"""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.extensions import db
from campaign.i18n import current_locale
from campaign.models import Review
from campaign.models.base import utcnow
from campaign.reports.page import report_page
from campaign.reports.periods import Period
from campaign.reports.report import build_report
from campaign.reports.reviews import ReviewError, answer_review, review_by_token, reviewed_outcome
from campaign.web.errors import refuse
from campaign.web.public.blueprint import PRIVATE_HEADERS, bp
from campaign.web.public.forms import ReviewAnswerForm


def _open_review(token: str) -> Review:
    review = review_by_token(token)
    if review is None:
        refuse(404, _("Deze link is onbekend. Controleer of u de hele link uit de e-mail gebruikte."))
    if review.expired(utcnow()):
        refuse(410, _("Deze link is verlopen. Vraag de organisatie om een nieuwe uitnodiging."))
    return review


def _page(review: Review, form: ReviewAnswerForm, status: int = 200):
    outcome, page = None, None
    if review.outcome_id is not None:
        outcome = reviewed_outcome(review)
    else:
        period = Period.from_slug(review.report_period)
        page = report_page(build_report(period, review.theme, utcnow()), current_locale())
    html = render_template("public/review.html", review=review, outcome=outcome, page=page, form=form)
    return html, status, PRIVATE_HEADERS


@bp.get("/review/<token>")
def review(token: str):
    review = _open_review(token)
    form = ReviewAnswerForm(
        formdata=None, status=review.status if review.answered else None, comment=review.comment
    )
    return _page(review, form)


@bp.post("/review/<token>")
def review_answer(token: str):
    review = _open_review(token)
    form = ReviewAnswerForm()
    if form.validate_on_submit():
        try:
            answer_review(review, form.status.data, form.comment.data, utcnow())
        except ReviewError as error:
            db.session.rollback()
            getattr(form, error.field or "status").errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("public.review_thanks", token=token), 303)
    return _page(review, form, 400)


@bp.get("/review/<token>/thanks")
def review_thanks(token: str):
    review = _open_review(token)
    html = render_template("public/review_thanks.html", review=review)
    return html, 200, PRIVATE_HEADERS
