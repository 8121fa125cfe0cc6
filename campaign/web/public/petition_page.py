"""The petition page with its sign form: shown by the public routes and the studio's preview."""

from flask import redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from campaign.delivery.settings import sends_letters
from campaign.extensions import db
from campaign.i18n import current_locale
from campaign.media.cards import share_card_for
from campaign.metrics.counts import petition_count
from campaign.metrics.panels import petition_panel
from campaign.metrics.recent import momentum
from campaign.models import Petition
from campaign.models.base import utcnow
from campaign.models.petition import PetitionGate
from campaign.netaddr import client_ip
from campaign.petitions import find_public_petition
from campaign.signing.submit import (
    CLOSED,
    PAUSED,
    PROOF_OF_WORK,
    held_for_no_proof,
    not_taking_signatures,
    pause_notice,
    proof_of_work_required,
    submit_signature,
)
from campaign.web.errors import csrf_failed, unusable_characters
from campaign.web.input_guard import strip_unusable
from campaign.web.public.check_email import remember_signer
from campaign.web.public.forms import SignForm
from campaign.web.public.sign_post import SignPost

REFUSAL_STATUS = {CLOSED: 410, PAUSED: 503, PROOF_OF_WORK: 400}


def render_petition(
    petition: Petition,
    form: SignForm,
    status: int = 200,
    notice: str | None = None,
    sign_action: str | None = None,
):
    """The petition page. `sign_action`: where the form posts instead of the sign route (the studio's
    preview of a draft shows the form as it will be once open, posting to a route that stores nothing)."""
    count = petition_count(petition.id)
    closed = sign_action is None and not petition.accepts_signatures(utcnow())
    return render_template(
        "public/petition.html",
        petition=petition,
        form=form,
        count=count.confirmed,
        closed=closed,
        notice=notice,
        paused=pause_notice(petition),
        proof_of_work=proof_of_work_required(petition),
        panel=petition_panel(petition),
        momentum=None if closed else momentum(petition.id, utcnow()),
        letters=sends_letters(petition.id),
        sign_action=sign_action,
        share_card=share_card_for(petition, current_locale(), count.confirmed),
    ), status


def take_signature(petition: Petition | PetitionGate, post: SignPost | None, show_form, next_page: str):
    """The sign form's path, for the petition page and its embed: the rules (read_sign_post), the one
    verb (campaign.signing.submit_signature), commit, redirect to `next_page`. `show_form(status,
    notice=None)` builds the form from what was posted and shows it again, with its mistakes when
    the status is 400 and there is no notice; None for `post`: the form's own check failed (the embed's
    token)."""
    now = utcnow()
    refused = not_taking_signatures(petition, now)  # a closed petition says so, whatever was typed
    if refused is None:
        if post is None or post.errors:
            return show_form(400)
        proof, no_script = request.form.get("altcha"), request.form.get("no_script") == "1"
        refused = submit_signature(
            petition,
            post.sign_request(locale=current_locale()),
            ip=client_ip(),
            proof=proof,
            now=now,
            no_script=no_script,
        )
    if refused is not None:
        return show_form(REFUSAL_STATUS[refused.reason], refused.message)
    db.session.commit()
    # The check-email page names the address to this browser only (campaign.web.public.check_email).
    remember_signer(petition.id, post.email, now, held=held_for_no_proof(petition, proof, no_script))
    # Identical for a new and a repeated address: nobody learns whether an address signed.
    return redirect(next_page, 303)


def form_shown_again(make_form, render):
    """`show_form` for take_signature: `make_form()` reads the post into a form; `render(form, status,
    notice)` shows it. A 400 without a notice is for mistakes in the form: it is checked, to show them."""

    def show_form(status: int, notice: str | None = None):
        form = make_form()
        if status == 400 and notice is None:
            form.validate()
        return render(form, status, notice)

    return show_form


def form_again_after_csrf(error):
    """A missing or stale CSRF token on the sign form: the form again with the input kept (anything
    else, or a petition that is gone, gets the general explanation)."""
    notice = _(
        "Uw formulier was verlopen. Uw gegevens staan er nog; controleer ze en verstuur het formulier opnieuw."
    )
    again = _sign_form_again(notice)
    return again if again is not None else csrf_failed(error)


def form_again_without_unusable(error):
    """Control or bidi characters in the sign form (campaign.web.input_guard): the form again, with
    the input kept but those characters taken out, ready to check and send."""
    if error.where != "url":
        cleaned = MultiDict((key, strip_unusable(value)) for key, value in request.form.items(multi=True))
        notice = _(
            "Uw invoer bevatte onzichtbare stuur- of richtingstekens die we niet kunnen gebruiken. "
            "We hebben ze weggehaald: controleer uw gegevens en verstuur het formulier opnieuw."
        )
        again = _sign_form_again(notice, cleaned)
        if again is not None:
            return again
    return unusable_characters(error)


def _sign_form_again(notice: str, formdata=None):
    if request.endpoint != "public.sign":
        return None
    petition = find_public_petition(request.view_args["slug"])
    if petition is None:
        return None
    form = SignForm() if formdata is None else SignForm(formdata=formdata)
    form.validate()
    form.form_errors = []  # the notice replaces the token error
    return render_petition(petition, form, 400, notice=notice)
