"""Studio forms (login, petitions, targets, signatures, accounts, deliveries, impact, privacy, abuse).
Labels and messages in Dutch."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.impact import OutcomeDetails
from campaign.models import ChangeType, Role, SignatureStatus
from campaign.models.abuse import RuleAction, RuleKind
from campaign.models.base import AMSTERDAM
from campaign.models.impact import CHANGE_TYPE_LABELS
from campaign.petitions.listing import petition_titles
from campaign.petitions.listing import themes as all_themes
from campaign.singleline import has_control_characters

UTC = ZoneInfo("UTC")
LANGUAGE_CHOICES = [("nl", _l("Nederlands")), ("en", _l("Engels"))]
ROLE_CHOICES = [
    (Role.VIEWER.value, _l("Lezer")),
    (Role.CAMPAIGNER.value, _l("Campagnevoerder")),
    (Role.ADMIN.value, _l("Beheerder")),
]


def local_to_utc(value: datetime | None) -> datetime | None:
    """Campaigners type Amsterdam time; we store naive UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(AMSTERDAM).replace(tzinfo=None)


def single_line(form, field):
    """For texts that reach mail headers (a title in a Subject, a name in To)."""
    if has_control_characters(field.data):
        raise ValidationError(_l("Gebruik geen regeleinden, tabs of andere stuurtekens."))


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PetitionForm(FlaskForm):
    theme_id = SelectField(_l("Thema"), coerce=int, validators=[InputRequired(_l("Kies een thema."))])
    title = StringField(
        _l("Titel"), validators=[DataRequired(_l("Vul een titel in.")), Length(max=200), single_line]
    )
    slug = StringField(
        _l("Webadres (slug)"), validators=[DataRequired(_l("Vul een webadres in.")), Length(max=120)]
    )
    confirm_slug_change = BooleanField(_l("Ja, wijzig het webadres van deze gepubliceerde petitie"))
    summary = TextAreaField(_l("Samenvatting"), validators=[Optional(), Length(max=500)])
    body = TextAreaField(_l("Tekst (Markdown)"), validators=[Optional(), Length(max=20000)])
    goal = IntegerField(
        _l("Doel (aantal handtekeningen)"),
        default=1000,
        validators=[
            InputRequired(_l("Vul een doel in.")),
            NumberRange(min=1, max=100_000_000, message=_l("Kies een doel vanaf 1.")),
        ],
    )
    opens_at = DateTimeLocalField(_l("Opent op"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Sluit op"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    language = SelectField(_l("Taal"), choices=LANGUAGE_CHOICES, default="nl")
    target_ids = CheckboxListField(_l("Doelwitten"), coerce=int, validators=[Optional()])


class TargetForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=200), single_line]
    )
    title = StringField(_l("Functie"), validators=[Optional(), Length(max=200), single_line])
    organisation = StringField(_l("Organisatie"), validators=[Optional(), Length(max=200), single_line])
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(_l("Vul een e-mailadres in.")), Length(max=320)]
    )
    language = SelectField(_l("Taal"), choices=LANGUAGE_CHOICES, default="nl")
    region = StringField(_l("Regio (optioneel)"), validators=[Optional(), Length(max=64), single_line])


