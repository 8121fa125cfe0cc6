"""The check-email page's memory of the address and its resend button.

The address the confirmation went to is shown to the browser that typed it only: it is kept in
that browser's session (a signed cookie, sent to us alone), never in a URL, and only for a while,
so that the next person at a shared computer does not see it a day later.
"""

from datetime import datetime, timedelta

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from campaign.abuse import hash_ip
from campaign.extensions import db, limiter
from campaign.models.base import utcnow
from campaign.netaddr import client_ip
from campaign.signing.resend import Resend, resend_confirmation
from campaign.web.lookups import public_petition_or_404
from campaign.web.public.blueprint import PRIVATE_HEADERS, bp

SESSION_KEY = "signed"
SHOWN_FOR = timedelta(hours=2)


def remember_signer(petition_id: int, email: str, now: datetime, held: bool = False) -> None:
    """`held`: signed without JavaScript under proof of work (the page says what happens next)."""
    session[SESSION_KEY] = {"petition": petition_id, "email": email, "at": now.timestamp(), "held": held}


def _kept(petition_id: int) -> dict | None:
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("petition") != petition_id:
        return None
    at = kept.get("at")
    if not isinstance(at, int | float) or utcnow() - datetime.fromtimestamp(at) > SHOWN_FOR:
        session.pop(SESSION_KEY, None)
        return None
    return kept


def signer_address(petition_id: int) -> str | None:
    """The address this browser signed this petition with, lately; else None."""
    email = (_kept(petition_id) or {}).get("email")
    return email if isinstance(email, str) else None


def signed_without_proof(petition_id: int) -> bool:
    return (_kept(petition_id) or {}).get("held") is True


def _resend_key() -> str:
    return "resend-ip:" + hash_ip(client_ip())


def limit_resend(view):
    """Per connection (keyed hash of the IP), as the sign form's hard limit."""
    return limiter.limit(
        lambda: current_app.config["RESEND_LIMIT"],
        key_func=_resend_key,
        error_message=lambda: _(
            "U heeft de e-mail de afgelopen tijd al vaak opnieuw laten sturen. Wacht een kwartier en probeer het dan nog eens."
        ),
        scope="resend",
    )(view)


@bp.get("/petitions/<slug>/check-email")
def check_email(slug: str):
    return _page(public_petition_or_404(slug), None, 200)


@bp.post("/petitions/<slug>/check-email/resend")
@limit_resend
def resend_confirmation_mail(slug: str):
    """The confirmation mail again, within the signing limits, to the address this browser signed with."""
    petition = public_petition_or_404(slug)
    address = signer_address(petition.id)
    if address is None:
        message = _(
            "We weten niet meer naar welk adres we de e-mail stuurden. Teken opnieuw: dan sturen we hem nog eens."
        )
        return _page(petition, message, 400)
    result = resend_confirmation(petition.id, address, utcnow())
    db.session.commit()
    if result is Resend.LIMIT:
        limit = current_app.config["SUPPORTER_MAIL_LIMIT"]
        message = _(
            "We hebben dit adres al %(n)s e-mails over deze petitie gestuurd en sturen er geen meer. "
            "Kijk in uw map met ongewenste e-mail, of teken opnieuw met een ander adres.",
            n=limit,
        )
        return _page(petition, message, 429)
    if result is Resend.UNKNOWN:
        message = _("Bij dit adres hoort geen handtekening (meer) onder deze petitie. Teken opnieuw.")
        return _page(petition, message, 400)
    flash(_("We sturen de e-mail opnieuw. Het kan een paar minuten duren."), "ok")
    return redirect(url_for("public.check_email", slug=petition.slug), 303)


def _page(petition, notice: str | None, status: int):
    page = render_template(
        "public/check_email.html",
        petition=petition,
        address=signer_address(petition.id),
        notice=notice,
        held=signed_without_proof(petition.id),
    )
    return page, status, PRIVATE_HEADERS
