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
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.models import Role, SignatureStatus
from campaign.models.abuse import RuleAction, RuleKind
from campaign.models.base import AMSTERDAM
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
    # Empty: made from the title (campaign.petitions.slugs); the page's script fills it in as one types.
    slug = StringField(_l("Webadres (slug)"), validators=[Optional(), Length(max=120)])
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
    # An official not in the list yet, added in the same step (campaign.petitions.setup).
    new_target_name = StringField(_l("Naam"), validators=[Optional(), Length(max=200)])
    new_target_title = StringField(_l("Functie"), validators=[Optional(), Length(max=200)])
    new_target_organisation = StringField(_l("Organisatie"), validators=[Optional(), Length(max=200)])
    new_target_email = EmailField(_l("E-mailadres"), validators=[Optional(), Length(max=320)])
    # Delivery, chosen when the petition is created (later on the delivery page).
    delivery_digest = SelectField(
        _l("Overzicht met de nieuwe handtekeningen"),
        choices=[("daily", _l("Dagelijks")), ("weekly", _l("Wekelijks")), ("", _l("Geen"))],
        default="daily",
    )
    delivery_handover = BooleanField(
        _l("Overhandiging bij het sluiten: het eindtotaal en de volledige lijst"), default=True
    )
    delivery_letters = BooleanField(_l("Ook elke bevestigde handtekening als eigen brief (e-mail)"))

    def new_target_typed(self) -> bool:
        return bool((self.new_target_name.data or "").strip() or (self.new_target_email.data or "").strip())


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
    # Set by the confirmation page: a block first shows what it will do.
    confirmed = HiddenField()


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
    # Set by the confirmation page: the first post only shows what erasing would touch.
    confirmed = HiddenField()


class TranslationForm(FlaskForm):
    """A petition's text in one other language (campaign.petitions.translations)."""

    title = StringField(_l("Titel"), validators=[DataRequired(_l("Vul een titel in.")), Length(max=200)])
    summary = TextAreaField(_l("Samenvatting"), validators=[Optional(), Length(max=500)])
    body = TextAreaField(_l("Tekst (Markdown)"), validators=[Optional(), Length(max=20000)])
    share_text = StringField(
        _l("Tekst bij het delen"),
        validators=[Optional(), Length(max=280, message=_l("Hoogstens 280 tekens."))],
    )
    published = BooleanField(_l("Gepubliceerd: supporters zien deze vertaling"))


class ApiKeyForm(FlaskForm):
    name = StringField(
        _l("Naam"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(_l("Geef de sleutel een naam.")), Length(max=100)],
    )
    scope = SelectField(
        _l("Bereik"),
        choices=[
            ("read", _l("Lezen (petities en handtekeningen)")),
            ("write", _l("Lezen en handtekeningen aanleveren")),
        ],
    )


WEBHOOK_EVENT_CHOICES = [
    ("signature.confirmed", _l("Handtekening bevestigd")),
    ("signature.withdrawn", _l("Handtekening ingetrokken")),
    ("signature.erased", _l("Gegevens van een ondertekenaar gewist")),
    ("petition.published", _l("Petitie gepubliceerd")),
    ("petition.closed", _l("Petitie gesloten")),
    ("delivery.failed", _l("Bezorging aan een ontvanger mislukt")),
]


class WebhookForm(FlaskForm):
    url = StringField(_l("URL"), validators=[DataRequired(_l("Vul de URL in.")), Length(max=500)])
    events = CheckboxListField(
        _l("Gebeurtenissen"),
        choices=WEBHOOK_EVENT_CHOICES,
        validators=[DataRequired(_l("Kies ten minste één gebeurtenis."))],
    )
    description = StringField(_l("Omschrijving (niet verplicht)"), validators=[Optional(), Length(max=200)])


class UpdateForm(FlaskForm):
    subject = StringField(
        _l("Onderwerp"), validators=[DataRequired(_l("Vul een onderwerp in.")), Length(max=200)]
    )
    body = TextAreaField(
        _l("Tekst (Markdown)"),
        validators=[DataRequired(_l("Schrijf de tekst van de update.")), Length(max=20000)],
    )


class UpdateSendForm(FlaskForm):
    """The confirmation: the number of recipients the campaigner saw (sent again if it changed)."""

    expected = IntegerField(validators=[InputRequired()])