class TargetImportForm(FlaskForm):
    file = FileField(_l("CSV-bestand"))
    text = TextAreaField(_l("Of plak de CSV hier"), validators=[Optional(), Length(max=60000)])


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token."""


class SignatureFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form: it changes nothing

    q = StringField(_l("Zoeken (naam, e-mail, postcode)"), validators=[Optional(), Length(max=200)])
    status = SelectField(
        _l("Status"),
        validators=[Optional()],
        choices=[
            ("", _l("Alle")),
            (SignatureStatus.PENDING.value, _l("Niet bevestigd")),
            (SignatureStatus.CONFIRMED.value, _l("Bevestigd")),
            (SignatureStatus.INVALIDATED.value, _l("Ongeldig verklaard")),
            (SignatureStatus.WITHDRAWN.value, _l("Ingetrokken")),
        ],
    )
    since = DateField(_l("Vanaf"), validators=[Optional()])
    until = DateField(_l("Tot en met"), validators=[Optional()])


class InvalidateForm(FlaskForm):
    expected = IntegerField(validators=[InputRequired()])


class AccountCreateForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(_l("Vul een e-mailadres in.")), Length(max=320)]
    )
    name = StringField(_l("Naam"), validators=[Optional(), Length(max=200), single_line])
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES, default=Role.VIEWER.value)
    password = PasswordField(
        _l("Wachtwoord (leeg laten om een uitnodiging te mailen)"), validators=[Optional()]
    )


class AccountEditForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Actief"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Huidig wachtwoord"), validators=[InputRequired(_l("Vul uw huidige wachtwoord in."))]
    )
    new = PasswordField(
        _l("Nieuw wachtwoord"), validators=[InputRequired(_l("Vul een nieuw wachtwoord in."))]
    )


class SetPasswordForm(FlaskForm):
    new = PasswordField(_l("Kies een wachtwoord"), validators=[InputRequired(_l("Vul een wachtwoord in."))])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(_l("Vul uw e-mailadres in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired(_l("Vul uw wachtwoord in."))])


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


MILESTONES = re.compile(r"^\s*\d{1,9}(\s*,\s*\d{1,9})*\s*$")
KIND_LABELS = {
    "letter": _l("Brief per ondertekenaar"),
    "digest": _l("Overzicht"),
    "milestone": _l("Mijlpaal"),
    "handover": _l("Overhandiging"),
}
FIELD_LABELS = {
    "name": _l("Naam"),
    "place": _l("Woonplaats"),
    "country": _l("Land"),
    "date": _l("Datum"),
    "message": _l("Persoonlijk bericht"),
}


class DeliverySettingsForm(FlaskForm):
    letters = BooleanField(
        _l("Brief per ondertekenaar: elke bevestigde handtekening als e-mail naar elk doelwit")
    )
    letters_per_hour = IntegerField(
        _l("Hoogstens zoveel brieven per uur per doelwit"),
        default=60,
        validators=[
            InputRequired(_l("Vul een aantal in.")),
            NumberRange(1, 100000, _l("Kies een aantal van 1 tot 100.000.")),
        ],
    )
    daytime_only = BooleanField(_l("Brieven alleen overdag versturen, in de tijdzone van het doelwit"))
    day_starts = IntegerField(
        _l("Vanaf (uur)"),
        default=9,
        validators=[
            InputRequired(_l("Vul een uur in.")),
            NumberRange(0, 23, _l("Kies een uur van 0 tot 23.")),
        ],
    )
    day_ends = IntegerField(
        _l("Tot (uur)"),
        default=17,
        validators=[
            InputRequired(_l("Vul een uur in.")),
            NumberRange(1, 24, _l("Kies een uur van 1 tot 24.")),
        ],
    )
    digest = SelectField(
        _l("Overzicht met de nieuwe handtekeningen"),
        choices=[("", _l("Geen")), ("daily", _l("Dagelijks")), ("weekly", _l("Wekelijks"))],
    )
    csv_fields = SelectMultipleField(
        _l("Velden in de lijst (overzicht en overhandiging)"),
        choices=list(FIELD_LABELS.items()),
        default=["name", "place"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    milestones = StringField(_l("Mijlpalen (aantallen, met komma's)"), validators=[Optional()])
    milestone_goal = BooleanField(_l("Ook het doel van de petitie is een mijlpaal"))
    handover = BooleanField(
        _l("Overhandiging: bij het sluiten krijgt elk doelwit het eindtotaal en de volledige lijst")
    )

    def validate_milestones(self, field):
        if field.data and not MILESTONES.match(field.data):
            raise ValidationError(
                _("Gebruik alleen aantallen, gescheiden door komma's, bijvoorbeeld 1000, 10000.")
            )

    def validate_day_ends(self, field):
        if self.day_starts.data is not None and field.data is not None and field.data <= self.day_starts.data:
            raise ValidationError(_("Het einde moet na het begin liggen."))


class ActionForm(FlaskForm):
    """CSRF only, for the buttons."""


class TestSendForm(FlaskForm):
    kind = SelectField(_l("Soort e-mail"), choices=list(KIND_LABELS.items()))


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
        )


class ConsentForm(FlaskForm):
    text = TextAreaField(
        _l("Toestemmingstekst (Nederlands, Markdown)"),
        validators=[InputRequired(_l("Vul de tekst in.")), Length(max=20000, message=_l("Te lang."))],
    )
    text_en = TextAreaField(
        _l("Toestemmingstekst (Engels, niet verplicht)"),
        validators=[Length(max=20000, message=_l("Te lang."))],
    )


class EraseForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            InputRequired(_l("Vul het e-mailadres in.")),
            Length(max=254, message=_l("Dit e-mailadres is te lang.")),
        ],
    )
