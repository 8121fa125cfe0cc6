"""The hard rate limits on the sign request (429), by keyed hashes of the client's address and the
typed email domain. The softer checks (pause, proof of work, flags) are the sign verb's
(campaign.signing.submit_signature)."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from campaign.abuse import domain_of, hash_ip
from campaign.extensions import limiter
from campaign.netaddr import client_ip
from campaign.signing import InvalidEmail, normalise_email

RATE_LIMITED = _l(
    "Er is vanaf uw internetverbinding of e-maildomein de afgelopen minuut heel vaak getekend. "
    "Wacht een minuut en probeer het dan opnieuw."
)


def _ip_key() -> str:
    return "sign-ip:" + hash_ip(client_ip())


def _typed_domain() -> str:
    try:
        return domain_of(normalise_email(request.form.get("email", ""))[1])
    except InvalidEmail:
        return ""


def _domain_key() -> str:
    return "sign-domain:" + hash_ip(_typed_domain())


def _domain_exempt() -> bool:
    domain = _typed_domain()
    return not domain or domain in current_app.config["ABUSE_COMMON_DOMAINS"]


def limit_signing(view):
    """The hard tier: Flask-Limiter on Redis (in-memory fallback), keyed by hashes, never raw values."""
    view = limiter.limit(
        lambda: current_app.config["SIGN_LIMIT_PER_IP"],
        key_func=_ip_key,
        error_message=lambda: str(RATE_LIMITED),
        scope="sign-ip",
    )(view)
    return limiter.limit(
        lambda: current_app.config["SIGN_LIMIT_PER_DOMAIN"],
        key_func=_domain_key,
        exempt_when=_domain_exempt,
        error_message=lambda: str(RATE_LIMITED),
        scope="sign-domain",
    )(view)
