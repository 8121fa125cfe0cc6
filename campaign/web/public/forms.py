from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from campaign.i18n import current_locale
from campaign.signing import SignRequest
from campaign.signing.sources import clean_source
from campaign.web.csrf_on_demand import CSRFOnDemand
from campaign.web.public.sign_post import SignPost, country_choices, read_sign_post
from campaign.web.widgets import CachedSelect

REQUIRED = {"required": True}  # the browser's own check; the rules are read_sign_post's


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class SignForm(FlaskForm):
    """The sign form as it is shown, and checked when it is shown again: its rules are
    campaign.web.public.sign_post's (a valid post is read there without building this form). The
    filters clean what is shown as read_sign_post cleans it."""

    class Meta:
        csrf_class = CSRFOnDemand

    name = StringField(_l("Naam"), filters=[_strip], render_kw=REQUIRED)
    email = EmailField(_l("E-mailadres"), filters=[_strip], render_kw=REQUIRED)
    postcode = StringField(_l("Postcode"), filters=[_upper])
    # ~250 options, the same for every visitor: rendered once and reused (campaign.web.widgets).
    country = SelectField(_l("Land"), default="NL", validate_choice=False, widget=CachedSelect())
    # The template gives these their text. A label here (the one WTForms would make from the name) spares
    # WTForms translating a made-up one for every form it builds.
    consent = BooleanField("Consent", render_kw=REQUIRED)
    newsletter = BooleanField("Newsletter")
    # For the letter to the targets (campaign.delivery): optional.
    message = TextAreaField(_l("Persoonlijk bericht aan de ontvangers (niet verplicht)"), filters=[_strip])
    reply_to_me = BooleanField("Reply To Me")
    # Where the supporter came from (?bron= / utm_source on the page's link), carried to the post.
    source = HiddenField("Source", filters=[clean_source])
    # A honeypot: hidden from people by CSS, filled in by naive bots (campaign.abuse).
    website = StringField(_l("Website"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = list(country_choices(current_locale()))
        self.post: SignPost | None = None

    def validate(self, extra_validators=None) -> bool:
        checked = super().validate(extra_validators)  # the CSRF token (the embed: its own token)
        self.post = read_sign_post({field.name: field.raw_data[0] for field in self if field.raw_data})
        for name, problems in self.post.errors.items():
            self[name].errors.extend(problems)
        self._errors = None  # form.errors is worked out again, with these
        return checked and not self.post.errors

    def sign_request(self, locale: str) -> SignRequest:
        """What the supporter submitted, once validate() found nothing wrong."""
        return self.post.sign_request(locale)


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


def embed_token_fits(token: str | None, petition_id: int) -> bool:
    """The token is ours, for this petition's form, and not older than a CSRF token may be."""
    try:
        data = _embed_serializer().loads(token or "", max_age=current_app.config["WTF_CSRF_TIME_LIMIT"])
    except BadData:
        return False
    return isinstance(data, dict) and data.get("p") == petition_id


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
        if not embed_token_fits(field.data, self.petition_id):
            field.data = embed_token(self.petition_id)  # a fresh token, so sending again works
            raise ValidationError(
                _l(
                    "Uw formulier was verlopen. Uw gegevens staan er nog; controleer ze en verstuur het formulier opnieuw."
                )
            )
