"""Studio: the impact log. Campaigners record, correct and remove outcomes; viewers read them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField, URLField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign import audit
from campaign.extensions import db
from campaign.impact import (
    OutcomeDetails,
    OutcomeError,
    delete_outcome,
    outcomes_for,
    record_outcome,
    update_outcome,
)
from campaign.models import ChangeType, Outcome, Petition, Theme
from campaign.models.impact import CHANGE_TYPE_LABELS, CONTRIBUTION_LABELS, CONTRIBUTOR_LABELS
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.views import bp

STUDIO_PAGE = 50


class DayField(DateField):
    """A date with a Dutch message for input that is not one (WTForms' own is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Geef een geldige datum.")) from None


def one_of_the_choices(form, field) -> None:
    if field.data and field.data not in {str(value) for value, _label in field.choices}:
        raise ValidationError(_("Kies een van de mogelijkheden uit de lijst."))


class OutcomeForm(FlaskForm):
    # validate_choice=False: WTForms' message is English; one_of_the_choices says it in Dutch.
    petition_id = SelectField(
        _l("Petitie"), coerce=str, validate_choice=False, validators=[Optional(), one_of_the_choices]
    )
    theme_id = SelectField(
        _l("Of een heel thema"),
        coerce=str,
        validate_choice=False,
        validators=[Optional(), one_of_the_choices],
    )
    change_type = SelectField(
        _l("Type verandering"),
        choices=[(key.value, CHANGE_TYPE_LABELS[key]) for key in ChangeType],
        validate_choice=False,
        validators=[InputRequired(_l("Kies een type verandering.")), one_of_the_choices],
    )
    happened_on = DayField(_l("Datum"), validators=[InputRequired(_l("Geef een geldige datum."))])
    title = StringField(
        _l("Korte titel"),
        validators=[
            InputRequired(_l("Geef een korte titel.")),
            Length(max=200, message=_l("Maximaal 200 tekens.")),
        ],
    )
    description = TextAreaField(
        _l("Beschrijving"), validators=[Optional(), Length(max=5000, message=_l("Maximaal 5000 tekens."))]
    )
    source_url = URLField(
        _l("Bron (link)"), validators=[Optional(), Length(max=1000, message=_l("Maximaal 1000 tekens."))]
    )
    contribution = SelectField(
        _l("Onze bijdrage"),
        choices=[(key.value, label) for key, label in CONTRIBUTION_LABELS.items()],
        default="unclear",
        validate_choice=False,
        validators=[Optional(), one_of_the_choices],  # not given (an older form, an API): unclear
    )
    contributors = SelectMultipleField(
        _l("Wie droegen ook bij"),
        choices=list(CONTRIBUTOR_LABELS.items()),
        validate_choice=False,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    contributors_other = StringField(
        _l("Andere partijen"), validators=[Optional(), Length(max=300, message=_l("Maximaal 300 tekens."))]
    )

    def fill_choices(self) -> None:
        petitions = db.session.execute(db.select(Petition.id, Petition.title).order_by(Petition.title)).all()
        themes = db.session.execute(db.select(Theme.id, Theme.name_nl).order_by(Theme.position)).all()
        self.petition_id.choices = [("", _("Geen: de verandering hoort bij een thema"))] + [
            (str(pid), title) for pid, title in petitions
        ]
        self.theme_id.choices = [("", _("Geen: de verandering hoort bij de petitie"))] + [
            (str(tid), name) for tid, name in themes
        ]

    def details(self) -> OutcomeDetails:
        return OutcomeDetails(
            change_type=self.change_type.data,
            happened_on=self.happened_on.data,
            title=self.title.data,
            description=self.description.data or "",
            source_url=self.source_url.data or "",
            petition_id=int(self.petition_id.data) if self.petition_id.data else None,
            theme_id=int(self.theme_id.data) if self.theme_id.data else None,
            contribution=self.contribution.data or "unclear",
            contributors=tuple(self.contributors.data or ()),
            contributors_other=self.contributors_other.data or "",
        )


@bp.get("/impact")
@viewer
def impact_log():
    outcomes = outcomes_for(limit=STUDIO_PAGE)
    return render_template("studio/impact/list.html", outcomes=outcomes)


def _extra_forms() -> dict:
    """The evidence and reviewer forms under an existing outcome (campaign.web.studio.evidence)."""
    from campaign.web.studio.forms import EvidenceForm, ReviewInviteForm

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
    audit.record(action, f"outcome:{outcome.id}", details=f"{outcome.change_type} {outcome.happened_on}")
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
    outcome = db.session.get(Outcome, outcome_id)
    if outcome is None:
        abort(404)
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
        "outcome.delete", f"outcome:{outcome.id}", details=f"{outcome.change_type} {outcome.happened_on}"
    )
    delete_outcome(outcome)
    db.session.commit()
    flash(_("De verandering is verwijderd."), "success")
    return redirect(url_for("studio.impact_log"), 303)
