"""Studio: an outcome's evidence (links, uploaded documents) and its outside reviewers."""

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.extensions import csrf, db
from campaign.impact import OutcomeError
from campaign.impact.evidence import add_evidence, evidence_path, remove_evidence
from campaign.models import Evidence, Outcome, Review
from campaign.models.base import utcnow
from campaign.reports.reviews import Reviewer, ReviewError, invite_outcome_review, revoke_review
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.impact_forms import EvidenceForm, ReviewInviteForm


def _outcome_or_404(outcome_id: int) -> Outcome:
    outcome = row_or_404(Outcome, outcome_id)
    return outcome


def _back(outcome_id: int):
    return redirect(url_for("studio.outcome_edit", outcome_id=outcome_id) + "#evidence", 303)


def _edit_page(outcome: Outcome, evidence_form=None, review_form=None):
    """The outcome's edit page again, with the problems of the form that was sent (400)."""
    from campaign.web.studio.impact import OutcomeForm

    form = OutcomeForm(obj=outcome, formdata=None)
    form.fill_choices()
    form.contributors.data = [key for key in outcome.contributors.split(",") if key]
    form.petition_id.data = str(outcome.petition_id or "")
    form.theme_id.data = "" if outcome.petition_id else str(outcome.theme_id or "")
    return render_template(
        "studio/impact/edit.html",
        form=form,
        outcome=outcome,
        evidence_form=evidence_form or EvidenceForm(formdata=None),
        review_form=review_form or ReviewInviteForm(formdata=None),
    ), 400


@bp.post("/impact/<int:outcome_id>/evidence")
@csrf.exempt  # checked below, once the larger limit is in place
@campaigner
def evidence_add(outcome_id: int):
    # Documents are larger than any other form: this request alone may carry one. CSRFProtect would
    # read the body before this view, under the site-wide MAX_CONTENT_LENGTH.
    request.max_content_length = current_app.config["EVIDENCE_MAX_BYTES"] + 256 * 1024
    csrf.protect()
    outcome = _outcome_or_404(outcome_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        return _edit_page(outcome, evidence_form=form)
    upload = form.document.data
    if not (form.links.data or "").strip() and not (upload and upload.filename):
        form.links.errors.append(_("Geef een link of kies een document."))
        return _edit_page(outcome, evidence_form=form)
    try:
        add_evidence(
            outcome,
            form.links.data,
            upload.filename if upload else None,
            upload.stream if upload else None,
            actor=current_user,
        )
    except OutcomeError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(str(error))
        return _edit_page(outcome, evidence_form=form)
    db.session.commit()
    flash(_("Het bewijs is toegevoegd."), "success")
    return _back(outcome.id)


@bp.get("/impact/evidence/<int:evidence_id>")
@viewer
def evidence_file(evidence_id: int):
    item = row_or_404(Evidence, evidence_id)
    if not item.is_document or not evidence_path(item).is_file():
        abort(404)
    response = send_file(
        evidence_path(item), mimetype=item.content_type, as_attachment=True, download_name=item.file_name
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/impact/evidence/<int:evidence_id>/delete")
@campaigner
def evidence_delete(evidence_id: int):
    item = row_or_404(Evidence, evidence_id)
    outcome_id = item.outcome_id
    remove_evidence(item, actor=current_user)
    db.session.commit()
    flash(_("Het bewijs is verwijderd."), "success")
    return _back(outcome_id)


@bp.post("/impact/<int:outcome_id>/reviews")
@campaigner
def outcome_review_invite(outcome_id: int):
    outcome = _outcome_or_404(outcome_id)
    form = ReviewInviteForm()
    if not form.validate_on_submit():
        return _edit_page(outcome, review_form=form)
    reviewer = Reviewer(form.name.data, form.email.data, form.affiliation.data or "", form.public.data)
    try:
        invite_outcome_review(outcome, reviewer, current_user, utcnow())
    except ReviewError as error:
        db.session.rollback()
        getattr(form, error.field or "email").errors.append(str(error))
        return _edit_page(outcome, review_form=form)
    db.session.commit()
    flash(_("De uitnodiging is verstuurd."), "success")
    return _back(outcome.id)


@bp.post("/reviews/<int:review_id>/revoke")
@campaigner
def review_revoke(review_id: int):
    review = row_or_404(Review, review_id)
    revoke_review(review, current_user, utcnow())
    db.session.commit()
    flash(_("De link van de beoordelaar werkt niet meer."), "success")
    if review.outcome_id:
        return _back(review.outcome_id)
    theme = review.theme.slug if review.theme else None
    return redirect(url_for("studio.report", name=review.report_period, theme=theme), 303)
