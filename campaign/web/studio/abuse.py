"""Studio: abuse. Flagged signatures per petition (release or reject), pause and proof-of-work switches,
and the admin's allow and block lists of email domains and IP ranges."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from campaign import abuse, audit
from campaign.abuse.controls import clean_rule_value
from campaign.abuse.reach import signatures_from_domain
from campaign.extensions import db
from campaign.models import Petition, PetitionStatus
from campaign.models.abuse import RuleAction, RuleKind
from campaign.web.studio.access import admin, campaigner, viewer
from campaign.web.studio.petitions import petition_or_404
from campaign.web.studio.views import bp


class SwitchForm(FlaskForm):
    paused = BooleanField(_l("Tekenen pauzeren"))
    proof_of_work = BooleanField(_l("Rekenpuzzel (proof of work) vragen bij tekenen"))
    message = StringField(
        _l("Bericht aan ondertekenaars tijdens de pauze (niet verplicht)"),
        validators=[Length(max=500, message=_l("Hoogstens 500 tekens."))],
    )


class RuleForm(FlaskForm):
    kind = SelectField(
        _l("Soort"),
        choices=[
            (RuleKind.DOMAIN.value, _l("E-maildomein")),
            (RuleKind.NETWORK.value, _l("IP-reeks (CIDR)")),
        ],
    )
    value = StringField(
        _l("Domein of reeks"),
        validators=[
            InputRequired(_l("Vul een domein of IP-reeks in.")),
            Length(max=255, message=_l("Te lang.")),
        ],
    )
    action = SelectField(
        _l("Lijst"),
        choices=[
            (RuleAction.BLOCK.value, _l("Blokkeren (markeren, telt niet mee)")),
            (RuleAction.ALLOW.value, _l("Toestaan (nooit markeren)")),
        ],
    )
    note = StringField(_l("Notitie"), validators=[Length(max=200, message=_l("Hoogstens 200 tekens."))])
    # Set by the confirmation page: a block first shows what it will do.
    confirmed = HiddenField()


@bp.get("/abuse")
@viewer
def abuse_overview():
    petitions = (
        db.session.execute(
            db.select(Petition)
            .where(Petition.status.in_([PetitionStatus.OPEN, PetitionStatus.CLOSED]))
            .order_by(Petition.created_at.desc())
        )
        .scalars()
        .all()
    )
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
    petition = petition_or_404(petition_id)
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
    )
    subject = f"petition:{petition_id}" if petition_id else "all"
    audit.record(
        "abuse.switch", subject, details=f"paused={form.paused.data} proof_of_work={form.proof_of_work.data}"
    )
    db.session.commit()
    flash(_("De instellingen zijn opgeslagen."), "success")


@bp.post("/abuse/petitions/<int:petition_id>/switch")
@campaigner
def abuse_petition_switch(petition_id: int):
    petition = petition_or_404(petition_id)
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
    petition = petition_or_404(petition_id)
    action = request.form.get("action")
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()] or None
    if action == "release":
        n = abuse.release_flagged(petition.id, ids)
        flash(
            ngettext(
                "%(num)s handtekening vrijgegeven: als die bevestigd is, telt hij nu mee.",
                "%(num)s handtekeningen vrijgegeven: bevestigde tellen nu mee.",
                n,
            ),
            "success",
        )
    elif action == "reject":
        n = abuse.reject_flagged(petition.id, ids)
        flash(
            ngettext(
                "%(num)s handtekening ongeldig verklaard.", "%(num)s handtekeningen ongeldig verklaard.", n
            ),
            "success",
        )
    else:
        abort(400)
    audit.record(f"abuse.{action}", f"petition:{petition.id}", details=f"{n} signatures")
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
            value = clean_rule_value(RuleKind(form.kind.data), form.value.data)
        except (abuse.RuleError, ValueError):
            flash(_("Dat is geen geldig e-maildomein of geldige IP-reeks."), "error")
            return redirect(url_for("studio.abuse_overview"), 303)
        return render_template(
            "studio/abuse/block_confirm.html",
            form=form,
            value=value,
            existing=signatures_from_domain(value) if form.kind.data == RuleKind.DOMAIN.value else None,
        )
    try:
        rule = abuse.add_rule(form.kind.data, form.value.data, form.action.data, form.note.data or "")
    except abuse.RuleError:
        flash(_("Dat is geen geldig e-maildomein of geldige IP-reeks."), "error")
        return redirect(url_for("studio.abuse_overview"), 303)
    audit.record("abuse.rule", f"abuse_rule:{rule.id}", details=f"{rule.kind} {rule.action}")
    db.session.commit()
    flash(_("De regel is opgeslagen."), "success")
    return redirect(url_for("studio.abuse_overview"), 303)


@bp.post("/abuse/rules/<int:rule_id>/delete")
@admin
def abuse_rule_delete(rule_id: int):
    if abuse.remove_rule(rule_id) is None:
        abort(404)
    audit.record("abuse.rule_delete", f"abuse_rule:{rule_id}")
    db.session.commit()
    flash(_("De regel is verwijderd."), "success")
    return redirect(url_for("studio.abuse_overview"), 303)
