"""Pages for supporters and the public. Thin: validate, call one domain function, commit, redirect."""

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, generate_csrf

from campaign.extensions import db
from campaign.i18n import current_locale, set_language_cookie
from campaign.metrics.cache import remember
from campaign.metrics.counts import petition_count, petition_counts
from campaign.metrics.figures import figures_version
from campaign.metrics.panels import theme_panel
from campaign.models.base import utcnow
from campaign.petitions import find_public_gate
from campaign.petitions.listing import (
    another_open_petition,
    open_petitions,
    public_petitions,
    theme_by_slug,
    themes,
)
from campaign.privacy import current_consent
from campaign.signing import ConfirmResult, confirm_signature, find_by_token
from campaign.signing.sources import source_of
from campaign.signing.submit import pause_notice, proof_of_work_required
from campaign.web.input_guard import UnusableCharacters
from campaign.web.lookups import public_petition_or_404
from campaign.web.public.blueprint import PRIVATE_HEADERS, bp
from campaign.web.public.forms import SignForm
from campaign.web.public.guard import limit_signing
from campaign.web.public.petition_page import (
    form_again_after_csrf,
    form_again_without_unusable,
    form_shown_again,
    render_petition,
    take_signature,
)
from campaign.web.public.sign_post import read_sign_post
from campaign.web.redirects import local_path

bp.register_error_handler(CSRFError, form_again_after_csrf)
bp.register_error_handler(UnusableCharacters, form_again_without_unusable)


@bp.get("/")
def home():
    def render() -> str:
        petitions = open_petitions()
        counts = petition_counts([p.id for p in petitions])
        return render_template("public/home.html", themes=themes(), petitions=petitions, counts=counts)

    if session.get("_flashes"):  # a pending message is this visitor's own: never cache that page
        return render()
    # The same for everyone with the same language until a figure or a petition changes: rendered
    # once per process (at most PAGE_CACHE_SECONDS old), like the petition page. The first byte of
    # the front page comes sooner, which is most of what a phone's first visit waits for.
    key = ("home-page", current_locale(), request.full_path)
    return remember(key, figures_version(), current_app.config["PAGE_CACHE_SECONDS"], render)


@bp.get("/themes/<slug>")
def theme(slug: str):
    found = theme_by_slug(slug)
    if found is None:
        abort(404)
    petitions = public_petitions(found.id)
    counts = petition_counts([p.id for p in petitions])
    return render_template(
        "public/theme.html", theme=found, petitions=petitions, counts=counts, panel=theme_panel(found)
    )


# Stands in for the visitor's CSRF token in a cached page (no HTML escaping touches it).
TOKEN_PLACEHOLDER = "csrf-token-of-this-visitor-3f9a1c"  # noqa: S105 - not a secret


@bp.get("/petitions/<slug>")
def petition(slug: str):
    gate = public_petition_or_404(slug, find=find_public_gate)
    # The form carries where the visitor came from (?bron=, utm_source) to the signature.
    source = source_of(request.args)
    if session.get("_flashes"):  # a pending message is this visitor's own: never cache that page
        return render_petition(public_petition_or_404(slug), SignForm(source=source))
    # The empty form page is the same for every visitor with the same language but for the CSRF
    # token, so it is rendered once per process until a figure, the petition, an outcome or a switch
    # changes (or PAGE_CACHE_SECONDS pass), and each visitor's token is put in. The whole petition is
    # loaded only to render.
    now = utcnow()
    version = (
        figures_version(),
        gate.updated_at,
        gate.accepts_signatures(now),
        pause_notice(gate),
        proof_of_work_required(gate),
    )
    key = ("petition-page", gate.id, current_locale(), request.full_path)

    def render() -> str:
        html, _status = render_petition(public_petition_or_404(slug), SignForm(source=source))
        return html.replace(generate_csrf(), TOKEN_PLACEHOLDER)

    html = remember(key, version, current_app.config["PAGE_CACHE_SECONDS"], render)
    return html.replace(TOKEN_PLACEHOLDER, generate_csrf())


@bp.post("/petitions/<slug>/sign")
@limit_signing
def sign(slug: str):
    # Accepting needs a few columns (PetitionGate); the whole petition is loaded only to show the
    # form again.
    gate = public_petition_or_404(slug, find=find_public_gate)
    show_form = form_shown_again(
        SignForm,
        lambda form, status, notice: render_petition(
            public_petition_or_404(slug), form, status, notice=notice
        ),
    )
    # CSRFProtect has checked the token; the fields are read without building the form.
    return take_signature(
        gate, read_sign_post(request.form), show_form, url_for("public.check_email", slug=gate.slug)
    )


@bp.route("/signatures/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    if request.method == "GET":
        # Mail scanners follow links: a GET shows a button and changes nothing.
        signature = find_by_token(token)
        if signature is None:
            abort(404)
        page = render_template("public/confirm.html", signature=signature, petition=signature.petition)
        return page, 200, PRIVATE_HEADERS
    result, confirming = confirm_signature(token, utcnow())
    if result is ConfirmResult.NOT_FOUND:
        db.session.rollback()
        abort(404)
    db.session.commit()
    if result is ConfirmResult.CLOSED:
        signature = find_by_token(token)  # the page shows more than confirming reads
        page = render_template(
            "public/confirm.html", signature=signature, petition=signature.petition, closed=True
        )
        return page, 410, PRIVATE_HEADERS
    first_time = result is ConfirmResult.CONFIRMED
    slug = confirming.petition.slug
    return redirect(url_for("public.thanks", slug=slug, again=None if first_time else 1), 303)


@bp.get("/petitions/<slug>/thanks")
def thanks(slug: str):
    petition = public_petition_or_404(slug)
    count = petition_count(petition.id)
    return render_template(
        "public/thanks.html",
        petition=petition,
        count=count.confirmed,
        again=request.args.get("again") == "1",
        next_petition=another_open_petition(petition),
    )


@bp.get("/privacy")
def privacy():
    consent = current_consent()
    return render_template("public/privacy.html", consent_version=consent.version, consent=consent)


@bp.get("/taal/<code>")
def switch_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = make_response(redirect(local_path(request.args.get("next")) or url_for("public.home"), 303))
    set_language_cookie(response, code)
    return response
