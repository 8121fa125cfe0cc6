"""The petition page with its sign form: shown by the public routes and the studio's preview."""

from flask import render_template, request
from flask_babel import gettext as _

from campaign.delivery.settings import sends_letters
from campaign.metrics.counts import petition_count
from campaign.metrics.panels import petition_panel
from campaign.models import Petition
from campaign.models.base import utcnow
from campaign.petitions import find_public_petition
from campaign.signing import pause_notice, proof_of_work_required
from campaign.web.errors import csrf_failed
from campaign.web.public.forms import SignForm


def render_petition(petition: Petition, form: SignForm, status: int = 200, notice: str | None = None):
    count = petition_count(petition.id)
    closed = not petition.accepts_signatures(utcnow())
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
        letters=sends_letters(petition.id),
    ), status


def form_again_after_csrf(error):
    """A missing or stale CSRF token on the sign form: show the form again with the input kept.
    Anything else (another form, a petition that is gone) gets the general explanation."""
    petition = find_public_petition(request.view_args["slug"]) if request.endpoint == "public.sign" else None
    if petition is None:
        return csrf_failed(error)
    form = SignForm()
    form.validate()
    form.form_errors = []  # the explanation below replaces the token error
    return render_petition(
        petition,
        form,
        400,
        notice=_(
            "Uw formulier was verlopen. Uw gegevens staan er nog; controleer ze en verstuur het formulier opnieuw."
        ),
    )
