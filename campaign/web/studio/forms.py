"""Studio forms (petitions, targets, signatures, accounts). Labels and messages in Dutch."""

from datetime import datetime
from zoneinfo import ZoneInfo

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
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.models import Role, SignatureStatus
from campaign.singleline import has_control_characters

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
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


class HeroImageForm(FlaskForm):
    """A petition's hero image (campaign.media.heroes): a file, what it shows, where its focus is."""

    image = FileField(_l("Afbeelding"))
    alt = StringField(
        _l("Wat is er te zien? (alt-tekst)"),
        validators=[
            DataRequired(_l("Beschrijf wat er op de afbeelding te zien is (voor wie haar niet kan zien).")),
            Length(max=300),
        ],
    )
    focus_x = IntegerField(
        _l("Brandpunt van links naar rechts (0–100)"),
        default=50,
        validators=[InputRequired(_l("Vul een getal van 0 tot en met 100 in.")), NumberRange(0, 100)],
    )
    focus_y = IntegerField(
        _l("Brandpunt van boven naar onder (0–100)"),
        default=50,
        validators=[InputRequired(_l("Vul een getal van 0 tot en met 100 in.")), NumberRange(0, 100)],
    )
