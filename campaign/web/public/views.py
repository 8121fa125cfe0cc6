"""Pages for supporters and the public. Thin: validate, call one domain function, commit, redirect."""

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam
from sqlalchemy.orm import lazyload, selectinload
from werkzeug.datastructures import MultiDict

from campaign.delivery.settings import sends_letters
from campaign.extensions import db
from campaign.i18n import current_locale, set_language_cookie
from campaign.media.cards import share_card_for
from campaign.metrics.cache import remember
from campaign.metrics.counts import petition_count, petition_counts
from campaign.metrics.figures import figures_version
from campaign.metrics.panels import petition_panel, theme_panel
from campaign.models import Petition, PetitionStatus, Theme
from campaign.models.base import utcnow
from campaign.models.petition import PetitionGate
from campaign.privacy import current_consent, current_consent_version
from campaign.signing import ConfirmResult, confirm_signature, find_by_token, sign_petition
from campaign.signing.sources import source_of
from campaign.web.input_guard import strip_unusable
from campaign.web.public.forms import SignForm
from campaign.web.public.guard import judge_submission, limit_signing, pause_notice, proof_of_work_required
from campaign.web.safety import local_path

bp = Blueprint("public", __name__)


# The theme only when a page is rendered (not on the sign post, nor a cached page): no join here.
# Built once: constructing the statement and its loader option was a third of loading the petition.
_PETITION_BY_SLUG = (
    db.select(Petition).where(Petition.slug == bindparam("slug")).options(lazyload(Petition.theme))
)


_GATE_BY_SLUG = db.select(
    Petition.id, Petition.slug, Petition.status, Petition.opens_at, Petition.closes_at, Petition.updated_at
).where(Petition.slug == bindparam("slug"))


def _public_petition(slug: str) -> Petition:
    petition = db.session.execute(_PETITION_BY_SLUG, {"slug": slug}).scalar_one_or_none()
    if petition is None:
        _redirect_old_slug(slug)
    if petition is None or not petition.is_public():
        abort(404)
    return petition


def _petition_gate(slug: str) -> PetitionGate:
    """What signing and a cached page need of the petition, without loading it as an object (404
    as above)."""
    row = db.session.execute(_GATE_BY_SLUG, {"slug": slug}).one_or_none()
    if row is None:
        _redirect_old_slug(slug)
    if row is None or not PetitionGate(*row).is_public():
        abort(404)
    return PetitionGate(*row)


def _redirect_old_slug(slug: str) -> None:
    """A link shared before the slug changed: send it on, permanently (308 keeps a POST a POST)."""
    from campaign.petitions import find_by_old_slug

    moved = find_by_old_slug(slug)
    if moved is not None and moved.is_public():
        target = url_for(request.endpoint, **{**request.view_args, "slug": moved.slug})
        abort(redirect(target, 301 if request.method == "GET" else 308))


@bp.get("/")
def home():
    themes = db.session.execute(db.select(Theme).order_by(Theme.position)).scalars().all()
    petitions = (
        db.session.execute(
            db.select(Petition)
            .where(Petition.status == PetitionStatus.OPEN)
            .options(selectinload(Petition.translations), selectinload(Petition.hero_image))
            .order_by(Petition.created_at.desc())
        )
        .scalars()
        .all()
    )
    counts = petition_counts([p.id for p in petitions])
    return render_template("public/home.html", themes=themes, petitions=petitions, counts=counts)


@bp.get("/themes/<slug>")
def theme(slug: str):
    found = db.session.execute(db.select(Theme).where(Theme.slug == slug)).scalar_one_or_none()
    if found is None:
        abort(404)
    petitions = (
        db.session.execute(
            db.select(Petition)
            .where(
                Petition.theme_id == found.id,
                Petition.status.in_([PetitionStatus.OPEN, PetitionStatus.CLOSED]),
            )
            .options(selectinload(Petition.translations), selectinload(Petition.hero_image))
            .order_by(Petition.status.desc(), Petition.created_at.desc())
        )
        .scalars()
        .all()
    )
    counts = petition_counts([p.id for p in petitions])
    return render_template(
        "public/theme.html", theme=found, petitions=petitions, counts=counts, panel=theme_panel(found)
    )


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
        letters=sends_letters(petition.id),
        sign_action=sign_action,
        share_card=share_card_for(petition, current_locale(), count.confirmed),
    ), status


# Stands in for the visitor's CSRF token in a cached page (no HTML escaping touches it).
TOKEN_PLACEHOLDER = "csrf-token-of-this-visitor-3f9a1c"  # noqa: S105 - not a secret


@bp.get("/petitions/<slug>")
def petition(slug: str):
    gate = _petition_gate(slug)
    # The form carries where the visitor came from (?bron=, utm_source) to the signature.
    source = source_of(request.args)
    if session.get("_flashes"):  # a pending message is this visitor's own: never cache that page
        return render_petition(_public_petition(slug), SignForm(source=source))
    # The empty form page is the same for every visitor with the same language but for the CSRF
    # token: render it once per process until a figure, the petition, an outcome or a switch changes
    # (or PAGE_CACHE_SECONDS pass), then put each visitor's token in. Rendering was most of the cost;
    # the whole petition is loaded only to render.
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
        html, _status = render_petition(_public_petition(slug), SignForm(source=source))
        return html.replace(generate_csrf(), TOKEN_PLACEHOLDER)

    html = remember(key, version, current_app.config["PAGE_CACHE_SECONDS"], render)
    return html.replace(TOKEN_PLACEHOLDER, generate_csrf())


