"""Studio forms for Impact & Learning: outcomes, their evidence, outside reviewers, lessons learned
and officials' responses. Labels and messages in Dutch."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.impact import OutcomeDetails
from campaign.models import ChangeType
from campaign.models.impact import CHANGE_TYPE_LABELS, CONTRIBUTION_LABELS, CONTRIBUTOR_LABELS
from campaign.petitions.listing import petition_titles
from campaign.petitions.listing import themes as all_themes


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
        petitions = petition_titles()
        themes = [(theme.id, theme.name_nl) for theme in all_themes()]
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


# --- Impact & Learning (issue 14): evidence, outside reviewers, lessons learned ---


class EvidenceForm(FlaskForm):
    links = TextAreaField(
        _l("Links"), validators=[Optional(), Length(max=20_000, message=_l("Maximaal 20000 tekens."))]
    )
    document = FileField(_l("Document"))


class ReviewInviteForm(FlaskForm):
    name = StringField(
        _l("Naam van de beoordelaar"),
        validators=[
            InputRequired(_l("Geef de naam van de beoordelaar.")),
            Length(max=200, message=_l("Maximaal 200 tekens.")),
        ],
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            InputRequired(_l("Vul een e-mailadres in.")),
            Length(max=320, message=_l("Maximaal 320 tekens.")),
        ],
    )
    affiliation = StringField(
        _l("Zo noemen we de beoordelaar"),
        validators=[Optional(), Length(max=200, message=_l("Maximaal 200 tekens."))],
    )
    public = BooleanField(_l("Het oordeel mag op de openbare pagina Impact staan"))


class LessonForm(FlaskForm):
    what_worked = TextAreaField(
        _l("Wat werkte"), validators=[Optional(), Length(max=5000, message=_l("Maximaal 5000 tekens."))]
    )
    what_we_change = TextAreaField(
        _l("Wat we een volgende keer anders doen"),
        validators=[Optional(), Length(max=5000, message=_l("Maximaal 5000 tekens."))],
    )


class ResponseForm(FlaskForm):
    target_id = SelectField(_l("Van wie"), coerce=str, validate_choice=False, validators=[Optional()])
    received_on = DateField(_l("Ontvangen op"), validators=[InputRequired(_l("Geef een geldige datum."))])
    summary = TextAreaField(
        _l("Wat zeiden ze"),
        validators=[
            InputRequired(_l("Vat de reactie kort samen.")),
            Length(max=2000, message=_l("Maximaal 2000 tekens.")),
        ],
    )
