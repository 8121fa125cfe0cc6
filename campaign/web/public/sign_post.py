"""The sign form's rules, read straight from the posted fields.

Nearly every sign post is valid. Read this way it becomes a SignRequest without a WTForms form being
built and validated, which was a sixth of a signature's CPU. The SignForm (campaign.web.public.forms)
checks with these same rules, so the form shown again after a mistake says exactly what they say,
and the API's answer (campaign.web.osdi.record) too. The CSRF token is not a rule here: CSRFProtect
checks it before the view runs, the embed checks its own token (forms.EmbedSignForm).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale
from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.signing import InvalidEmail, SignRequest, normalise_email
from campaign.signing.emails import has_ascii_local_part
from campaign.signing.sources import clean_source

UNREADABLE = "\ufffd"  # what invalid UTF-8 in a form post decodes to
NL_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")
OTHER_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{0,11}$")
# Codes Babel knows that are not countries (continents, "unknown", pseudo-locales).
NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
# An unticked box posts nothing; these values mean unticked too (as WTForms' BooleanField reads them).
UNTICKED = (None, "", "false")

INVALID_EMAIL = _l("Dit is geen geldig e-mailadres.")


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


@dataclass
class SignPost:
    """What was posted, cleaned as the form shows it, and what is wrong with it per field (in the
    form's field order; empty when it can be signed)."""

    name: str
    email: str
    postcode: str
    country: str
    consent: bool
    newsletter: bool
    message: str
    reply_to_me: bool
    source: str
    website: str
    errors: dict[str, list] = field(default_factory=dict)

    def sign_request(self, locale: str) -> SignRequest:
        """For campaign.signing (once there are no errors): the page, the embed and the API."""
        return SignRequest(
            name=self.name,
            email=self.email,
            postcode=self.postcode,
            country=self.country,
            newsletter=self.newsletter,
            locale=locale,
            message=self.message,
            reply_to_me=self.reply_to_me,
            source=self.source,
        )


def read_sign_post(posted) -> SignPost:
    """`posted`: the form's fields by name, first value each (request.form, or a dict)."""
    raw_email = posted.get("email")
    country = posted.get("country", "NL")  # the form's default when the field is not sent at all
    post = SignPost(
        name=(posted.get("name") or "").strip(),
        email=(raw_email or "").strip(),
        postcode=(posted.get("postcode") or "").strip().upper(),
        country=country,
        consent=posted.get("consent") not in UNTICKED,
        newsletter=posted.get("newsletter") not in UNTICKED,
        message=(posted.get("message") or "").strip(),
        reply_to_me=posted.get("reply_to_me") not in UNTICKED,
        source=clean_source(posted.get("source")),
        website=posted.get("website") or "",
    )
    problems = {
        "name": name_problems(post.name),
        "email": email_problems(raw_email, post.email),
        "postcode": postcode_problems(post.postcode, country),
        "country": [] if country in country_codes() else [_l("Kies een land uit de lijst.")],
        "consent": [] if post.consent else [_l("Geef toestemming om uw handtekening te verwerken.")],
        "message": (
            [_l("Uw bericht mag hoogstens 1000 tekens lang zijn.")] if len(post.message) > 1000 else []
        ),
        "website": [_l("Laat het veld \u2018Website\u2019 leeg; het is er alleen om spam te herkennen.")]
        if post.website
        else [],
    }
    post.errors = {name: found for name, found in problems.items() if found}
    return post


def name_problems(name: str) -> list:
    if not name:
        return [_l("Vul uw naam in.")]
    problems = []
    if len(name) > 100:
        problems.append(_l("Uw naam mag hoogstens 100 tekens lang zijn."))
    if UNREADABLE in name:
        problems.append(_l("Uw naam bevat tekens die we niet konden lezen. Typ hem opnieuw."))
    elif not name.isprintable() and _has_unusable(name):
        problems.append(_l("Uw naam bevat tekens die we niet kunnen gebruiken."))
    return problems


def _has_unusable(name: str) -> bool:
    """Control, format (bidi overrides, zero-width) or private-use characters; the zero-width joiner
    and the emoji variation selector stay (they are part of how some names and emoji are written)."""
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch not in "\u200d\ufe0f" for ch in name
    )


def email_problems(raw: str | None, email: str) -> list:
    """`raw` as sent: only a field sent empty or not at all is missing; spaces alone are invalid."""
    if not raw:
        return [_l("Vul uw e-mailadres in.")]
    problems = []
    if len(email) > 254:
        problems.append(_l("Dit e-mailadres is te lang."))
    try:
        _typed, normalised = normalise_email(email)
    except InvalidEmail:
        return [*problems, INVALID_EMAIL]
    if UNREADABLE in email:
        problems.append(INVALID_EMAIL)
    elif not current_app.config["MAIL_SMTPUTF8"] and not has_ascii_local_part(email):
        problems.append(
            _l(
                "Wij kunnen geen e-mail sturen naar een adres met letters als ö of é vóór de @. "
                "Gebruik een ander e-mailadres."
            )
        )
    # Throw-away addresses cannot confirm anything lasting (campaign.abuse keeps the list).
    from campaign.abuse import domain_of, is_disposable

    if is_disposable(domain_of(normalised)):
        problems.append(_l("Dit is een wegwerpadres. Gebruik een e-mailadres dat u blijft lezen."))
    return problems


def postcode_problems(postcode: str, country: str) -> list:
    problems = [_l("Deze postcode is te lang.")] if len(postcode) > 12 else []
    if country == "NL":
        if not postcode:
            problems.append(_l("Vul uw postcode in, bijvoorbeeld 3511 AB."))
        elif not NL_POSTCODE.match(postcode):
            problems.append(
                _l(
                    "Dit is geen Nederlandse postcode. Gebruik vier cijfers en twee letters, bijvoorbeeld 3511 AB."
                )
            )
    elif postcode and not OTHER_POSTCODE.match(postcode):
        problems.append(_l("Gebruik alleen letters, cijfers, spaties en streepjes in de postcode."))
    return problems
