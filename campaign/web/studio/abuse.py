"""Studio: abuse. Flagged signatures per petition (release or reject), pause and proof-of-work switches,
and the admin's allow and block lists of email domains and IP ranges."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from campaign import abuse
from campaign.abuse.reach import block_reach
from campaign.extensions import db
from campaign.models import Petition
from campaign.models.abuse import RuleAction
from campaign.petitions.listing import public_petitions
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import admin, campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import RuleForm, SwitchForm


@bp.get("/abuse")
@viewer
def abuse_overview():
    petitions = public_petitions()
    state = abuse.snapshot()
    everywhere = state.switch(None)
    return render_template(
        "studio/abuse/index.html",
        petitions=petitions,
        flagged=abuse.flagged_summary(),
        state=state,
        labels=abuse.FLAG_LABELS,
        rules=abuse.rules(),
        rule_form=RuleForm(),
        global_form=SwitchForm(
            formdata=None,
            paused=everywhere.paused,
            proof_of_work=everywhere.proof_of_work,
            message=everywhere.message,
        ),
    )


@bp.get("/abuse/petitions/<int:petition_id>")
@campaigner
def abuse_petition(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    current = abuse.snapshot().switch(petition.id)
    form = SwitchForm(
        formdata=None, paused=current.paused, proof_of_work=current.proof_of_work, message=current.message
    )
    return render_template(
        "studio/abuse/petition.html",
        petition=petition,
        form=form,
        labels=abuse.FLAG_LABELS,
        flagged=abuse.flagged_signatures(petition.id),
        domain_of=abuse.domain_of,
    )


def _save_switch(petition_id: int | None, form: SwitchForm) -> None:
    abuse.set_switch(
        petition_id,
        paused=form.paused.data,
        proof_of_work=form.proof_of_work.data,
        message=form.message.data or "",
        actor=current_user,
    )
    db.session.commit()
    flash(_("De instellingen zijn opgeslagen."), "success")


@bp.post("/abuse/petitions/<int:petition_id>/switch")
@campaigner
def abuse_petition_switch(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    form = SwitchForm()
    if not form.validate():
        flash(_("De instellingen zijn niet opgeslagen: controleer het bericht."), "error")
        return redirect(url_for("studio.abuse_petition", petition_id=petition.id), 303)
    _save_switch(petition.id, form)
    return redirect(url_for("studio.abuse_petition", petition_id=petition.id), 303)


@bp.post("/abuse/switch")
@admin
def abuse_global_switch():
    form = SwitchForm()
    if form.validate():
        _save_switch(None, form)
    else:
        flash(_("De instellingen zijn niet opgeslagen: controleer het bericht."), "error")
    return redirect(url_for("studio.abuse_overview"), 303)


@bp.post("/abuse/petitions/<int:petition_id>/flagged")
@campaigner
def abuse_flagged(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    action = request.form.get("action")
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()] or None
    if action == "release":
        n = abuse.release_flagged(petition.id, ids, actor=current_user)
        flash(
            ngettext(
                "%(num)s handtekening vrijgegeven: als die bevestigd is, telt hij nu mee.",
                "%(num)s handtekeningen vrijgegeven: bevestigde tellen nu mee.",
                n,
            ),
            "success",
        )
    elif action == "reject":
        n = abuse.reject_flagged(petition.id, ids, actor=current_user)
        flash(
            ngettext(
                "%(num)s handtekening ongeldig verklaard.", "%(num)s handtekeningen ongeldig verklaard.", n
            ),
            "success",
        )
    else:
        abort(400)
    db.session.commit()
    return redirect(url_for("studio.abuse_petition", petition_id=petition.id), 303)


@bp.post("/abuse/rules")
@admin
def abuse_rule_add():
    form = RuleForm()
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("studio.abuse_overview"), 303)
    if form.action.data == RuleAction.BLOCK.value and form.confirmed.data != "yes":
        try:
            value, existing = block_reach(form.kind.data, form.value.data)
        except abuse.RuleError:
            flash(_("Dat is geen geldig e-maildomein of geldige IP-reeks."), "error")
            return redirect(url_for("studio.abuse_overview"), 303)
        return render_template("studio/abuse/block_confirm.html", form=form, value=value, existing=existing)
    try:
        abuse.add_rule(
            form.kind.data, form.value.data, form.action.data, form.note.data or "", actor=current_user
        )
    except abuse.RuleError:
        flash(_("Dat is geen geldig e-maildomein of geldige IP-reeks."), "error")
        return redirect(url_for("studio.abuse_overview"), 303)
    db.session.commit()
    flash(_("De regel is opgeslagen."), "success")
    return redirect(url_for("studio.abuse_overview"), 303)


@bp.post("/abuse/rules/<int:rule_id>/delete")
@admin
def abuse_rule_delete(rule_id: int):
    if abuse.remove_rule(rule_id, actor=current_user) is None:
        abort(404)
    db.session.commit()
    flash(_("De regel is verwijderd."), "success")
    return redirect(url_for("studio.abuse_overview"), 303)
