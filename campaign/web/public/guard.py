"""Abuse checks around the sign request: hard rate limits (429), pause, proof of work, and the flags.

Everything here is cheap: the lists and switches come from an in-process snapshot, the rate checks
are Redis calls that are skipped when Redis is down.
"""

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.abuse import domain_of, hash_ip, screen, snapshot
from campaign.abuse.challenge import spend_solution
from campaign.abuse.screening import NO_PROOF
from campaign.extensions import limiter
from campaign.models import Petition
from campaign.netaddr import client_ip
from campaign.signing import InvalidEmail, normalise_email

POW_PROBLEMS = {
    "missing": _l("Wacht tot de controle onder het formulier klaar is en verstuur het dan opnieuw."),
    "invalid": _l(
        "De controle onder het formulier is niet gelukt. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "expired": _l(
        "De controle onder het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "replayed": _l("Deze controle is al eens gebruikt. Laad de pagina opnieuw en probeer het nog eens."),
}
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


def pause_notice(petition: Petition) -> str | None:
    """The message for supporters while signing is paused here or everywhere, else None."""
    message = snapshot().pause_message(petition.id)
    if message is None:
        return None
    return message or _("Tekenen is tijdelijk niet mogelijk. Probeer het later opnieuw; we werken eraan.")


def proof_of_work_required(petition: Petition) -> bool:
    return snapshot().proof_of_work(petition.id)


@dataclass(frozen=True)
class Verdict:
    status: int | None = None  # set when the submission is refused
    message: str | None = None
    ip_hash: str | None = None
    flag: str | None = None


def judge_submission(petition: Petition, email: str) -> Verdict:
    """After the form is valid: refuse a bad proof of work, otherwise say how to store the signature.
    A browser without JavaScript cannot solve the puzzle: it says so (the form's <noscript> field)
    and its signature is stored held back (NO_PROOF) instead of refused."""
    held = None
    if proof_of_work_required(petition):
        proof = request.form.get("altcha")
        if not proof and request.form.get("no_script") == "1":
            held = NO_PROOF
        else:
            problem = spend_solution(proof)
            if problem:
                return Verdict(400, str(POW_PROBLEMS[problem]))
    ip = client_ip()
    _, normalised = normalise_email(email)
    return Verdict(ip_hash=hash_ip(ip), flag=screen(petition.id, ip, normalised) or held)
