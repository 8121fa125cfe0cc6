"""Studio: the impact log. Campaigners record, correct and remove outcomes; viewers read them."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign import audit
from campaign.extensions import db
from campaign.impact import (
    OutcomeError,
    delete_outcome,
    outcomes_for,
    record_outcome,
    update_outcome,
)
from campaign.models import Outcome
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.impact_forms import EvidenceForm, OutcomeForm, ReviewInviteForm

STUDIO_PAGE = 50


@bp.get("/impact")
@viewer
def impact_log():
    outcomes = outcomes_for(limit=STUDIO_PAGE)
    return render_template("studio/impact/list.html", outcomes=outcomes)


def _extra_forms() -> dict:
    """The evidence and reviewer forms under an existing outcome (campaign.web.studio.evidence)."""
    return {"evidence_form": EvidenceForm(formdata=None), "review_form": ReviewInviteForm(formdata=None)}


def _save(form: OutcomeForm, outcome: Outcome | None):
    template = "studio/impact/edit.html"
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(template, form=form, outcome=outcome, **_extra_forms()), status
    try:
        if outcome is None:
            outcome = record_outcome(form.details(), created_by=current_user.id)
            action = "outcome.record"
        else:
            update_outcome(outcome, form.details())
            action = "outcome.update"
    except OutcomeError as error:
        db.session.rollback()
        form.fill_choices()
        getattr(form, error.field).errors.append(str(error))
        return render_template(template, form=form, outcome=outcome, **_extra_forms()), 400
    details = f"{outcome.change_type} {outcome.happened_on}"
    audit.record(action, f"outcome:{outcome.id}", details=details, actor=current_user)
    db.session.commit()
    flash(_("De verandering is vastgelegd."), "success")
    return redirect(url_for("studio.impact_log"), 303)


@bp.route("/impact/new", methods=["GET", "POST"])
@campaigner
def outcome_new():
    form = OutcomeForm()
    form.fill_choices()
    if not form.is_submitted() and request.args.get("petition", "").isdigit():
        form.petition_id.data = request.args["petition"]
    return _save(form, None)


def _outcome_or_404(outcome_id: int) -> Outcome:
    outcome = row_or_404(Outcome, outcome_id)
    return outcome


@bp.route("/impact/<int:outcome_id>/edit", methods=["GET", "POST"])
@campaigner
def outcome_edit(outcome_id: int):
    outcome = _outcome_or_404(outcome_id)
    form = OutcomeForm(obj=outcome)
    form.fill_choices()
    if not form.is_submitted():
        form.contributors.data = [key for key in outcome.contributors.split(",") if key]
        form.petition_id.data = str(outcome.petition_id or "")
        form.theme_id.data = "" if outcome.petition_id else str(outcome.theme_id or "")
    return _save(form, outcome)


@bp.post("/impact/<int:outcome_id>/delete")
@campaigner
def outcome_delete(outcome_id: int):
    outcome = _outcome_or_404(outcome_id)
    audit.record(
        "outcome.delete",
        f"outcome:{outcome.id}",
        details=f"{outcome.change_type} {outcome.happened_on}",
        actor=current_user,
    )
    delete_outcome(outcome)
    db.session.commit()
    flash(_("De verandering is verwijderd."), "success")
    return redirect(url_for("studio.impact_log"), 303)
