import re
import unicodedata
from functools import lru_cache

from babel import Locale
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from campaign.i18n import current_locale
from campaign.signing import InvalidEmail, SignRequest, normalise_email
from campaign.signing.emails import has_ascii_local_part
from campaign.signing.sources import clean_source
from campaign.web.csrf_on_demand import CSRFOnDemand
from campaign.web.widgets import CachedSelect

UNREADABLE = "\ufffd"  # what invalid UTF-8 in a form post decodes to
NL_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")
OTHER_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{0,11}$")
# Codes Babel knows that are not countries (continents, "unknown", pseudo-locales).
NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def plain_text(form, field):
    """No control, format (bidi overrides, zero-width) or private-use characters in a name."""
    if UNREADABLE in (field.data or ""):
        raise ValidationError(_l("Uw naam bevat tekens die we niet konden lezen. Typ hem opnieuw."))
    for ch in field.data or "":
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch not in "\u200d\ufe0f":
            raise ValidationError(_l("Uw naam bevat tekens die we niet kunnen gebruiken."))


def valid_email(form, field):
    if UNREADABLE in (field.data or ""):
        raise ValidationError(_l("Dit is geen geldig e-mailadres."))
    try:
        normalise_email(field.data or "")
    except InvalidEmail:
        raise ValidationError(_l("Dit is geen geldig e-mailadres.")) from None
    if not current_app.config["MAIL_SMTPUTF8"] and not has_ascii_local_part(field.data.strip()):
        raise ValidationError(
            _l(
                "Wij kunnen geen e-mail sturen naar een adres met letters als ö of é vóór de @. "
                "Gebruik een ander e-mailadres."
            )
        )


def not_disposable(form, field):
    """Throw-away addresses cannot confirm anything lasting (campaign.abuse keeps the list)."""
    from campaign.abuse import domain_of, is_disposable

    try:
        domain = domain_of(normalise_email(field.data or "")[1])
    except InvalidEmail:
        return  # valid_email names that problem
    if is_disposable(domain):
        raise ValidationError(_l("Dit is een wegwerpadres. Gebruik een e-mailadres dat u blijft lezen."))


def empty_honeypot(form, field):
    if field.data:
        raise ValidationError(
            _l("Laat het veld \u2018Website\u2019 leeg; het is er alleen om spam te herkennen.")
        )


@lru_cache(maxsize=8)
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).territories
    countries = sorted(
        (
            (code, name)
            for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
        ),
        key=lambda pair: pair[1],
    )
    netherlands = [pair for pair in countries if pair[0] == "NL"]
    return tuple(netherlands + [pair for pair in countries if pair[0] != "NL"])


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in country_choices("nl"))