@bp.post("/petitions/<slug>/sign")
@limit_signing
def sign(slug: str):
    # Accepting needs a few columns (PetitionGate); the whole petition is loaded only to show the
    # form again.
    petition = _petition_gate(slug)
    return take_signature(
        petition,
        SignForm(),
        lambda form, status, notice=None: render_petition(
            _public_petition(slug), form, status, notice=notice
        ),
        url_for("public.check_email", slug=petition.slug),
    )


def take_signature(petition: Petition | PetitionGate, form, render, next_page: str):
    """The sign form's whole path, for the petition page and its embed: closed, paused, the form's
    rules, abuse checks, then sign_petition, commit and a redirect to `next_page`."""
    now = utcnow()
    if not petition.accepts_signatures(now):
        return render(form, 410, _("Deze petitie is gesloten en neemt geen handtekeningen meer aan."))
    paused = pause_notice(petition)
    if paused:
        return render(form, 503, paused)
    if not form.validate_on_submit():
        return render(form, 400)
    verdict = judge_submission(petition, form.email.data)
    if verdict.status:
        return render(form, verdict.status, verdict.message)
    submitted = form.sign_request(current_consent_version(), current_locale(), verdict.ip_hash, verdict.flag)
    sign_petition(petition, submitted, now)
    db.session.commit()
    # Identical for a new and a repeated address: nobody learns whether an address signed.
    return redirect(next_page, 303)


def form_again_after_csrf():
    """A missing or stale CSRF token on the sign form: show the form again with the input kept."""
    return _sign_form_again(
        _(
            "Uw formulier was verlopen. Uw gegevens staan er nog; controleer ze en verstuur het formulier opnieuw."
        )
    )


def form_again_without_unusable():
    """Control or bidi characters in the sign form (campaign.web.input_guard): the form again, with
    the input kept but those characters taken out, ready to check and send."""
    cleaned = MultiDict((key, strip_unusable(value)) for key, value in request.form.items(multi=True))
    notice = _(
        "Uw invoer bevatte onzichtbare stuur- of richtingstekens die we niet kunnen gebruiken. "
        "We hebben ze weggehaald: controleer uw gegevens en verstuur het formulier opnieuw."
    )
    return _sign_form_again(notice, cleaned)


def _sign_form_again(notice: str, formdata=None):
    if request.endpoint != "public.sign":
        return None
    slug = request.view_args["slug"]
    petition = db.session.execute(db.select(Petition).where(Petition.slug == slug)).scalar_one_or_none()
    if petition is None or not petition.is_public():
        return None
    form = SignForm() if formdata is None else SignForm(formdata=formdata)
    form.validate()
    form.form_errors = []  # the notice replaces the token error
    return render_petition(petition, form, 400, notice=notice)


@bp.get("/petitions/<slug>/check-email")
def check_email(slug: str):
    return render_template("public/check_email.html", petition=_public_petition(slug))


# Pages reached by a token that stands for one supporter: never stored by a cache, no Referer onwards.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


@bp.route("/signatures/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    if request.method == "GET":
        # Mail scanners follow links: a GET shows a button and changes nothing.
        signature = find_by_token(token)
        if signature is None:
            abort(404)
        page = render_template("public/confirm.html", signature=signature, petition=signature.petition)
        return page, 200, PRIVATE_HEADERS
    result, signature = confirm_signature(token, utcnow())
    if result is ConfirmResult.NOT_FOUND:
        db.session.rollback()
        abort(404)
    slug = signature.petition.slug  # read before the commit expires it (after, it would load again)
    db.session.commit()
    if result is ConfirmResult.CLOSED:
        page = render_template(
            "public/confirm.html", signature=signature, petition=signature.petition, closed=True
        )
        return page, 410, PRIVATE_HEADERS
    first_time = result is ConfirmResult.CONFIRMED
    return redirect(url_for("public.thanks", slug=slug, again=None if first_time else 1), 303)


@bp.get("/petitions/<slug>/thanks")
def thanks(slug: str):
    petition = _public_petition(slug)
    count = petition_count(petition.id)
    return render_template(
        "public/thanks.html",
        petition=petition,
        count=count.confirmed,
        again=request.args.get("again") == "1",
        next_petition=_another_in_theme(petition),
    )


def _another_in_theme(petition: Petition) -> Petition | None:
    """The next step after signing: another open petition, of the same theme when there is one."""
    others = (
        db.session.execute(
            db.select(Petition)
            .where(Petition.status == PetitionStatus.OPEN, Petition.id != petition.id)
            .order_by((Petition.theme_id == petition.theme_id).desc(), Petition.created_at.desc())
            .limit(1)
        )
        .scalars()
        .all()
    )
    return others[0] if others else None


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


from campaign.web.public import (  # noqa: E402, F401 - register their routes on bp
    challenge,
    embed,
    media,  # /media/<name>: hero images and share cards
    metrics,  # noqa: E402, F401 - /metrics, /impact, CSV downloads
    review,  # an outside reviewer's personal link (/review/<token>)
    supporter,
    unsubscribe,  # /updates/afmelden/<token>: one-click unsubscribe from updates (RFC 8058)
)