class SignForm(FlaskForm):
    class Meta:
        csrf_class = CSRFOnDemand

    name = StringField(
        _l("Naam"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Vul uw naam in.")),
            Length(max=100, message=_l("Uw naam mag hoogstens 100 tekens lang zijn.")),
            plain_text,
        ],
    )
    email = EmailField(
        _l("E-mailadres"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Vul uw e-mailadres in.")),
            Length(max=254, message=_l("Dit e-mailadres is te lang.")),
            valid_email,
            not_disposable,
        ],
    )
    postcode = StringField(
        _l("Postcode"), filters=[_upper], validators=[Length(max=12, message=_l("Deze postcode is te lang."))]
    )
    # ~250 options, the same for every visitor: rendered once and reused (campaign.web.widgets).
    # Checked against a cached set in validate_country; WTForms' own check walks all ~250 choices.
    country = SelectField(_l("Land"), default="NL", validate_choice=False, widget=CachedSelect())
    # The template gives these their text. A label here (the one WTForms would make from the name) spares
    # WTForms translating a made-up one for every form it builds.
    consent = BooleanField(
        "Consent", validators=[DataRequired(_l("Geef toestemming om uw handtekening te verwerken."))]
    )
    newsletter = BooleanField("Newsletter")
    # For the letter to the targets (campaign.delivery): optional.
    message = TextAreaField(
        _l("Persoonlijk bericht aan de ontvangers (niet verplicht)"),
        filters=[_strip],
        validators=[Length(max=1000, message=_l("Uw bericht mag hoogstens 1000 tekens lang zijn."))],
    )
    reply_to_me = BooleanField("Reply To Me")
    # Where the supporter came from (?bron= / utm_source on the page's link), carried to the post.
    source = HiddenField("Source", filters=[clean_source])
    # A honeypot: hidden from people by CSS, filled in by naive bots (campaign.abuse).
    website = StringField(_l("Website"), validators=[empty_honeypot])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = list(country_choices(current_locale()))

    def sign_request(self, locale: str) -> SignRequest:
        """What the supporter submitted, for campaign.signing (after validation): the page, the
        embed and the API."""
        return SignRequest(
            name=self.name.data,
            email=self.email.data,
            postcode=self.postcode.data or "",
            country=self.country.data,
            newsletter=bool(self.newsletter.data),
            locale=locale,
            message=self.message.data or "",
            reply_to_me=bool(self.reply_to_me.data),
            source=self.source.data or "",
        )

    def validate_country(self, field):
        if field.data not in country_codes():
            raise ValidationError(_l("Kies een land uit de lijst."))

    def validate_postcode(self, field):
        value = field.data or ""
        if self.country.data == "NL":
            if not value:
                raise ValidationError(_l("Vul uw postcode in, bijvoorbeeld 3511 AB."))
            if not NL_POSTCODE.match(value):
                raise ValidationError(
                    _l(
                        "Dit is geen Nederlandse postcode. Gebruik vier cijfers en twee letters, bijvoorbeeld 3511 AB."
                    )
                )
        elif value and not OTHER_POSTCODE.match(value):
            raise ValidationError(_l("Gebruik alleen letters, cijfers, spaties en streepjes in de postcode."))


class ReviewAnswerForm(FlaskForm):
    """An outside reviewer's verdict (campaign.reports.reviews). The domain checks the choice."""

    status = RadioField(
        _l("Kies wat past"),
        choices=[
            ("confirmed", _l("Ik bevestig dit")),
            ("qualified", _l("Ik bevestig dit, met een kanttekening")),
            ("contested", _l("Ik betwist dit")),
        ],
        validate_choice=False,
        validators=[InputRequired(_l("Kies bevestigen, bevestigen met kanttekening of betwisten."))],
    )
    comment = TextAreaField(
        _l("Toelichting"), validators=[Length(max=5000, message=_l("Maximaal 5000 tekens."))]
    )


EMBED_TOKEN_SALT = "embed-sign"  # noqa: S105 - a salt name, not a secret


def _embed_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMBED_TOKEN_SALT)


def embed_token(petition_id: int) -> str:
    """The embed form's CSRF token: signed, timed and bound to this petition's form, not to a cookie
    (a frame on another site often may not set or send one under third-party cookie rules)."""
    return _embed_serializer().dumps({"p": petition_id})


class EmbedSignForm(SignForm):
    """The sign form inside another site's frame: the same fields and rules; CSRF by embed_token
    (plus the Origin check in the view) instead of the session cookie."""

    class Meta:
        csrf = False

    embed_token = HiddenField()

    def __init__(self, *args, petition_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition_id = petition_id
        if not self.is_submitted():
            self.embed_token.data = embed_token(petition_id)

    def validate_embed_token(self, field):
        try:
            data = _embed_serializer().loads(
                field.data or "", max_age=current_app.config["WTF_CSRF_TIME_LIMIT"]
            )
        except BadData:
            data = None
        if not isinstance(data, dict) or data.get("p") != self.petition_id:
            field.data = embed_token(self.petition_id)  # a fresh token, so sending again works
            raise ValidationError(
                _l(
                    "Uw formulier was verlopen. Uw gegevens staan er nog; controleer ze en verstuur het formulier opnieuw."
                )
            )
